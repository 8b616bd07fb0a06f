#include "cachelab/metrics/histogram.hpp"

#include <algorithm>
#include <cmath>

namespace cachelab {

void LogHistogram::merge(const LogHistogram& o) {
  for (int i = 0; i < kBuckets; ++i) counts_[i] += o.counts_[i];
  count_ += o.count_;
  sum_ += o.sum_;
  max_ = std::max(max_, o.max_);
  min_ = std::min(min_, o.min_);
}

void LogHistogram::reset() {
  if (count_ == 0) return;
  counts_.fill(0);
  count_ = 0;
  sum_ = 0;
  max_ = 0;
  min_ = UINT64_MAX;
}

std::optional<double> LogHistogram::mean() const {
  if (!count_) return std::nullopt;
  return static_cast<double>(sum_) / static_cast<double>(count_);
}

void LogHistogram::bucket_range(int idx, double& lo, double& hi) {
  if (idx < kExact) {
    lo = idx;
    hi = idx + 1;
    return;
  }
  const int rel = idx - kExact;
  const int e = 8 + rel / (1 << kSubBits);
  const int sub = rel % (1 << kSubBits);
  const double width = std::ldexp(1.0, e - kSubBits);
  lo = std::ldexp(1.0, e) + sub * width;
  hi = lo + width;
}

std::optional<double> LogHistogram::quantile(double q) const {
  if (!count_) return std::nullopt;
  q = std::clamp(q, 0.0, 1.0);
  uint64_t rank = static_cast<uint64_t>(std::ceil(q * static_cast<double>(count_)));
  if (rank < 1) rank = 1;
  uint64_t seen = 0;
  for (int i = 0; i < kBuckets; ++i) {
    seen += counts_[i];
    if (seen >= rank) {
      double lo, hi;
      bucket_range(i, lo, hi);
      const double v = i < kExact ? lo : (lo + hi) / 2;
      return std::clamp(v, static_cast<double>(min_), static_cast<double>(max_));
    }
  }
  return static_cast<double>(max_);
}

}  // namespace cachelab
