#pragma once
// Open-loop Poisson arrivals whose rate follows a piecewise-linear shape (steps and ramps). Exact: the next arrival
// solves Lambda(t_next) - Lambda(t) = E with E ~ Exp(1), where Lambda is the integrated rate, inverted in closed form
// on each linear piece. No thinning, so no draws are wasted and a rate of 0 simply pauses arrivals.
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
  double rate_at(double t_s) const;
  // Expected arrivals in [a, b].
  double integral(double a_s, double b_s) const;
  // The time t >= from at which the integral from `from` reaches `mass`; +infinity if never.
  double advance(double from_s, double mass) const;

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
};

}  // namespace cachelab
