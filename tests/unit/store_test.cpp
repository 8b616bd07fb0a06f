// The node keyspace: maxmemory, eviction (docs/redis-reference.md §7), lazy expiry (§8.1).
#include <gtest/gtest.h>

#include <map>
#include <string>

#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"

using namespace cachelab;

namespace {
StoreConfig cfg(const std::string& policy, uint64_t maxmemory, bool cluster = false) {
  StoreConfig c;
  c.policy = policy;
  c.maxmemory_bytes = maxmemory;
  c.cluster_mode = cluster;
  return c;
}
// Room for about `keys` keys of 16-byte names and 3-byte values (80 B each, standalone) above startup memory.
uint64_t room_for(size_t keys, bool ttl = false) {
  return memory::startup_bytes(false) + keys * memory::per_key_bytes(16, 3, ttl, false) +
         memory::dict_table_bytes(keys) + (ttl ? memory::dict_table_bytes(keys) : 0);
}
}  // namespace

TEST(Store, NoevictionRefusesOnceFull) {
  Store s(cfg("noeviction", room_for(100)), Rng(1));
  Time t = Time::s(1);
  int refused = 0;
  for (uint64_t k = 0; k < 200; ++k) {
    if (!s.make_room(t)) {
      ++refused;
      continue;  // the caller replies OOM and does not write
    }
    s.set(k, 16, 3, Store::kNoExpiry, t);
  }
  EXPECT_EQ(s.keys(), 101u);  // the write that crosses the limit succeeds; the next command sees used > maxmemory
  EXPECT_EQ(refused, 99);
  EXPECT_EQ(s.evicted_keys(), 0u);
  // DEL still works and frees memory, after which writes are accepted again.
  EXPECT_TRUE(s.del(0, t));
  EXPECT_TRUE(s.del(1, t));
  EXPECT_TRUE(s.make_room(t));
}

// Redis's policies evict before the next command (performEvictions), so the write that crosses maxmemory leaves one
// key too many until then; the reference policies make room before they insert (as a cache, and as in replay), so
// used_memory never exceeds maxmemory at all.
TEST(Store, EveryPolicyKeepsUsedMemoryUnderMaxmemoryBeforeEachCommand) {
  for (const char* p : {"allkeys-lru", "allkeys-lfu", "allkeys-random", "lru", "fifo", "random", "lfu", "clock",
                        "sieve", "s3fifo", "arc"}) {
    const bool redis = std::string(p).rfind("allkeys-", 0) == 0;
    Store s(cfg(p, room_for(500)), Rng(2));
    for (uint64_t k = 0; k < 5000; ++k) {
      const Time t = Time::ms(static_cast<int64_t>(k));
      ASSERT_TRUE(s.make_room(t)) << p;
      ASSERT_LE(s.used_memory(), s.maxmemory()) << p;
      s.set(k, 16, 3, Store::kNoExpiry, t);
      if (!redis) {
        ASSERT_LE(s.used_memory(), s.maxmemory()) << p;
      }
    }
    const size_t kept = redis ? 501 : 500;
    EXPECT_EQ(s.keys(), kept) << p;
    EXPECT_EQ(s.evicted_keys(), 5000u - kept) << p;
  }
}

