#pragma once
// Our own samplers, on top of Rng. Pure functions of the generator state, so the numbers are the same with any
// standard library (golden-tested in tests/unit/samplers_test.cpp).
#include <cstdint>

#include "cachelab/core/rng.hpp"

namespace cachelab {

double sample_uniform(Rng& rng, double lo, double hi);
double sample_exponential(Rng& rng, double mean);
// Marsaglia's polar method; the second variate of each pair is discarded so the sampler keeps no state.
double sample_normal(Rng& rng, double mean, double stddev);
// exp(N(mu, sigma)).
double sample_lognormal(Rng& rng, double mu, double sigma);

// Zipf over ranks 1..n with P(k) = k^-s / H(n,s), exact for every s > 0, by rejection-inversion
// (Hörmann & Derflinger 1996, in the form that covers s <= 1: H(x) = (x^(1-s) - 1)/(1 - s), log x at s = 1).
// O(1) memory and expected O(1) time per sample; no table over the n items.
class ZipfSampler {
 public:
  // REQUIRES: n >= 1, s > 0.
  ZipfSampler(uint64_t n, double s);
  uint64_t sample(Rng& rng) const;  // in [1, n]
  uint64_t n() const { return n_; }
  double exponent() const { return s_; }

 private:
  double h(double x) const;  // x^-s
  double H(double x) const;  // integral of h, shifted so that it is stable for s near 1
  double H_inverse(double y) const;
  uint64_t n_;
  double s_;
  double h_x1_;  // H(1.5) - 1
  double h_n_;   // H(n + 0.5)
  double s0_;    // squeeze: accept k directly when k - x <= s0
};

}  // namespace cachelab
