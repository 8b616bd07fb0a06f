#include "cachelab/workload/ycsb.hpp"

#include <cmath>
#include <stdexcept>

namespace cachelab::ycsb {

int64_t fnvhash64(int64_t val) {
  // Java's long arithmetic wraps; unsigned arithmetic here gives the same bits. `val >> 8` is an arithmetic shift in
  // Java; for the non-negative ranks YCSB hashes it is the same as a logical one, and we keep Java's for negatives.
  uint64_t hash = 0xCBF29CE484222325ull;
  for (int i = 0; i < 8; ++i) {
    const uint64_t octet = static_cast<uint64_t>(val) & 0xFF;
    val >>= 8;
    hash ^= octet;
    hash *= 1099511628211ull;
  }
  const auto h = static_cast<int64_t>(hash);
  if (h == INT64_MIN) return h;  // Math.abs(Long.MIN_VALUE) == Long.MIN_VALUE
  return h < 0 ? -h : h;
}

double zeta(int64_t st, int64_t n, double theta, double initial) {
  double sum = initial;
  for (int64_t i = st; i < n; ++i) sum += 1 / std::pow(static_cast<double>(i + 1), theta);
  return sum;
}

GrayZipfian::GrayZipfian(int64_t items, double theta, double zetan)
    : items_(items), countforzeta_(items), theta_(theta) {
  if (items < 1) throw std::invalid_argument("GrayZipfian: items must be >= 1");
  zeta2theta_ = zeta(0, 2, theta_, 0);
  alpha_ = 1.0 / (1.0 - theta_);
  zetan_ = zetan >= 0 ? zetan : zeta(0, items, theta_, 0);
  eta_ = (1 - std::pow(2.0 / static_cast<double>(items_), 1 - theta_)) / (1 - zeta2theta_ / zetan_);
  half_pow_theta_ = std::pow(0.5, theta_);
}

int64_t GrayZipfian::next(Rng& rng, int64_t itemcount) {
  if (itemcount > countforzeta_) {
    // YCSB grows zeta incrementally and keeps `items` (the constructor's count) in eta: reproduced as written.
    zetan_ = zeta(countforzeta_, itemcount, theta_, zetan_);
    countforzeta_ = itemcount;
    eta_ = (1 - std::pow(2.0 / static_cast<double>(items_), 1 - theta_)) / (1 - zeta2theta_ / zetan_);
  }
  const double u = rng.uniform01();
  const double uz = u * zetan_;
  if (uz < 1.0) return 0;
  if (uz < 1.0 + half_pow_theta_) return 1;
  return static_cast<int64_t>(static_cast<double>(itemcount) * std::pow(eta_ * u - eta_ + 1, alpha_));
}

}  // namespace cachelab::ycsb
