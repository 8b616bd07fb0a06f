// Golden values come from an independent Python transcription of the published algorithms (SplitMix64,
// xoshiro256**, FNV-1a) run once by hand; splitmix64 from state 0 gives 0xe220a8397b1dcdaf, the published first
// output of Vigna's splitmix64.c.
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cachelab/core/rng.hpp"

using namespace cachelab;

TEST(Rng, SplitMix64MatchesTheReference) {
  uint64_t st = 0;
  EXPECT_EQ(splitmix64(st), 0xe220a8397b1dcdafull);
}

TEST(Rng, Xoshiro256StarStarGoldenValues) {
  Rng r(42);
  EXPECT_EQ(r.next_u64(), 0x15780b2e0c2ec716ull);
  EXPECT_EQ(r.next_u64(), 0x6104d9866d113a7eull);
  EXPECT_EQ(r.next_u64(), 0xae17533239e499a1ull);
  EXPECT_EQ(r.next_u64(), 0xecb8ad4703b360a1ull);
  Rng z(0);
  EXPECT_EQ(z.next_u64(), 0x99ec5f36cb75f2b4ull);
  EXPECT_EQ(z.next_u64(), 0xbf6e1f784956452aull);
}

TEST(Rng, StreamsAreDerivedFromSeedAndName) {
  EXPECT_EQ(fnv1a64("workload"), 0x5e9e510067ade45cull);
  EXPECT_EQ(derive_seed(42, "workload"), 0x37cf33242036dd51ull);
  EXPECT_NE(derive_seed(42, "workload"), derive_seed(42, "network"));
  EXPECT_NE(derive_seed(42, "workload"), derive_seed(43, "workload"));
}

TEST(Rng, UniformIsInRangeAndOpenIntervalExcludesZero) {
  Rng r(1);
  for (int i = 0; i < 100000; ++i) {
    const double u = r.uniform01();
    ASSERT_GE(u, 0.0);
    ASSERT_LT(u, 1.0);
    const double v = r.uniform_open01();
    ASSERT_GT(v, 0.0);
    ASSERT_LE(v, 1.0);
  }
}

// below(n) is unbiased: chi-square over 6 cells with 5 degrees of freedom; the 0.001 critical value is 20.515.
TEST(Rng, BelowIsUniformChiSquare) {
  Rng r(99);
  const int n = 600000;
  std::vector<int> counts(6, 0);
  for (int i = 0; i < n; ++i) ++counts[r.below(6)];
  double chi2 = 0;
  for (int c : counts) chi2 += (c - n / 6.0) * (c - n / 6.0) / (n / 6.0);
  EXPECT_LT(chi2, 20.515);
}
