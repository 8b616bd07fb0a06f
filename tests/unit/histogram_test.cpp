#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cachelab/core/samplers.hpp"
#include "cachelab/metrics/histogram.hpp"

using namespace cachelab;

// Every reported percentile is within the documented bound (1/256) of the exact nearest-rank order statistic,
// on heavy-tailed data spanning six orders of magnitude.
TEST(LogHistogram, PercentilesWithinDocumentedRelativeError) {
  ASSERT_LE(LogHistogram::kMaxRelativeError, 0.01);  // the ceiling
  Rng r(5);
  std::vector<uint64_t> xs;
  LogHistogram h;
  for (int i = 0; i < 200000; ++i) {
    const uint64_t v = static_cast<uint64_t>(sample_lognormal(r, 11, 2.0));
    xs.push_back(v);
    h.record(v);
  }
  std::sort(xs.begin(), xs.end());
  for (double q : {0.001, 0.1, 0.5, 0.9, 0.99, 0.999, 0.9999, 1.0}) {
    const size_t rank = std::max<size_t>(1, static_cast<size_t>(std::ceil(q * xs.size())));
    const double exact = static_cast<double>(xs[rank - 1]);
    const double got = *h.quantile(q);
    EXPECT_LE(std::fabs(got - exact), exact * LogHistogram::kMaxRelativeError + 0.5) << "q=" << q;
  }
  EXPECT_EQ(h.max(), xs.back());
  EXPECT_EQ(h.count(), xs.size());
}

TEST(LogHistogram, SmallValuesAreExactAndEmptyHasNoPercentile) {
  LogHistogram h;
  EXPECT_FALSE(h.quantile(0.5).has_value());
  EXPECT_FALSE(h.mean().has_value());
  for (uint64_t v : {3, 1, 2, 200, 255}) h.record(v);
  EXPECT_EQ(*h.quantile(0.5), 3.0);
  EXPECT_EQ(*h.quantile(1.0), 255.0);
  EXPECT_DOUBLE_EQ(*h.mean(), (3 + 1 + 2 + 200 + 255) / 5.0);
}

TEST(LogHistogram, BucketsTileTheLineWithoutGaps) {
  double prev_hi = 0;
  for (int i = 0; i < LogHistogram::kBuckets; ++i) {
    double lo, hi;
    LogHistogram::bucket_range(i, lo, hi);
    ASSERT_EQ(lo, prev_hi) << i;
    if (i >= LogHistogram::kExact) {
      ASSERT_LE((hi - lo) / lo, 1.0 / 128 + 1e-12) << i;
    }  // below: exact buckets
    prev_hi = hi;
    if (i > 300) break;  // beyond here the pattern repeats per octave; index_of is checked below
  }
  for (uint64_t v : {255ull, 256ull, 257ull, 1000ull, 123456789ull, (1ull << 40) + 12345, ~0ull}) {
    double lo, hi;
    LogHistogram::bucket_range(LogHistogram::index_of(v), lo, hi);
    EXPECT_LE(lo, static_cast<double>(v));
    EXPECT_GT(hi, static_cast<double>(v) * (1 - 1e-15));
  }
}
