#include "cachelab/cluster/script_cost.hpp"

#include <cmath>

namespace cachelab {
namespace {

struct ScriptCostPoint {
  double calls, us_per_call;
};

// docs/measurements/script-cost-redis-7.0.csv, INCR: (usec_per_script - kScriptBaseUs) / calls at the long scripts'
// points, after the line's own slope at K = 50.
// 264.60 us at 1,000 calls, 8,395.98 at 20,000, 260,728.20 at 500,000.
constexpr ScriptCostPoint kScriptCost[] = {
    {50, kScriptUsPerCall}, {1000, 0.263238}, {20000, 0.4197309}, {500000, 0.5214537}};

}  // namespace

double script_us_per_call(uint32_t calls) {
  const double k = static_cast<double>(calls);
  constexpr size_t n = sizeof kScriptCost / sizeof kScriptCost[0];
  if (k <= kScriptCost[0].calls) return kScriptCost[0].us_per_call;
  for (size_t i = 1; i < n; ++i)
    if (k <= kScriptCost[i].calls) {
      const ScriptCostPoint &a = kScriptCost[i - 1], &b = kScriptCost[i];
      const double t = (std::log10(k) - std::log10(a.calls)) / (std::log10(b.calls) - std::log10(a.calls));
      return a.us_per_call + t * (b.us_per_call - a.us_per_call);
    }
  return kScriptCost[n - 1].us_per_call;
}

Time script_node_time(uint32_t calls) {
  return Time::saturated_ns((kScriptBaseUs + script_us_per_call(calls) * static_cast<double>(calls)) * 1000.0 + 0.5);
}

}  // namespace cachelab
