#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/workload/arrivals.hpp"

using namespace cachelab;

TEST(RateShape, StepsAndRampsIntegrate) {
  RateShape r(100, {{10, 500, 5}, {20, 0, 0}});
  EXPECT_DOUBLE_EQ(r.rate_at(5), 100);
  EXPECT_DOUBLE_EQ(r.rate_at(12.5), 300);
  EXPECT_DOUBLE_EQ(r.rate_at(17), 500);
  EXPECT_DOUBLE_EQ(r.rate_at(25), 0);
  EXPECT_NEAR(r.integral(0, 10), 1000, 1e-9);
  EXPECT_NEAR(r.integral(10, 15), 1500, 1e-9);  // trapezoid 100 -> 500 over 5 s
  EXPECT_NEAR(r.integral(15, 20), 2500, 1e-9);
  EXPECT_NEAR(r.integral(20, 100), 0, 1e-9);
  // advance inverts the integral.
  for (double from : {0.0, 9.0, 11.0, 14.0}) {
    for (double mass : {1.0, 50.0, 700.0, 2000.0}) {
      const double t = r.advance(from, mass);
      if (std::isfinite(t)) {
        EXPECT_NEAR(r.integral(from, t), mass, 1e-6) << from << " " << mass;
      }
    }
  }
  EXPECT_FALSE(std::isfinite(r.advance(19, 1e6)));  // the rate drops to 0 for good
}

// Counts per window are Poisson with the integrated rate as mean: check every window within 5 sigma and the total
// within 4 sigma.
TEST(PoissonArrivals, CountsFollowTheShape) {
  RateShape shape(2000, {{10, 10000, 5}, {20, 1000, 0}});
  PoissonArrivals arr(shape, Rng(8));
  std::vector<int> counts(30, 0);
  for (;;) {
    const double t = arr.next();
    if (t >= 30) break;
    ++counts[static_cast<size_t>(t)];
  }
  double total = 0, expected_total = 0;
  for (int w = 0; w < 30; ++w) {
    const double mean = shape.integral(w, w + 1);
    EXPECT_NEAR(counts[w], mean, 5 * std::sqrt(mean)) << "window " << w;
    total += counts[w];
    expected_total += mean;
  }
  EXPECT_NEAR(total, expected_total, 4 * std::sqrt(expected_total));
}
