// used_memory per key against real Redis 7.0.15 (docs/redis-reference.md §7.8, measured: 1M SETs of 16-byte keys
// key:%012d with values of the given length; the delta per key includes 8.39 B of bucket array at 2^20 buckets).
#include <gtest/gtest.h>

#include "cachelab/cache/memory_model.hpp"

using namespace cachelab::memory;

TEST(JemallocSizeClasses, AsJemalloc53) {
  for (auto [req, cls] : std::vector<std::pair<size_t, size_t>>{{1, 8},
                                                                {8, 8},
                                                                {9, 16},
                                                                {24, 32},
                                                                {33, 48},
                                                                {40, 48},
                                                                {100, 112},
                                                                {128, 128},
                                                                {129, 160},
                                                                {200, 224},
                                                                {256, 256},
                                                                {257, 320},
                                                                {513, 640},
                                                                {1025, 1280},
                                                                {4097, 5120},
                                                                {16385, 20480}})
    EXPECT_EQ(jemalloc_usable(req), cls) << req;
}

TEST(PerKeyMemory, MatchesMeasuredRedis) {
  const double buckets = dict_table_bytes(1000000) / 1e6;  // 8.39 B per key at one million keys
  struct Case {
    size_t value_len;
    bool ttl;
    double standalone, cluster;
  };
  for (const Case& c : {Case{3, false, 104, 120}, Case{10, false, 104, 120}, Case{44, false, 136, 152},
                        Case{45, false, 152, 168}, Case{100, false, 200, 216}, Case{3, true, 144, 160}}) {
    const double ttl_buckets = c.ttl ? buckets : 0;
    EXPECT_NEAR(per_key_bytes(16, c.value_len, c.ttl, false) + buckets + ttl_buckets, c.standalone, 1.0)
        << "value " << c.value_len << (c.ttl ? " with TTL" : "");
    EXPECT_NEAR(per_key_bytes(16, c.value_len, c.ttl, true) + buckets + ttl_buckets, c.cluster, 1.0)
        << "cluster, value " << c.value_len;
  }
}

TEST(DictTable, PowersOfTwoFromFour) {
  EXPECT_EQ(dict_table_bytes(0), 0u);
  EXPECT_EQ(dict_table_bytes(1), 4u * 8);
  EXPECT_EQ(dict_table_bytes(4), 4u * 8);
  EXPECT_EQ(dict_table_bytes(5), 8u * 8);
  EXPECT_EQ(dict_table_bytes(1000000), 1048576u * 8);
}

// Redis 7.0 keeps a dict's table at its size while doubling it would take used_memory over maxmemory (server.c
// dictExpandAllowed), unless the load factor is above 1.618.
TEST(DictTable, ExpansionRefusedWhenItWouldExceedMaxmemory) {
  DictTable t;
  auto never = [](uint64_t, double ratio) { return ratio > 1.618; };
  for (size_t used = 0; used < 6; ++used) t.before_add(used, [](uint64_t, double) { return true; });
  EXPECT_EQ(t.buckets(), 8u);
  EXPECT_TRUE(t.rehashing());  // 4 -> 8 keeps the old array until its buckets have moved
  t.step(100);
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.bytes(), 64u);
  for (size_t used = 8; used <= 12; ++used) t.before_add(used, never);
  EXPECT_EQ(t.buckets(), 8u);  // 12/8 = 1.5 <= 1.618: refused
  t.before_add(13, never);     // 13/8 = 1.625: forced
  EXPECT_EQ(t.buckets(), 16u);
  EXPECT_EQ(t.bytes(), (16u + 8u) * 8);
  // The cron shrinks a table under 10 % fill to the next power of two >= used.
  t.step(100);
  t.cron(1, 0);
  EXPECT_EQ(t.buckets(), 4u);
}
