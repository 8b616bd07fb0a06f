// The kept-key count of the measurement in docs/toolchain.md §4: Redis 7.0.15, standalone, maxmemory 20mb, allkeys-lru,
// one client sending 100k sequential SETs of 200-byte values keeps 67,392 keys. Key names are not recorded there; we
// use key:0 .. key:99999 (a local re-run with those names kept 67,477..67,612). What Redis counts
// (docs/redis-reference.md §7.8): the empty server (memory::startup_bytes), one client connection, and per key a 32 B dictEntry, a 16 B key
// sds and a RAW value (16 B robj + 224 B sds) = 288 B; the main table stays at 65,536 buckets (512 KB) because
// doubling it would exceed maxmemory (dictExpandAllowed). A model that let the table grow to 2^17 kept ~2.5 % too few
// keys.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"

using namespace cachelab;

namespace {
size_t kept_after_sequential_sets(uint64_t maxmemory, uint32_t value_len, int n) {
  StoreConfig c;
  c.maxmemory_bytes = maxmemory;
  c.policy = "allkeys-lru";
  c.cluster_mode = false;
  c.client_connections = 1;
  Store s(c, Rng(20));
  Time t = Time::s(1);
  for (int i = 0; i < n; ++i) {
    t = t + Time::us(10);           // ~10 µs per round trip (docs/toolchain.md §4)
    if (i % 10000 == 0) s.cron(t);  // serverCron at hz 10: one call per 100 ms
    EXPECT_TRUE(s.make_room(t));
    s.set(static_cast<uint64_t>(i), static_cast<uint32_t>(("key:" + std::to_string(i)).size()), value_len,
          Store::kNoExpiry, t);
  }
  return s.keys();
}
}  // namespace

TEST(Maxmemory20mb, KeepsWhatRedisKeeps) {
  const size_t kept = kept_after_sequential_sets(20ull * 1024 * 1024, 200, 100000);
  EXPECT_NEAR(static_cast<double>(kept), 67392.0, 0.02 * 67392) << kept;
}

// The same accounting, derived by hand: (maxmemory - startup - one client - 2^16 buckets) / 288 B per key, plus the
// one key the last SET adds after make_room. Independent of the Store's bookkeeping.
TEST(Maxmemory20mb, MatchesTheHandCount) {
  const double room = 20.0 * 1024 * 1024 - memory::startup_bytes(false) - memory::kClientConnectionBytes - 65536 * 8;
  const size_t kept = kept_after_sequential_sets(20ull * 1024 * 1024, 200, 100000);
  EXPECT_NEAR(static_cast<double>(kept), room / 288.0, 3.0);  // + the last SET; keys 0..99 have 8-byte sds
}

// closest_expand_margin_bytes: the room maxmemory left over the closest expansion it allowed (what the memory grid
// compares with the cluster bus's transient buffers, docs/redis-reference.md §7.8.1). Measured on a Store without a
// practical limit, the 4,097th key's expansion needs `needed` bytes; a Store with exactly that maxmemory allows it with
// no room left, one byte less refuses it (dictExpandAllowed) and reports only the earlier, roomier expansions.
TEST(Maxmemory20mb, ClosestExpansionMarginIsTheRoomLeftAtTheDecision) {
  auto fill = [](uint64_t maxmemory, int n) {
    StoreConfig c;
    c.maxmemory_bytes = maxmemory;
    c.policy = "allkeys-lru";
    c.client_connections = 1;
    auto s = std::make_unique<Store>(c, Rng(20));
    Time t = Time::s(1);
    for (int i = 0; i < n; ++i) {
      t = t + Time::us(10);
      s->make_room(t);
      s->set(static_cast<uint64_t>(i), 16, 100, Store::kNoExpiry, t);
    }
    return s;
  };
  const uint64_t big = 1ull << 30;
  const auto roomy = fill(big, 4097);
  ASSERT_EQ(roomy->dict_buckets(), 8192u);
  const uint64_t needed = big - roomy->closest_expand_margin_bytes();
  const auto exact = fill(needed, 4097);
  EXPECT_EQ(exact->dict_buckets(), 8192u);
  EXPECT_EQ(exact->keys(), 4097u);
  EXPECT_EQ(exact->closest_expand_margin_bytes(), 0u);
  const auto short_by_one = fill(needed - 1, 4097);
  EXPECT_EQ(short_by_one->dict_buckets(), 4096u);
  EXPECT_EQ(short_by_one->keys(), 4097u);  // the refused array is the room the last key needed
  EXPECT_GT(short_by_one->closest_expand_margin_bytes(), 4096u * 8);   // the 2,048 -> 4,096 one had a whole array spare
  EXPECT_EQ(fill(0, 100)->closest_expand_margin_bytes(), UINT64_MAX);  // no maxmemory: nothing decided by it
}
