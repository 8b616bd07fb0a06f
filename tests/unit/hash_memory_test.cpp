// used_memory of hash objects against real Redis 7.0.15 (docs/redis-reference.md §7.9). Measured: 10,000 objects
// "key:<i>" (key sds 16 B) into an empty standalone server, one HSET of all fields each (names "f<j>"), the change
// of used_memory divided by 10,000; the main dict then has 16,384 buckets (13.1 B per object). The 10-string-key
// layout: 10 x SET "key:<i>:f<j>" (100,000 keys: 131,072 buckets, 10.5 B per key).
#include <gtest/gtest.h>

#include "cachelab/cache/memory_model.hpp"

using namespace cachelab::memory;

namespace {

constexpr double kHashMemBucketsPerObject = 16384.0 * 8 / 10000;

HashShape hash_memory_shape(uint32_t fields, uint32_t name_len, uint32_t value_len, uint32_t long_value_len = 0) {
  HashShape h;
  h.fields = fields;
  h.name_len = name_len;
  h.value_len = value_len;
  h.long_value_len = long_value_len;
  return h;
}

double hash_memory_per_object(const HashShape& h) {
  return static_cast<double>(per_hash_key_bytes(8, h, false, false)) + kHashMemBucketsPerObject;
}

}  // namespace

// The previous measurement (issue 17 objective 3) and this one, both on 7.0.15; within 2 %.
TEST(HashMemory, MatchesMeasuredRedis) {
  struct Case {
    HashShape h;
    double measured;
    const char* what;
  };
  const Case cases[] = {
      {hash_memory_shape(10, 2, 20), 398.8, "10 x 20 B, listpack"},
      {hash_memory_shape(10, 2, 20), 404.7, "10 x 20 B, listpack (this measurement)"},
      {hash_memory_shape(10, 2, 64), 844.3, "10 x 64 B, listpack"},
      {hash_memory_shape(10, 2, 65), 1530.0, "10 x 65 B, hashtable"},
      {hash_memory_shape(10, 2, 65), 1533.0, "10 x 65 B, hashtable (this measurement)"},
      {hash_memory_shape(128, 3, 10), 2616.0, "128 x 10 B, listpack"},
      {hash_memory_shape(20, 3, 65), 2925.0, "20 x 65 B: 16 -> 32 buckets still rehashing"},
      {hash_memory_shape(24, 3, 65), 3277.0, "24 x 65 B: the rehash done (two steps per field)"},
      {hash_memory_shape(10, 2, 20, 65), 1107.6, "9 x 20 B + one 65 B value: hashtable"},
      {hash_memory_shape(512, 4, 5), 7252.3, "512 x 5 B: listpack at the entries limit"},
      {hash_memory_shape(513, 4, 5), 32967.6, "513 x 5 B: hashtable presized to 1,024 buckets"},
  };
  for (const Case& c : cases) EXPECT_NEAR(hash_memory_per_object(c.h), c.measured, 0.02 * c.measured) << c.what;
}

// The names in the measurement are "f0".."f127": 10 of 2 bytes, 90 of 3, 28 of 4; a shape has one name length.
// The listpack's size class is the same with 3-byte names (2,201 vs 2,248 B: class 2,560).
TEST(HashMemory, ListpackSizeClass) {
  EXPECT_EQ(listpack_bytes(hash_memory_shape(10, 2, 20)), 320u);  // 7 + 10 x 4 + 10 x 22 = 267
  EXPECT_EQ(listpack_bytes(hash_memory_shape(10, 2, 64)), 768u);  // 7 + 40 + 10 x 67 = 717 (2-byte header at 64)
  EXPECT_EQ(listpack_bytes(hash_memory_shape(128, 3, 10)), 2560u);
  EXPECT_EQ(listpack_bytes(hash_memory_shape(1, 2, 200)), 224u);  // 7 + 4 + (2 + 200 + 2): 2-byte backlen above 127
}

TEST(HashMemory, StringKeysCostMore) {
  // 10 string keys "key:<i>:f<j>" (11-15 bytes) of 20 B: measured 1,067.3 B per object (1,065.4 before).
  const double strings = 10 * (static_cast<double>(per_key_bytes(12, 20, false, false)) + 131072.0 * 8 / 100000);
  EXPECT_NEAR(strings, 1067.3, 0.02 * 1067.3);
  EXPECT_NEAR(strings, 1065.4, 0.02 * 1065.4);
  EXPECT_GT(strings, 2.5 * hash_memory_per_object(hash_memory_shape(10, 2, 20)));
}

// hash-max-listpack-value 64: a value (or name) of 64 bytes stays, 65 converts; a single long value is enough.
TEST(HashMemory, ListpackToHashtableAtValueLimit) {
  EXPECT_TRUE(hash_is_listpack(hash_memory_shape(10, 2, 64)));
  EXPECT_FALSE(hash_is_listpack(hash_memory_shape(10, 2, 65)));
  EXPECT_TRUE(hash_is_listpack(hash_memory_shape(10, 64, 20)));
  EXPECT_FALSE(hash_is_listpack(hash_memory_shape(10, 65, 20)));
  EXPECT_TRUE(hash_is_listpack(hash_memory_shape(10, 2, 20, 64)));
  EXPECT_FALSE(hash_is_listpack(hash_memory_shape(10, 2, 20, 65)));
  const size_t at = hash_value_bytes(hash_memory_shape(10, 2, 64));
  const size_t over = hash_value_bytes(hash_memory_shape(10, 2, 65));
  EXPECT_GT(over, at + at / 2) << "one byte more per value: hashtable, ~1.8x";
  const size_t small = hash_value_bytes(hash_memory_shape(10, 2, 20));
  EXPECT_GT(hash_value_bytes(hash_memory_shape(10, 2, 20, 65)), 2 * small) << "one long field converts the hash";
}

// hash-max-listpack-entries 512: 512 fields stay a listpack, the 513th converts.
TEST(HashMemory, ListpackToHashtableAtEntriesLimit) {
  EXPECT_TRUE(hash_is_listpack(hash_memory_shape(512, 4, 5)));
  EXPECT_FALSE(hash_is_listpack(hash_memory_shape(513, 4, 5)));
  const size_t lp = hash_value_bytes(hash_memory_shape(512, 4, 5));
  const size_t ht = hash_value_bytes(hash_memory_shape(513, 4, 5));
  EXPECT_EQ(lp, 16u + 7168u);
  // 513 x (32 entry + 8 name + 8 value) + 1,024 buckets + dict + robj.
  EXPECT_EQ(ht, 513u * 48 + 8192 + 64 + 16);
  // Past the limit the presized dict grows again at 1,024 fields.
  EXPECT_EQ(hash_value_bytes(hash_memory_shape(1024, 4, 5)) - hash_value_bytes(hash_memory_shape(1023, 4, 5)), 48u);
  EXPECT_GT(hash_value_bytes(hash_memory_shape(1025, 4, 5)) - hash_value_bytes(hash_memory_shape(1024, 4, 5)),
            48u + 8192);  // 2,048 new buckets while the 1,024 old ones are still there
}
