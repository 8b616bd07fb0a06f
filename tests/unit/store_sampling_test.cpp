// The Store's bucket-walk sampler (StoreConfig::sampling "buckets", Redis's dictGetSomeKeys; ref. redis-cluster.md
// §7.5): its chains follow the DictTables through growth, shrink, TTL changes, deletes and eviction, so every sample
// is a live key (a volatile one for volatile-*), the walk is deterministic, and eviction keeps the same key count.
#include <gtest/gtest.h>

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
    if (op < 5) s.set(k, 16, 100, rng.below(2) ? t.nanos() / 1'000'000 + 60'000 : Store::kNoExpiry, t);
    else if (op < 6) s.del(k, t);
    else s.get(k, t, nullptr);
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
