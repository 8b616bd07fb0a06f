// The diurnal sine and flash spikes of an arrival rate, sampled into RateShape knots (arrivals.hpp says why).
#include <algorithm>
#include <cmath>
#include <numbers>

#include "cachelab/workload/arrivals.hpp"

namespace cachelab {

namespace {

constexpr int kKnotsPerPeriod = 512;
constexpr int kKnotsPerDecay = 64;
constexpr int kKnotsPerRise = 16;
constexpr double kDecays = 12;  // after 12 decay constants a spike's excess is e^-12 = 6e-6 of it: ended

// A spike's excess factor (0 outside it, multiplier - 1 at its top). `left`: the limit from the left at t.
double spike_excess(const FlashSpike& sp, double t, bool left) {
  const double top = sp.multiplier - 1;
  const double hold_end = sp.at_s + sp.rise_s + sp.hold_s;
  const double end = hold_end + (sp.decay_s > 0 ? kDecays * sp.decay_s : 0);
  if (left ? t <= sp.at_s : t < sp.at_s) return 0;
  if (left ? t > end : t >= end) return 0;
  if (t < sp.at_s + sp.rise_s) return top * (t - sp.at_s) / sp.rise_s;
  if (t <= hold_end) return top;
  return top * std::exp(-(t - hold_end) / sp.decay_s);
}

double modulation(const WorkloadConfig& w, double t, bool left) {
  double f = 1;
  if (w.diurnal_amplitude > 0)
    f *= 1 + w.diurnal_amplitude * std::cos(2 * std::numbers::pi * (t - w.diurnal_peak_at_s) / w.diurnal_period_s);
  double spikes = 1;
  for (const auto& sp : w.spikes) spikes += spike_excess(sp, t, left);
  return f * spikes;
}

}  // namespace

double RateShape::exact_rate(const WorkloadConfig& w, double t) {
  return RateShape(w.rate_per_s, w.shape).rate_at(t) * modulation(w, t, false);
}

RateShape RateShape::modulated(const WorkloadConfig& w, double horizon_s) {
  RateShape base(w.rate_per_s, w.shape);
  if (w.diurnal_amplitude <= 0 && w.spikes.empty()) return base;
  // Every time where the product has a kink or a jump, plus a grid fine enough for the sine and the exponentials.
  std::vector<double> times;
  for (const auto& k : base.knots_) times.push_back(k.t);
  if (w.diurnal_amplitude > 0) {
    const double h = w.diurnal_period_s / kKnotsPerPeriod;
    for (double t = 0; t < horizon_s + h; t += h) times.push_back(t);
  }
  for (const auto& sp : w.spikes) {
    times.push_back(sp.at_s);
    const double hold_end = sp.at_s + sp.rise_s + sp.hold_s;
    if (sp.rise_s > 0)
      for (int i = 1; i <= kKnotsPerRise; ++i) times.push_back(sp.at_s + sp.rise_s * i / kKnotsPerRise);
    times.push_back(hold_end);
    if (sp.decay_s > 0) {
      const int n = static_cast<int>(kDecays * kKnotsPerDecay);
      for (int i = 1; i <= n; ++i) times.push_back(hold_end + sp.decay_s * i / kKnotsPerDecay);
    }
  }
  std::sort(times.begin(), times.end());
  times.erase(std::unique(times.begin(), times.end()), times.end());
  // The stepped rate's left and right limits at each time: a step is two knots at one time.
  auto base_rate = [&](double t, bool left) {
    if (!left) return base.rate_at(t);
    double r = base.knots_.front().rate;
    for (size_t i = 0; i + 1 < base.knots_.size(); ++i) {
      const Knot &a = base.knots_[i], &b = base.knots_[i + 1];
      if (t <= a.t) return r;
      if (t <= b.t && b.t > a.t) return a.rate + (b.rate - a.rate) * (t - a.t) / (b.t - a.t);
      r = b.rate;
    }
    return base.knots_.back().rate;
  };
  RateShape out(0, {});
  out.knots_.clear();
  for (double t : times) {
    const double left = t > 0 ? base_rate(t, true) * modulation(w, t, true) : -1;
    const double right = base_rate(t, false) * modulation(w, t, false);
    if (left >= 0 && left != right) out.knots_.push_back({t, left});
    out.knots_.push_back({t, right});
  }
  return out;
}

}  // namespace cachelab
