// Samplers: golden values (from an independent Python transcription of the same algorithms on the same generator),
// and distribution tests with fixed seeds. Significance level: 0.001 for every KS and chi-square test here, so a
// correct sampler fails one of them with probability about 0.001 per test and seed (fixed seeds make it all-or-none).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "cachelab/core/samplers.hpp"
#include "test_util.hpp"

using namespace cachelab;

TEST(Samplers, GoldenValues) {
  {
    Rng r(7);
    EXPECT_DOUBLE_EQ(sample_uniform(r, 2, 5), 4.101729446539069);
  }
  {
    Rng r(7);
    EXPECT_DOUBLE_EQ(sample_exponential(r, 4), 1.4234069475826447);
  }
  {
    Rng r(7);
    EXPECT_DOUBLE_EQ(sample_normal(r, 10, 2), 11.928723705451038);
  }
  {
    Rng r(7);
    EXPECT_DOUBLE_EQ(sample_lognormal(r, 1, 0.5), 4.402536826954418);
  }
  struct Case {
    uint64_t n;
    double s;
    std::vector<uint64_t> expect;
  };
  for (const Case& c : {Case{1000000, 0.99, {47724, 307999, 35191, 2154, 316403, 14953, 805, 1}},
                        Case{100, 1.0, {31, 64, 28, 10, 64, 20, 7, 1}}, Case{50, 0.5, {32, 43, 31, 18, 43, 27, 15, 1}},
                        Case{1000, 1.5, {10, 48, 8, 3, 50, 6, 2, 1}}}) {
    Rng r(11);
    ZipfSampler z(c.n, c.s);
    for (uint64_t e : c.expect) EXPECT_EQ(z.sample(r), e) << "n=" << c.n << " s=" << c.s;
  }
}

TEST(Samplers, UniformExponentialNormalLognormalPassKolmogorovSmirnov) {
  const size_t n = 200000;
  auto draw = [&](auto f) {
    std::vector<double> xs(n);
    for (auto& x : xs) x = f();
    return xs;
  };
  Rng r(2024);
  auto norm_cdf = [](double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); };
  double d = test::ks_statistic(draw([&] { return sample_uniform(r, -1, 3); }),
                                [](double x) { return std::clamp((x + 1) / 4, 0.0, 1.0); });
  EXPECT_LT(d, test::ks_critical_0001(n)) << "uniform";
  d = test::ks_statistic(draw([&] { return sample_exponential(r, 2.5); }),
                         [](double x) { return x < 0 ? 0 : 1 - std::exp(-x / 2.5); });
  EXPECT_LT(d, test::ks_critical_0001(n)) << "exponential";
  d = test::ks_statistic(draw([&] { return sample_normal(r, 3, 0.7); }),
                         [&](double x) { return norm_cdf((x - 3) / 0.7); });
  EXPECT_LT(d, test::ks_critical_0001(n)) << "normal";
  d = test::ks_statistic(draw([&] { return sample_lognormal(r, 0.2, 1.1); }),
                         [&](double x) { return x <= 0 ? 0 : norm_cdf((std::log(x) - 0.2) / 1.1); });
  EXPECT_LT(d, test::ks_critical_0001(n)) << "lognormal";
}

// Chi-square of Zipf samples against the exact pmf k^-s / H(n,s), for exponents below, at and above 1 (where the
// older form of rejection-inversion breaks down). 1,000,000 draws over n = 40 ranks; critical values at 0.001 for
// 39 degrees of freedom: 72.05.
class ZipfExact : public ::testing::TestWithParam<double> {};
TEST_P(ZipfExact, MatchesThePmfChiSquare) {
  const double s = GetParam();
  const uint64_t n = 40;
  const int draws = 1000000;
  ZipfSampler z(n, s);
  Rng r(static_cast<uint64_t>(s * 1000) + 5);
  std::vector<double> counts(n + 1, 0);
  for (int i = 0; i < draws; ++i) {
    const uint64_t k = z.sample(r);
    ASSERT_GE(k, 1u);
    ASSERT_LE(k, n);
    counts[k] += 1;
  }
  double norm = 0;
  for (uint64_t k = 1; k <= n; ++k) norm += std::pow(static_cast<double>(k), -s);
  double chi2 = 0;
  for (uint64_t k = 1; k <= n; ++k) {
    const double e = draws * std::pow(static_cast<double>(k), -s) / norm;
    chi2 += (counts[k] - e) * (counts[k] - e) / e;
  }
  EXPECT_LT(chi2, 72.05) << "s=" << s;
}
INSTANTIATE_TEST_SUITE_P(Exponents, ZipfExact, ::testing::Values(0.2, 0.6, 0.8, 0.99, 1.0, 1.01, 1.2, 2.0, 3.5));

// Large n without a table: P(rank 1) for Zipf(0.99) over 10^6 keys is 0.06497 (docs/validation.md §4).
TEST(ZipfSampler, TopRankProbabilityOverAMillionKeys) {
  ZipfSampler z(1000000, 0.99);
  Rng r(3);
  const int draws = 2000000;
  int top = 0;
  for (int i = 0; i < draws; ++i) top += z.sample(r) == 1;
  const double p = 0.06497, se = std::sqrt(p * (1 - p) / draws);
  EXPECT_NEAR(static_cast<double>(top) / draws, p, 4 * se);
}

TEST(ZipfSampler, RejectsBadParameters) {
  EXPECT_THROW(ZipfSampler(0, 1.0), std::invalid_argument);
  EXPECT_THROW(ZipfSampler(10, 0.0), std::invalid_argument);
  EXPECT_THROW(ZipfSampler(10, -1.0), std::invalid_argument);
}
