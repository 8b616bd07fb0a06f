#include "cachelab/analytic/che.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace cachelab::analytic {

namespace {

// Occupancy of one class at characteristic time T: the probability a key is in the cache.
double occupancy(double pT, CacheModel m) { return m == CacheModel::Lru ? -std::expm1(-pT) : pT / (1 + pT); }
// Its derivative in pT (for Newton's method).
double occupancy_slope(double pT, CacheModel m) {
  return m == CacheModel::Lru ? std::exp(-pT) : 1 / ((1 + pT) * (1 + pT));
}

double filled(const std::vector<PopClass>& cls, double T, CacheModel m, double* slope) {
  double s = 0, d = 0;
  for (const auto& c : cls) {
    s += c.count * occupancy(c.p * T, m);
    d += c.count * c.p * occupancy_slope(c.p * T, m);
  }
  if (slope) *slope = d;
  return s;
}

}  // namespace

CacheEstimate cache_hit(const std::vector<PopClass>& cls, double capacity, CacheModel model) {
  CacheEstimate out{0, 0, 0};
  double keys = 0;
  for (const auto& c : cls) {
    out.request_mass += c.count * c.p;
    keys += c.count;
  }
  if (capacity <= 0) return out;
  if (capacity >= keys) {
    out.characteristic_time = std::numeric_limits<double>::infinity();
    out.hit_mass = out.request_mass;
    return out;
  }
  if (model == CacheModel::PerfectLfu) {
    std::vector<PopClass> sorted = cls;
    std::sort(sorted.begin(), sorted.end(), [](const PopClass& a, const PopClass& b) { return a.p > b.p; });
    double room = capacity;
    for (const auto& c : sorted) {
      const double take = std::min(room, c.count);
      out.hit_mass += take * c.p;
      room -= take;
      if (room <= 0) break;
    }
    return out;
  }
  // filled(T) is increasing and concave in T, and filled(T) <= T * mass, so T0 = C / mass is at or left of the root:
  // Newton's iterates then rise monotonically to it (the tangent of a concave function lies above it).
  double T = capacity / std::max(out.request_mass, 1e-300);
  for (int it = 0; it < 500; ++it) {
    double slope = 0;
    const double f = filled(cls, T, model, &slope) - capacity;
    if (slope <= 0) break;
    const double step = -f / slope;
    T += step;
    if (std::abs(step) <= 1e-14 * T) break;
  }
  out.characteristic_time = T;
  for (const auto& c : cls) out.hit_mass += c.count * c.p * occupancy(c.p * T, model);
  return out;
}

}  // namespace cachelab::analytic
