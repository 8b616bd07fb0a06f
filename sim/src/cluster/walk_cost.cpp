#include "cachelab/cluster/walk_cost.hpp"

#include <cmath>

namespace cachelab {
namespace {

struct Point {
  double keys, ns_per_key;
};

// docs/measurements/keys-scan-cost-redis-7.0.csv: the server's CPU time per key walked (cpu_ns_per_key, INFO cpu
// over 5 calls; the reply's write included) at 10k, 100k and 1M keys, the median of the file's three runs (SCAN with
// COUNT 1000). CPU time, not commandstats' usec: on this shared 2-vCPU machine the latter counted the waits for a
// CPU (an earlier measurement under a heavier load gave 87, 563 and 1,278 ns per key for KEYS).
constexpr Point kKeys[] = {{1e4, 91.34}, {1e5, 252.072}, {1e6, 462.729}};
constexpr Point kScan[] = {{1e4, 162.5}, {1e5, 286.092}, {1e6, 710.229}};

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
