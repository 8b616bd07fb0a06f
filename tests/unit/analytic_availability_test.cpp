// The failure/failover/repair CTMC against closed forms: the two-state chain (no replica) and, with instantaneous
// failover, independent nodes (each down with probability q = MTTR/(MTBF+MTTR), so the failed count is binomial).
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/analytic/availability.hpp"

using namespace cachelab::analytic;

TEST(Availability, NoReplicaIsTwoStateChain) {
  const AvailabilityInputs in{0, 1000, 2, 16};
  const Availability a = shard_availability(in, 3);
  const double u = 2.0 / (1000 + 2);
  EXPECT_NEAR(a.shard_unavailable, u, 1e-12);
  EXPECT_NEAR(a.cluster_any_unavailable, 1 - std::pow(1 - u, 3), 1e-12);
}

TEST(Availability, InstantFailoverGivesBinomialFailedCount) {
  for (int r : {1, 2}) {
    const AvailabilityInputs in{r, 100, 5, 1e-9};
    const Availability a = shard_availability(in, 1);
    const double q = 5.0 / 105.0;
    const int n = r + 1;
    for (int f = 0; f <= n; ++f) {
      const double binom =
          std::tgamma(n + 1) / (std::tgamma(f + 1) * std::tgamma(n - f + 1)) * std::pow(q, f) * std::pow(1 - q, n - f);
      const double p =
          a.state_probabilities[static_cast<size_t>(2 * f)] + a.state_probabilities[static_cast<size_t>(2 * f + 1)];
      EXPECT_NEAR(p, binom, 1e-9) << "r=" << r << " f=" << f;
    }
    EXPECT_NEAR(a.shard_unavailable, std::pow(q, n), 1e-9);
  }
}

// With one replica and rare failures, unavailability is dominated by failovers: rate ~ 1/MTBF per master, each
// costing failover_s, so U ~ failover_s / MTBF (plus the double-failure term q^2).
TEST(Availability, FailoverTimeDominatesWithReplicas) {
  const AvailabilityInputs in{1, 8760, 0.5, 16};
  const Availability a = shard_availability(in, 1);
  const double failover_share = 16.0 / (8760 * 3600.0);
  const double q = 0.5 / 8760.5;
  EXPECT_NEAR(a.shard_unavailable, failover_share + q * q, 0.02 * failover_share);
  double sum = 0;
  for (double p : a.state_probabilities) sum += p;
  EXPECT_NEAR(sum, 1.0, 1e-12);
}
