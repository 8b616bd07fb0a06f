// Che's approximation and the FIFO/RANDOM characteristic-time approximation against docs/validation.md:
// table A (N = 10^4, computed there with plain double code), §2 (icarus's published test bounds; Jelenkovic's
// limit, a closed form), §4 (N = 10^6, alpha 0.99); the large-N quadrature against the exact pmf.
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/analytic/che.hpp"
#include "cachelab/analytic/cluster_hit.hpp"

using namespace cachelab::analytic;

namespace {
std::vector<double> zipf_weights(size_t n, double alpha) {
  std::vector<double> w(n);
  for (size_t i = 0; i < n; ++i) w[i] = std::pow(static_cast<double>(i + 1), -alpha);
  return w;
}
}  // namespace

struct TableA {
  double alpha, C, T_lru, h_lru, T_rnd, h_rnd;
};
class CheTableA : public ::testing::TestWithParam<TableA> {};

TEST_P(CheTableA, MatchesReferenceTable) {
  const TableA r = GetParam();
  const auto cls = pmf_classes(zipf_weights(10000, r.alpha));
  const CacheEstimate lru = cache_hit(cls, r.C, CacheModel::Lru);
  const CacheEstimate rnd = cache_hit(cls, r.C, CacheModel::FifoRandom);
  // The table prints T to 2 decimals and h to 5.
  EXPECT_NEAR(lru.characteristic_time, r.T_lru, 0.006);
  EXPECT_NEAR(lru.hit_ratio(), r.h_lru, 0.000006);
  EXPECT_NEAR(rnd.characteristic_time, r.T_rnd, 0.006);
  EXPECT_NEAR(rnd.hit_ratio(), r.h_rnd, 0.000006);
}
// docs/validation.md table A (N = 10,000): T_C (LRU), LRU hit (Che), T (RANDOM), RANDOM/FIFO hit (approx).
INSTANTIATE_TEST_SUITE_P(Zipf10k, CheTableA,
                         ::testing::Values(TableA{0.60, 10, 10.02, 0.00495, 10.05, 0.00487},
                                           TableA{0.60, 1000, 1173.65, 0.24321, 1282.11, 0.22003},
                                           TableA{0.80, 100, 110.79, 0.15662, 115.42, 0.13362},
                                           TableA{0.80, 1000, 1472.48, 0.43666, 1650.65, 0.39418},
                                           TableA{0.99, 10, 10.73, 0.12193, 11.17, 0.10506},
                                           TableA{0.99, 1000, 2281.94, 0.66414, 2624.88, 0.61903},
                                           TableA{1.20, 100, 225.64, 0.65634, 252.08, 0.60331},
                                           TableA{1.20, 1000, 5026.89, 0.86143, 5946.97, 0.83185}));

// icarus TestCheApproximation (Zipf 0.8, N = 100, C = 40): 72.1 <= T <= 72.3, 0.63 <= h <= 0.66 (docs/validation.md
// §2).
TEST(Che, IcarusPublishedBounds) {
  const CacheEstimate e = cache_hit(pmf_classes(zipf_weights(100, 0.8)), 40, CacheModel::Lru);
  EXPECT_GE(e.characteristic_time, 72.1);
  EXPECT_LE(e.characteristic_time, 72.3);
  EXPECT_GE(e.hit_ratio(), 0.63);
  EXPECT_LE(e.hit_ratio(), 0.66);
}

// Perfect LFU = top-C mass (table A's last column).
TEST(Che, PerfectLfuIsTopMass) {
  const auto cls = pmf_classes(zipf_weights(10000, 0.99));
  EXPECT_NEAR(cache_hit(cls, 100, CacheModel::PerfectLfu).hit_ratio(), 0.51784, 0.000006);
  // Through the quadrature classes too (fractional counts at the cut).
  EXPECT_NEAR(cache_hit(zipf_classes(10000, 0.99, 50), 100, CacheModel::PerfectLfu).hit_ratio(), 0.51784, 0.00002);
}

// The large-N path: head exact, tail by quadrature. Against the exact pmf at N = 10^6 (docs/validation.md §4 values
// too).
TEST(Che, QuadratureTailMatchesExactPmfAtOneMillion) {
  const auto exact = pmf_classes(zipf_weights(1000000, 0.99));
  const auto fast = zipf_classes(1000000, 0.99);
  ASSERT_LT(fast.size(), 30000u);
  for (auto [C, ref] : {std::pair{1000.0, 0.38357}, std::pair{10000.0, 0.56618}, std::pair{100000.0, 0.76634}}) {
    const double he = cache_hit(exact, C, CacheModel::Lru).hit_ratio();
    const double hf = cache_hit(fast, C, CacheModel::Lru).hit_ratio();
    EXPECT_NEAR(hf, he, 1e-8) << "C=" << C;
    EXPECT_NEAR(hf, ref, 0.000006) << "C=" << C;
  }
}

// Jelenkovic (1999): for an infinite Zipf(alpha > 1) catalogue, LRU miss / top-C miss -> (1-1/a) Gamma(1-1/a)^a.
// A catalogue of 10^12 keys stands for infinity (tail mass beyond it < 2e-6 for alpha >= 1.5).
TEST(Che, JelenkovicLimitOnHugeCatalogue) {
  for (double a : {1.5, 2.0}) {
    const auto cls = zipf_classes(1000000000000ull, a);
    const double C = 1000;
    const double lru_miss = 1 - cache_hit(cls, C, CacheModel::Lru).hit_ratio();
    const double lfu_miss = 1 - cache_hit(cls, C, CacheModel::PerfectLfu).hit_ratio();
    const double limit = (1 - 1 / a) * std::pow(std::tgamma(1 - 1 / a), a);
    EXPECT_NEAR(lru_miss / lfu_miss, limit, 2e-4 * limit) << "alpha " << a;
  }
}

TEST(Che, EdgeCases) {
  const auto cls = uniform_classes(1000);
  EXPECT_NEAR(cache_hit(cls, 250, CacheModel::Lru).hit_ratio(), 0.25, 1e-12);  // uniform: h = C/N
  EXPECT_NEAR(cache_hit(cls, 250, CacheModel::FifoRandom).hit_ratio(), 0.25, 1e-12);
  EXPECT_EQ(cache_hit(cls, 1000, CacheModel::Lru).hit_ratio(), 1.0);
  EXPECT_EQ(cache_hit(cls, 0, CacheModel::Lru).hit_ratio(), 0.0);
}

// A cluster of M nodes with capacity C each: keys spread by hash, so the total is close to one cache of M*C
// (exactly so for uniform popularity), and the node shares add up to 1.
TEST(ClusterHit, SpreadByHashIsCloseToOneBigCache) {
  const auto cls = zipf_classes(100000, 0.8);
  const ClusterHit c = cluster_hit(cls, "key:", 4, false, 2500, CacheModel::Lru);
  const double one = cache_hit(cls, 10000, CacheModel::Lru).hit_ratio();
  double share = 0;
  for (const auto& n : c.nodes) share += n.request_share;
  EXPECT_NEAR(share, 1.0, 1e-9);
  EXPECT_NEAR(c.hit_ratio, one, 0.01);
  const ClusterHit u = cluster_hit(uniform_classes(100000), "key:", 4, false, 2500, CacheModel::Lru);
  EXPECT_NEAR(u.hit_ratio, 0.1, 1e-9);
  const ClusterHit s = cluster_hit(cls, "key:", 1, true, 10000, CacheModel::Lru);
  EXPECT_NEAR(s.hit_ratio, one, 1e-12);
}
