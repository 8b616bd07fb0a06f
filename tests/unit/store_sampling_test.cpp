// The Store's bucket-walk sampler (StoreConfig::sampling "buckets", Redis's dictGetSomeKeys; docs/redis-reference.md
// §7.5): its chains follow the DictTables through growth, shrink, TTL changes, deletes and eviction, so every sample
// is a live key (a volatile one for volatile-*), the walk is deterministic, and eviction keeps the same key count.
// The chains rehash as the dict does (two tables, the rehash steps the store takes), and allkeys-random /
// volatile-random draw with dictGetRandomKey's law in "buckets" mode and uniformly in "uniform" mode.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <stdexcept>
#include <vector>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"

using namespace cachelab;

namespace {
StoreConfig cfg(const std::string& policy, const std::string& sampling, uint64_t maxmemory) {
  StoreConfig c;
  c.policy = policy;
  c.sampling = sampling;
  c.maxmemory_bytes = maxmemory;
  c.cluster_mode = false;
  return c;
}

// A mixed workload: sets with and without TTL, overwrites that add or drop a TTL, deletes, reads, crons.
void churn(Store& s, uint64_t keys, uint64_t ops, uint64_t seed) {
  Rng rng(seed);
  Time t = Time::s(1);
  for (uint64_t i = 0; i < ops; ++i) {
    t = t + Time::ms(1);
    const uint64_t k = rng.below(keys);
    const uint64_t op = rng.below(10);
    s.make_room(t);
    if (op < 5)
      s.set(k, 16, 100, rng.below(2) ? t.nanos() / 1'000'000 + 60'000 : Store::kNoExpiry, t);
    else if (op < 6)
      s.del(k, t);
    else
      s.get(k, t, nullptr);
    if (i % 1000 == 0) s.cron(t);
  }
}

void expect_samples_live(Store& s) {
  for (int round = 0; round < 200; ++round) {
    std::vector<uint32_t> out;
    s.sample(false, 5, out);
    ASSERT_LE(out.size(), 5u);
    for (uint32_t idx : out) ASSERT_EQ(s.find(s.entry(idx).key), idx);
    out.clear();
    s.sample(true, 5, out);
    for (uint32_t idx : out) {
      ASSERT_EQ(s.find(s.entry(idx).key), idx);
      ASSERT_NE(s.entry(idx).vol_pos, Store::kNone);
    }
  }
}
}  // namespace

TEST(StoreSampling, UnknownSamplerIsRefused) {
  EXPECT_THROW(Store(cfg("allkeys-lru", "reservoir", 0), Rng(1)), std::invalid_argument);
}

TEST(StoreSampling, ChainsFollowTheDictThroughGrowthShrinkAndTtlChanges) {
  Store s(cfg("volatile-lru", "buckets", 0), Rng(3));
  churn(s, 20000, 60000, 9);
  expect_samples_live(s);
  // Chain heads are sized to Redis's tables (at least 4): 4 bytes per bucket of each dict.
  EXPECT_GE(s.chain_bytes(), 4 * s.dict_buckets());
  // Delete most keys: the cron shrinks the tables below 10% fill, and the chains follow.
  Time t = Time::s(1000);
  for (uint64_t k = 0; k < 19800; ++k) s.del(k, t);
  for (int i = 0; i < 5; ++i) s.cron(t);
  EXPECT_LE(s.dict_buckets(), 512u);
  EXPECT_LE(s.chain_bytes(), 4u * 2 * 512);  // the big chain arrays were freed with the shrink
  expect_samples_live(s);
  s.clear();
  std::vector<uint32_t> out;
  s.sample(false, 5, out);
  EXPECT_TRUE(out.empty());
}

TEST(StoreSampling, EvictionUnderMaxmemoryKeepsLiveKeysAndIsDeterministic) {
  const uint64_t maxmemory = memory::startup_bytes(false) + 3000 * memory::per_key_bytes(16, 100, false, false);
  auto run = [&](const std::string& sampling) {
    Store s(cfg("allkeys-lru", sampling, maxmemory), Rng(5));
    churn(s, 20000, 50000, 11);
    expect_samples_live(s);
    return std::vector<uint64_t>{s.keys(), s.evicted_keys(), s.used_memory()};
  };
  const auto a = run("buckets"), b = run("buckets"), u = run("uniform");
  EXPECT_EQ(a, b);
  EXPECT_GT(a[1], 1000u);  // it did evict
  // Eviction stops at the same memory limit whatever the sampler: the kept key counts are close.
  EXPECT_NEAR(static_cast<double>(a[0]), static_cast<double>(u[0]), 0.02 * static_cast<double>(u[0]));
}

// After a doubling, the chains rehash with the dict: two tables while the store's rehash steps run, one again when
// the dict's rehash ends; samples taken meanwhile are live keys, from both tables.
TEST(StoreSampling, ChainsRehashWithTheDict) {
  Store s(cfg("allkeys-lru", "buckets", 0), Rng(13));
  const Time t = Time::s(1);
  uint64_t k = 0;
  // A big enough table that the rehash takes many steps (it moves one non-empty bucket per step).
  while (!s.dict_rehashing() || s.dict_buckets() < 4096) s.set(k++, 16, 100, Store::kNoExpiry, t);
  std::vector<uint32_t> out;
  s.sample(false, 5, out);  // brings the chains up to date
  ASSERT_TRUE(s.dict_chains().rehashing()) << "the chains start their rehash when the dict does";
  EXPECT_EQ(s.dict_chains().buckets(), s.dict_buckets());
  size_t rounds = 0;
  while (s.dict_rehashing()) {
    expect_samples_live(s);
    ASSERT_LT(++rounds, 10000u);
  }
  out.clear();
  s.sample(false, 5, out);
  EXPECT_FALSE(s.dict_chains().rehashing()) << "the chains end their rehash with the dict's";
  EXPECT_EQ(s.dict_chains().used(0), s.keys());
}

namespace {
// Shares of random_entry over `n` draws, per entry index.
std::map<uint32_t, double> random_shares(Store& s, bool volatile_only, int n) {
  std::map<uint32_t, double> out;
  for (int i = 0; i < n; ++i) out[s.random_entry(volatile_only)] += 1.0 / n;
  return out;
}
}  // namespace

// allkeys-random with sampling "buckets" picks like dictGetRandomKey: a random non-empty bucket, then a random key of
// its chain, so a key sharing its bucket is drawn less often than a key alone in its own.
TEST(StoreSampling, AllkeysRandomWithBucketsDrawsLikeDictGetRandomKey) {
  Store s(cfg("allkeys-random", "buckets", 0), Rng(17));
  for (uint64_t k = 0; k < 200; ++k) s.set(k, 16, 100, Store::kNoExpiry, Time::s(1));
  s.cron(Time::s(1));  // ends any rehash: one table
  std::vector<uint32_t> warm;
  s.sample(false, 1, warm);
  const DictChains& c = s.dict_chains();
  ASSERT_FALSE(c.rehashing());
  std::map<uint32_t, double> expect;
  size_t nonempty = 0;
  for (uint64_t b = 0; b < c.table_size(0); ++b) nonempty += c.head(0, b) != DictChains::kNone;
  for (uint64_t b = 0; b < c.table_size(0); ++b) {
    std::vector<uint32_t> chain;
    for (uint32_t e = c.head(0, b); e != DictChains::kNone; e = s.dict_next_of(e)) chain.push_back(e);
    for (uint32_t e : chain) expect[e] = 1.0 / static_cast<double>(nonempty) / static_cast<double>(chain.size());
  }
  ASSERT_EQ(expect.size(), 200u);
  constexpr int kDraws = 200000;
  const auto shares = random_shares(s, false, kDraws);
  double lone = 0, shared = 0;  // the largest and smallest expected shares differ by the chain lengths
  for (const auto& [e, p] : expect) {
    EXPECT_NEAR(shares.count(e) ? shares.at(e) : 0.0, p, 5 * std::sqrt(p * (1 - p) / kDraws)) << "entry " << e;
    lone = std::max(lone, p);
    shared = shared == 0 ? p : std::min(shared, p);
  }
  EXPECT_GT(lone, 1.5 * shared) << "the table has chains of different lengths, so the law is not uniform";
}

// With sampling "uniform" (the default), allkeys-random stays uniform over the keys.
TEST(StoreSampling, AllkeysRandomUniformStaysUniform) {
  Store s(cfg("allkeys-random", "uniform", 0), Rng(19));
  for (uint64_t k = 0; k < 200; ++k) s.set(k, 16, 100, Store::kNoExpiry, Time::s(1));
  constexpr int kDraws = 200000;
  const auto shares = random_shares(s, false, kDraws);
  ASSERT_EQ(shares.size(), 200u);
  const double p = 1.0 / 200;
  for (const auto& [e, share] : shares) EXPECT_NEAR(share, p, 5 * std::sqrt(p * (1 - p) / kDraws)) << "entry " << e;
}

// volatile-random draws from the expires dict (evict.c), in either mode, and only keys with a TTL.
TEST(StoreSampling, VolatileRandomDrawsOnlyKeysWithATtl) {
  for (const char* sampling : {"uniform", "buckets"}) {
    Store s(cfg("volatile-random", sampling, 0), Rng(23));
    for (uint64_t k = 0; k < 300; ++k) s.set(k, 16, 100, k % 3 == 0 ? 1'000'000 : Store::kNoExpiry, Time::s(1));
    for (int i = 0; i < 2000; ++i) {
      const uint32_t e = s.random_entry(true);
      ASSERT_NE(e, Store::kNone) << sampling;
      ASSERT_EQ(s.entry(e).key % 3, 0u) << sampling;
    }
  }
}
