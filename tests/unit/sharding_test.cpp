// Client-side sharding (ketama, modulo), our MD5, and the load/moved-fraction analysis (issue 3).
#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "cachelab/analytic/sharding.hpp"
#include "cachelab/client/sharding.hpp"
#include "cachelab/core/md5.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {
namespace {

TEST(Md5, Rfc1321TestSuite) {
  // RFC 1321 appendix A.5.
  EXPECT_EQ(md5_hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5_hex("a"), "0cc175b9c0f1b6a831c399e269772661");
  EXPECT_EQ(md5_hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5_hex("message digest"), "f96b697d7cb7938d525a2f31aaf161d0");
  EXPECT_EQ(md5_hex("abcdefghijklmnopqrstuvwxyz"), "c3fcd3d76192e4007dfb496cca67e13b");
  EXPECT_EQ(md5_hex("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"),
            "d174ab98d277d9f5a5611c2c9f419d9f");
  EXPECT_EQ(md5_hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Md5, PaddingBoundaries) {
  // Lengths around the 56-byte padding boundary and the 64-byte block: each message padded with one more byte
  // must differ, and the digest of a 64-byte block must not depend on what follows in memory.
  std::set<std::string> seen;
  for (int n = 50; n <= 130; ++n) seen.insert(md5_hex(std::string(static_cast<size_t>(n), 'x')));
  EXPECT_EQ(seen.size(), 81u);
  const std::string buf(200, 'y');
  EXPECT_EQ(md5_hex(std::string_view(buf.data(), 64)), md5_hex(std::string(64, 'y')));
}

TEST(Ketama, KeyHashIsTheFirstFourDigestBytesLittleEndian) {
  // libketama's ketama_hashi: MD5("abc") = 90 01 50 98 ... -> 0x98500190.
  EXPECT_EQ(ketama_hash("abc"), 0x98500190u);
}

std::vector<std::string> names(int n) {
  std::vector<std::string> v;
  for (int i = 0; i < n; ++i) v.push_back("master-" + std::to_string(i + 1));
  return v;
}
std::vector<int> ids(int n) {
  std::vector<int> v;
  for (int i = 0; i < n; ++i) v.push_back(i);
  return v;
}

KeySample sample_keys(uint64_t n) {
  KeyNamer namer("key:");
  KeySample s;
  char buf[96];
  for (uint64_t k = 0; k < n; ++k) {
    const std::string_view name(buf, namer.format(k, buf));
    s.slots.push_back(0);
    s.hashes.push_back(ketama_hash(name));
    s.weights.push_back(1);
  }
  return s;
}

ShardLayout ring_layout(Sharding scheme, int n, int points) {
  ShardLayout l;
  l.scheme = scheme;
  l.members = ids(n);
  l.ring = ClientSharding(scheme, points);
  l.ring.set_members(names(n), ids(n));
  return l;
}

TEST(Ketama, RingHas160PointsPerServerAndArcsSumToOne) {
  const KetamaRing ring(names(4), ids(4), 160);
  EXPECT_EQ(ring.points(), 640u);
  double sum = 0;
  for (double a : ring.arc_shares(ids(4))) sum += a;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}

TEST(Ketama, AddingANodeMovesAboutOneOverNPlusOneAndOnlyToTheNewNode) {
  const uint64_t keys = 200000;
  const KeySample s = sample_keys(keys);
  for (int n = 3; n <= 8; ++n) {
    const ShardLayout before = ring_layout(Sharding::Ketama, n, 160), after = ring_layout(Sharding::Ketama, n + 1, 160);
    // Consistent hashing: a key that moves, moves to the new server.
    for (size_t i = 0; i < s.hashes.size(); ++i) {
      const int a = before.ring.server_for(s.hashes[i]), b = after.ring.server_for(s.hashes[i]);
      if (a != b) {
        ASSERT_EQ(b, n) << "key " << i;
      }
    }
    const double moved = compare_layouts(before, after, s).moved_keys_fraction;
    // Exactly: the new server's arc share of the circle, up to sampling (binomial, 4 sigma).
    const double arc = KetamaRing(names(n + 1), ids(n + 1), 160).arc_shares(ids(n + 1))[static_cast<size_t>(n)];
    EXPECT_NEAR(moved, arc, 4 * std::sqrt(arc * (1 - arc) / keys)) << "N=" << n;
    // Analytic: 1/(N+1); with 160 points per server an arc deviates by about 1/sqrt(160) = 8 % relative.
    EXPECT_NEAR(moved, 1.0 / (n + 1), 0.25 / (n + 1)) << "N=" << n;
  }
}

TEST(Modulo, AddingANodeMovesAboutNOverNPlusOne) {
  const uint64_t keys = 200000;
  const KeySample s = sample_keys(keys);
  for (int n = 2; n <= 9; ++n) {
    const double moved =
        compare_layouts(ring_layout(Sharding::Modulo, n, 160), ring_layout(Sharding::Modulo, n + 1, 160), s)
            .moved_keys_fraction;
    // A uniform hash h stays iff h mod N == h mod (N+1), i.e. h mod N(N+1) < N: probability 1/(N+1).
    const double p = static_cast<double>(n) / (n + 1);
    EXPECT_NEAR(moved, p, 4 * std::sqrt(p * (1 - p) / keys)) << "N=" << n;
  }
}

TEST(Balance, MaxOverMeanAndCoefficientOfVariation) {
  const Balance b = balance_of({1, 2, 3});
  EXPECT_DOUBLE_EQ(b.max_over_mean, 1.5);
  EXPECT_NEAR(b.cv, std::sqrt(2.0 / 3.0) / 2.0, 1e-12);
  EXPECT_DOUBLE_EQ(balance_of({5, 5}).cv, 0.0);
}

TEST(Ketama, MorePointsBalanceKeysBetter) {
  // The spread of arc shares shrinks like 1/sqrt(points): 4 points per server is far worse than 640.
  const KeySample s = sample_keys(100000);
  auto cv = [&](int points) {
    const ShardLayout l = ring_layout(Sharding::Ketama, 8, points);
    return compare_layouts(l, l, s).keys_after.cv;
  };
  EXPECT_GT(cv(4), 2 * cv(640));
}

TEST(Sharding, ParseNames) {
  EXPECT_EQ(parse_sharding("ketama"), Sharding::Ketama);
  EXPECT_EQ(parse_sharding("modulo"), Sharding::Modulo);
  EXPECT_EQ(parse_sharding("redis-cluster"), Sharding::RedisCluster);
  EXPECT_THROW(parse_sharding("jump"), std::invalid_argument);
}

}  // namespace
}  // namespace cachelab
