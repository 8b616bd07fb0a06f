#include "cachelab/workload/arrivals.hpp"

#include <cmath>
#include <limits>

#include "cachelab/core/samplers.hpp"

namespace cachelab {

RateShape::RateShape(double base, const std::vector<RateStep>& steps) {
  knots_.push_back({0.0, base});
  double current = base;
  for (const auto& s : steps) {
    if (s.at_s > knots_.back().t)
      knots_.push_back({s.at_s, current});
    else
      knots_.back().rate = current;
    if (s.ramp_s > 0) {
      knots_.push_back({s.at_s + s.ramp_s, s.rate_per_s});
    } else {
      // A step: a zero-width ramp. Represented as two knots at the same time; the integral handles it.
      knots_.push_back({s.at_s, s.rate_per_s});
    }
    current = s.rate_per_s;
  }
}

double RateShape::rate_at(double t) const {
  double r = knots_.front().rate;
  for (size_t i = 0; i + 1 < knots_.size(); ++i) {
    const Knot &a = knots_[i], &b = knots_[i + 1];
    if (t < a.t) return r;
    if (t < b.t) return a.rate + (b.rate - a.rate) * (t - a.t) / (b.t - a.t);
    r = b.rate;
  }
  return knots_.back().rate;
}

double RateShape::integral(double a_s, double b_s) const {
  // Integrate piece by piece: trapezoids between knots, a rectangle after the last.
  double total = 0;
  auto piece = [&](double t0, double r0, double t1, double r1) {
    const double lo = std::max(a_s, t0), hi = std::min(b_s, t1);
    if (hi <= lo) return;
    const double slope = (t1 > t0) ? (r1 - r0) / (t1 - t0) : 0;
    const double rlo = r0 + slope * (lo - t0), rhi = r0 + slope * (hi - t0);
    total += (rlo + rhi) / 2 * (hi - lo);
  };
  for (size_t i = 0; i + 1 < knots_.size(); ++i)
    piece(knots_[i].t, knots_[i].rate, knots_[i + 1].t, knots_[i + 1].rate);
  piece(knots_.back().t, knots_.back().rate, std::numeric_limits<double>::infinity(), knots_.back().rate);
  return total;
}

double RateShape::advance(double from, double mass, size_t& hint) const {
  double t = from;
  for (size_t i = hint < knots_.size() ? hint : 0; i <= knots_.size(); ++i) {
    const bool last = i + 1 >= knots_.size();
    const double t0 = i < knots_.size() ? knots_[i].t : 0;
    const double t1 = last ? std::numeric_limits<double>::infinity() : knots_[i + 1].t;
    if (i == knots_.size()) break;
    if (t >= t1) continue;
    hint = i;
    const double r0 = knots_[i].rate;
    // A flat piece (the usual case between steps) has slope exactly 0, and the general formulas below then reduce
    // without any change of rounding to avail = r0 (t1 - t) and tau = mass / r0: (r0 + r0) / 2 and 2 m / (2 r0) are
    // exact rescalings, and sqrt(r0 * r0) == r0 in binary floating point barring underflow or overflow (hence the
    // range test). Same arrival times, without a division and a square root per arrival.
    if (!last && knots_[i + 1].rate == r0 && r0 > 1e-100 && r0 < 1e100) {
      const double flat = r0 * (t1 - t);
      if (mass <= flat) return t + mass / r0;
      mass -= flat;
      t = t1;
      continue;
    }
    const double slope = last || t1 <= t0 ? 0 : (knots_[i + 1].rate - r0) / (t1 - t0);
    const double rt = r0 + slope * (t - t0);  // rate at t
    if (last) {
      if (rt <= 0) return std::numeric_limits<double>::infinity();
      return t + mass / rt;
    }
    const double avail = (rt + (r0 + slope * (t1 - t0))) / 2 * (t1 - t);
    if (mass <= avail) {
      // Solve slope/2 tau^2 + rt tau = mass for the smallest tau >= 0, in the cancellation-free form.
      const double disc = rt * rt + 2 * slope * mass;
      const double tau = 2 * mass / (rt + std::sqrt(disc > 0 ? disc : 0));
      return t + tau;
    }
    mass -= avail;
    t = t1;
  }
  return std::numeric_limits<double>::infinity();
}

double PoissonArrivals::next() {
  const double e = sample_exponential(rng_, 1.0);
  t_s_ = shape_.advance(t_s_, e, hint_);
  return t_s_;
}

}  // namespace cachelab
