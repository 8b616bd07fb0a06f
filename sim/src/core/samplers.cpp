#include "cachelab/core/samplers.hpp"

#include <cmath>
#include <stdexcept>

namespace cachelab {

double sample_uniform(Rng& rng, double lo, double hi) { return lo + (hi - lo) * rng.uniform01(); }

double sample_exponential(Rng& rng, double mean) { return -mean * std::log(rng.uniform_open01()); }

double sample_normal(Rng& rng, double mean, double stddev) {
  double u, v, s;
  do {
    u = 2.0 * rng.uniform01() - 1.0;
    v = 2.0 * rng.uniform01() - 1.0;
    s = u * u + v * v;
  } while (s >= 1.0 || s == 0.0);
  return mean + stddev * u * std::sqrt(-2.0 * std::log(s) / s);
}

double sample_lognormal(Rng& rng, double mu, double sigma) { return std::exp(sample_normal(rng, mu, sigma)); }

// log1p(x)/x and expm1(x)/x, with their limits at 0 (both 1): H and its inverse divide by (1 - s) * log x,
// which vanishes at s = 1; these keep the formulas exact there and stable around it.
static double log1p_over_x(double x) { return std::fabs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x / 2.0; }
static double expm1_over_x(double x) { return std::fabs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x / 2.0; }

ZipfSampler::ZipfSampler(uint64_t n, double s) : n_(n), s_(s) {
  if (n < 1) throw std::invalid_argument("ZipfSampler: n must be >= 1");
  if (!(s > 0.0)) throw std::invalid_argument("ZipfSampler: exponent must be > 0");
  h_x1_ = H(1.5) - 1.0;
  h_n_ = H(static_cast<double>(n) + 0.5);
  s0_ = 2.0 - H_inverse(H(2.5) - h(2.0));
}

double ZipfSampler::h(double x) const { return std::exp(-s_ * std::log(x)); }

double ZipfSampler::H(double x) const {
  const double lx = std::log(x);
  return expm1_over_x((1.0 - s_) * lx) * lx;
}

double ZipfSampler::H_inverse(double y) const {
  double t = y * (1.0 - s_);
  if (t < -1.0) t = -1.0;  // rounding guard: the true value is never below -1
  return std::exp(log1p_over_x(t) * y);
}

uint64_t ZipfSampler::sample(Rng& rng) const {
  for (;;) {
    // u uniform in (h_x1_, h_n_]: the area under the hat function.
    const double u = h_n_ + rng.uniform01() * (h_x1_ - h_n_);
    const double x = H_inverse(u);
    double kd = std::floor(x + 0.5);
    if (kd < 1.0) kd = 1.0;
    if (kd > static_cast<double>(n_)) kd = static_cast<double>(n_);
    // Accept when x falls in k's bar of the histogram under the hat (squeeze first, then the exact test).
    if (kd - x <= s0_ || u >= H(kd + 0.5) - h(kd)) return static_cast<uint64_t>(kd);
  }
}

}  // namespace cachelab
