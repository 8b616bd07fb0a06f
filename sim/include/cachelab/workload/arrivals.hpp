#pragma once
// Open-loop Poisson arrivals whose rate follows a piecewise-linear shape (steps and ramps). Exact: the next arrival
// solves Lambda(t_next) - Lambda(t) = E with E ~ Exp(1), where Lambda is the integrated rate, inverted in closed form
// on each linear piece. No thinning, so no draws are wasted and a rate of 0 simply pauses arrivals.
// A diurnal sine and flash spikes multiply the stepped rate; their product is not piecewise linear, so it is sampled
// into a fine piecewise-linear shape (512 knots per period, 64 per spike decay constant): the rate then departs from
// the exact product by under 2e-5 relative (the interpolation error h^2 max|r''|/8), far below Poisson noise.
#include <vector>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/time.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

class RateShape {
 public:
  // The rate is `base` from 0; each step moves it to step.rate_per_s, linearly over [at_s, at_s + ramp_s].
  // REQUIRES: steps in time order, not overlapping (the scenario validator checks it).
  RateShape(double base_per_s, const std::vector<RateStep>& steps);
  // The stepped rate times the diurnal factor 1 + amplitude cos(2 pi (t - peak_at_s) / period_s) times the spike
  // factor 1 + sum of each spike's (multiplier - 1) x (linear rise over rise_s, hold_s at the top, exp(-t/decay_s)
  // after), sampled up to `horizon_s` (constant after it). Without diurnal and spikes it is the constructor above.
  static RateShape modulated(const WorkloadConfig& w, double horizon_s);
  // The exact rate of that product (no interpolation), for tests.
  static double exact_rate(const WorkloadConfig& w, double t_s);
  double rate_at(double t_s) const;
  // Expected arrivals in [a, b].
  double integral(double a_s, double b_s) const;
  // The time t >= from at which the integral from `from` reaches `mass`; +infinity if never.
  double advance(double from_s, double mass) const {
    size_t hint = 0;
    return advance(from_s, mass, hint);
  }
  // The same, starting the search at knot `hint` and leaving it at the piece it stopped in: callers whose `from`
  // never decreases (PoissonArrivals) pay O(1) per call however many knots there are.
  double advance(double from_s, double mass, size_t& hint) const;
  size_t knots() const { return knots_.size(); }

 private:
  struct Knot {
    double t, rate;
  };
  std::vector<Knot> knots_;  // rate is linear between knots, constant after the last one
};

class PoissonArrivals {
 public:
  PoissonArrivals(RateShape shape, Rng rng) : shape_(std::move(shape)), rng_(rng) {}
  // The next arrival time in seconds (double precision for the process; converted to integer ns by the caller).
  double next();

 private:
  RateShape shape_;
  Rng rng_;
  double t_s_ = 0;
  size_t hint_ = 0;
};

}  // namespace cachelab
