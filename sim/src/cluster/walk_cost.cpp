#include "cachelab/cluster/walk_cost.hpp"

#include <cmath>

namespace cachelab {
namespace {

// docs/measurements/keys-scan-cost-redis-7.0.csv: the server's CPU time per key walked (cpu_ns_per_key, INFO cpu over
// 5 calls; the reply's write included), the median of the file's runs of each point (6 for 12-byte names, 3 for the
// others; SCAN with COUNT 1000), at 10k, 100k and 1M keys (kWalkKeys). CPU time, not commandstats' usec: on this
// shared 2-vCPU machine the latter counted the waits for a CPU (an earlier measurement under a heavier load gave 87,
// 563 and 1,278 ns per key for KEYS). Rows: names of 12, 32, 72 bytes (kWalkNameBytes), no TTL; then 12-byte names
// with a TTL on every key.
constexpr double kKeys[3][3] = {{83.55, 243.203, 417.6535}, {137.7, 361.33, 453.205}, {156.84, 395.964, 568.318}};
constexpr double kKeysTtl[3] = {145.5, 279.91, 461.972};
constexpr double kScan[3][3] = {{169.77, 330.707, 709.6755}, {233.18, 406.838, 609.934}, {318.48, 553.99, 751.809}};
constexpr double kScanTtl[3] = {219.68, 423.914, 944.092};

// Linear in log10(keys) between the measured sizes, the nearest one outside.
double by_size(const double (&row)[3], uint64_t node_keys) {
  const double k = static_cast<double>(node_keys);
  if (k <= static_cast<double>(kWalkKeys[0])) return row[0];
  if (k >= static_cast<double>(kWalkKeys[2])) return row[2];
  const int i = k <= static_cast<double>(kWalkKeys[1]) ? 1 : 2;
  const double lo = std::log10(static_cast<double>(kWalkKeys[i - 1])),
               hi = std::log10(static_cast<double>(kWalkKeys[i]));
  const double t = (std::log10(k) - lo) / (hi - lo);
  return row[i - 1] + t * (row[i] - row[i - 1]);
}

double walk(const double (&table)[3][3], const double (&ttl)[3], uint64_t node_keys, uint32_t name_bytes,
            bool expires) {
  const double n = name_bytes;
  double cost;
  if (n <= kWalkNameBytes[0]) {
    cost = by_size(table[0], node_keys);
  } else {
    const int i = n <= kWalkNameBytes[1] ? 1 : 2;  // past 72 bytes: the 32-72 slope extended
    const double a = by_size(table[i - 1], node_keys), b = by_size(table[i], node_keys);
    cost = a + (n - kWalkNameBytes[i - 1]) / (kWalkNameBytes[i] - kWalkNameBytes[i - 1]) * (b - a);
  }
  // The expires dict's lookup per key (db.c keyIsExpired -> getExpire), measured on 12-byte names.
  if (expires) cost += by_size(ttl, node_keys) - by_size(table[0], node_keys);
  return cost;
}

}  // namespace

double measured_walk_ns_per_key(WalkCommand cmd, uint64_t node_keys, uint32_t name_bytes, bool expires) {
  return cmd == WalkCommand::Keys ? walk(kKeys, kKeysTtl, node_keys, name_bytes, expires)
                                  : walk(kScan, kScanTtl, node_keys, name_bytes, expires);
}

}  // namespace cachelab
