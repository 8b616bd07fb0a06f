// Key slots against docs/redis-reference.md §1.3 (values confirmed with CLUSTER KEYSLOT on Redis 7.0.15) and
// slot ranges against §1.4 (redis-cli --cluster create; N=3 measured on a real redis-cli).
#include <gtest/gtest.h>

#include "cachelab/cluster/slots.hpp"

using namespace cachelab;

TEST(Crc16, XmodemTestVector) { EXPECT_EQ(crc16("123456789", 9), 0x31C3); }

TEST(KeyHashSlot, TableFromRealRedis) {
  struct Case {
    std::string key;
    int slot;
  };
  for (const Case& c : {Case{"foo", 12182},
                        Case{"bar", 5061},
                        Case{"hello", 866},
                        Case{"key", 12539},
                        Case{"somekey", 11058},
                        Case{"foo{hash_tag}", 2515},
                        Case{"bar{hash_tag}", 2515},
                        Case{"a", 15495},
                        Case{"mykey", 14687},
                        Case{"key:1", 6657},
                        Case{"user1000", 3443},
                        Case{"{user1000}.following", 3443},
                        Case{"{user1000}.followers", 3443},
                        Case{"foo{}{bar}", 8363},
                        Case{"foo{{bar}}zap", 4015},
                        Case{"foo{bar}{zap}", 5061},
                        Case{"{foo}bar", 12182},
                        Case{"{}", 15257},
                        Case{"", 0},
                        Case{"123456789", 12739}})
    EXPECT_EQ(key_hash_slot(c.key), c.slot) << "key \"" << c.key << "\"";
}

TEST(KeyHashSlot, BinarySafe) {
  const std::string with_nul("a\0b", 3);
  EXPECT_EQ(key_hash_slot(with_nul), crc16(with_nul.data(), 3) & 0x3FFF);
  const std::string tagged("{\0x}y", 5);
  EXPECT_EQ(key_hash_slot(tagged), crc16("\0x", 2) & 0x3FFF);
}

TEST(RedisCliSlotRanges, MatchReference) {
  using R = std::vector<std::pair<int, int>>;
  EXPECT_EQ(redis_cli_slot_ranges(3), (R{{0, 5460}, {5461, 10922}, {10923, 16383}}));
  EXPECT_EQ(redis_cli_slot_ranges(4), (R{{0, 4095}, {4096, 8191}, {8192, 12287}, {12288, 16383}}));
  EXPECT_EQ(redis_cli_slot_ranges(5), (R{{0, 3276}, {3277, 6553}, {6554, 9829}, {9830, 13106}, {13107, 16383}}));
  EXPECT_EQ(redis_cli_slot_ranges(6),
            (R{{0, 2730}, {2731, 5460}, {5461, 8191}, {8192, 10922}, {10923, 13652}, {13653, 16383}}));
}

TEST(RedisCliSlotRanges, CoverEverySlotOnceForAnyCount) {
  for (int n = 1; n <= 100; ++n) {
    const auto r = redis_cli_slot_ranges(n);
    ASSERT_EQ(static_cast<int>(r.size()), n);
    int next = 0;
    for (const auto& [a, b] : r) {
      ASSERT_EQ(a, next);
      ASSERT_GE(b, a);
      next = b + 1;
    }
    ASSERT_EQ(next, kClusterSlots);
  }
}

// crc16 folds 8 bytes at a time: it must equal the bit-by-bit definition (XMODEM: poly 0x1021, init 0, no
// reflection, docs/redis-reference.md §1.1) for every length and content, including bytes >= 0x80.
TEST(Crc16, SlicedEqualsBitwiseDefinition) {
  auto bitwise = [](const std::string& s) {
    uint16_t crc = 0;
    for (unsigned char c : s) {
      crc ^= static_cast<uint16_t>(c << 8);
      for (int b = 0; b < 8; ++b) crc = static_cast<uint16_t>((crc & 0x8000) ? (crc << 1) ^ 0x1021 : crc << 1);
    }
    return crc;
  };
  uint64_t x = 88172645463325252ull;
  for (size_t len = 0; len <= 70; ++len)
    for (int rep = 0; rep < 20; ++rep) {
      std::string s(len, '\0');
      for (auto& c : s) {
        x ^= x << 13, x ^= x >> 7, x ^= x << 17;  // xorshift64: any bytes will do
        c = static_cast<char>(x & 0xFF);
      }
      ASSERT_EQ(cachelab::crc16(s.data(), s.size()), bitwise(s)) << "len " << len;
    }
}
