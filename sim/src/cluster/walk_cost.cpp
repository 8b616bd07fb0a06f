#include "cachelab/cluster/walk_cost.hpp"

#include <cmath>

namespace cachelab {
namespace {

struct Point {
  double keys, ns_per_key;
};

// docs/measurements/keys-scan-cost-redis-7.0.csv: ns_per_key at 10k, 100k and 1M keys (SCAN with COUNT 1000).
constexpr Point kKeys[] = {{1e4, 86.98}, {1e5, 563.304}, {1e6, 1277.599}};
constexpr Point kScan[] = {{1e4, 183.5}, {1e5, 356.44}, {1e6, 744.199}};

template <size_t N>
double interpolate(const Point (&pts)[N], uint64_t node_keys) {
  const double k = static_cast<double>(node_keys);
  if (k <= pts[0].keys) return pts[0].ns_per_key;
  if (k >= pts[N - 1].keys) return pts[N - 1].ns_per_key;
  for (size_t i = 1; i < N; ++i)
    if (k <= pts[i].keys) {
      const double t =
          (std::log10(k) - std::log10(pts[i - 1].keys)) / (std::log10(pts[i].keys) - std::log10(pts[i - 1].keys));
      return pts[i - 1].ns_per_key + t * (pts[i].ns_per_key - pts[i - 1].ns_per_key);
    }
  return pts[N - 1].ns_per_key;
}

}  // namespace

double measured_walk_ns_per_key(WalkCommand cmd, uint64_t node_keys) {
  return cmd == WalkCommand::Keys ? interpolate(kKeys, node_keys) : interpolate(kScan, node_keys);
}

}  // namespace cachelab