TEST(Store, VolatilePoliciesWithoutVolatileKeysBehaveLikeNoeviction) {
  for (const char* p : {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
    Store s(cfg(p, room_for(50)), Rng(3));
    for (uint64_t k = 0; k < 60; ++k)
      if (s.make_room(Time::s(1))) s.set(k, 16, 3, Store::kNoExpiry, Time::s(1));
    EXPECT_FALSE(s.make_room(Time::s(1))) << p;
    EXPECT_EQ(s.evicted_keys(), 0u) << p;
  }
}

TEST(Store, VolatilePoliciesEvictOnlyKeysWithATtl) {
  for (const char* p : {"volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"}) {
    Store s(cfg(p, room_for(100)), Rng(4));
    for (uint64_t k = 0; k < 40; ++k) s.set(k, 16, 3, Store::kNoExpiry, Time::s(1));  // persistent
    for (uint64_t k = 1000; k < 1200; ++k) {
      ASSERT_TRUE(s.make_room(Time::s(1))) << p;
      s.set(k, 16, 3, 1'000'000 + static_cast<int64_t>(k), Time::s(1));
    }
    uint32_t b;
    for (uint64_t k = 0; k < 40; ++k) EXPECT_TRUE(s.get(k, Time::s(1), &b)) << p << " evicted persistent key " << k;
  }
}

TEST(Store, VolatileTtlEvictsTheSoonestExpiringAmongSamples) {
  StoreConfig c = cfg("volatile-ttl", room_for(1000, true));
  c.maxmemory_samples = 64;
  Store s(c, Rng(5));
  for (uint64_t k = 0; k < 1000; ++k) s.set(k, 16, 3, 10'000'000 + static_cast<int64_t>(k) * 1000, Time::s(1));
  // One more key forces an eviction: with 64 samples out of 1000 and the pool, the victim expires early.
  s.set(5000, 16, 3, 99'000'000, Time::s(1));
  ASSERT_TRUE(s.make_room(Time::s(1)));
  ASSERT_EQ(s.evicted_keys(), 1u);
  uint32_t b;
  int missing_late = 0;
  for (uint64_t k = 500; k < 1000; ++k) missing_late += !s.get(k, Time::s(1), &b);
  EXPECT_EQ(missing_late, 0) << "evicted a key from the later-expiring half";
}

TEST(Store, ExactLruEvictsTheLeastRecentlyUsed) {
  Store s(cfg("lru", room_for(3)), Rng(6));
  uint32_t b;
  Time t = Time::s(1);
  s.set(1, 16, 3, Store::kNoExpiry, t);
  s.set(2, 16, 3, Store::kNoExpiry, t);
  s.set(3, 16, 3, Store::kNoExpiry, t);
  ASSERT_TRUE(s.get(1, t, &b));  // 2 is now the least recently used
  s.set(4, 16, 3, Store::kNoExpiry, t);
  ASSERT_TRUE(s.make_room(t));
  EXPECT_FALSE(s.get(2, t, &b));
  EXPECT_TRUE(s.get(1, t, &b));
  EXPECT_TRUE(s.get(3, t, &b));
  EXPECT_TRUE(s.get(4, t, &b));
}

TEST(Store, ExactFifoIgnoresHits) {
  Store s(cfg("fifo", room_for(3)), Rng(6));
  uint32_t b;
  Time t = Time::s(1);
  for (uint64_t k = 1; k <= 3; ++k) s.set(k, 16, 3, Store::kNoExpiry, t);
  ASSERT_TRUE(s.get(1, t, &b));
  s.set(4, 16, 3, Store::kNoExpiry, t);
  ASSERT_TRUE(s.make_room(t));
  EXPECT_FALSE(s.get(1, t, &b));
}

// Redis's allkeys-lru with its 1-second clock: keys idle for many seconds go before keys touched just now.
TEST(Store, RedisLruPrefersLongIdleKeys) {
  Store s(cfg("allkeys-lru", room_for(1000)), Rng(7));
  for (uint64_t k = 0; k < 1000; ++k) s.set(k, 16, 3, Store::kNoExpiry, Time::s(1));
  uint32_t b;
  for (uint64_t k = 0; k < 500; ++k) ASSERT_TRUE(s.get(k, Time::s(100), &b));  // the first half is fresh
  for (uint64_t k = 2000; k < 2200; ++k) {
    ASSERT_TRUE(s.make_room(Time::s(100)));
    s.set(k, 16, 3, Store::kNoExpiry, Time::s(100));
  }
  int fresh_evicted = 0;
  for (uint64_t k = 0; k < 500; ++k) fresh_evicted += !s.get(k, Time::s(100), &b);
  EXPECT_EQ(fresh_evicted, 0);
}

TEST(Store, LazyExpiryDeletesOnAccessAfterTheDeadline) {
  Store s(cfg("noeviction", 0), Rng(8));
  uint32_t b;
  s.set(1, 16, 3, 5000, Time::ms(0));         // expires at t = 5000 ms
  EXPECT_TRUE(s.get(1, Time::ms(5000), &b));  // keyIsExpired is now > when: not yet at 5000
  const uint64_t with_key = s.used_memory();
  EXPECT_FALSE(s.get(1, Time::ms(5001), &b));
  EXPECT_EQ(s.expired_keys(), 1u);
  EXPECT_EQ(s.keys(), 0u);
  EXPECT_LT(s.used_memory(), with_key);
}

TEST(Store, SetWithoutTtlClearsTheTtl) {
  Store s(cfg("noeviction", 0), Rng(9));
  uint32_t b;
  s.set(1, 16, 3, 5000, Time::ms(0));
  EXPECT_EQ(s.volatile_keys(), 1u);
  s.set(1, 16, 3, Store::kNoExpiry, Time::ms(1));
  EXPECT_EQ(s.volatile_keys(), 0u);
  EXPECT_TRUE(s.get(1, Time::s(100), &b));
}

TEST(Store, UsedMemoryFollowsTheModel) {
  Store s(cfg("noeviction", 0, true), Rng(10));
  for (uint64_t k = 0; k < 1000; ++k) s.set(k, 16, 100, Store::kNoExpiry, Time::s(1));
  EXPECT_EQ(s.used_memory(), memory::startup_bytes(true) + 1000 * memory::per_key_bytes(16, 100, false, true) +
                                 memory::dict_table_bytes(1000));
}

TEST(PolicyRegistry, HasRedisEightAndReferencePolicies) {
  for (const char* p :
       {"noeviction", "allkeys-lru", "allkeys-lfu", "allkeys-random", "volatile-lru", "volatile-lfu", "volatile-random",
        "volatile-ttl", "lru", "fifo", "random", "lfu", "clock", "sieve", "s3fifo", "arc", "belady"})
    EXPECT_NE(PolicyRegistry::instance().find(p), nullptr) << p;
}

// performEvictions counts the command's arguments, allocated before it runs (docs/redis-reference.md §7.8.2).
TEST(Store, MakeRoomCountsTheCommandsArguments) {
  Store s(cfg("allkeys-lru", room_for(100)), Rng(1));
  Time t = Time::s(1);
  for (uint64_t k = 0; k < 300; ++k) {
    s.make_room(t);
    s.set(k, 16, 3, Store::kNoExpiry, t);
  }
  s.make_room(t);
  const uint64_t kept = s.keys();
  const uint64_t slack = s.maxmemory() - s.used_memory();
  s.make_room(t, slack);  // fits exactly: nothing evicted
  EXPECT_EQ(s.keys(), kept);
  s.make_room(t, slack + 1);
  EXPECT_EQ(s.keys(), kept - 1);
}
