#pragma once
// Node time per key that KEYS and SCAN walk, as a function of how many keys the node holds. Measured on Redis
// 7.0.15 with `cachelab-live keys-cost` (docs/measurements/keys-scan-cost-redis-7.0.csv, the server's own time
// per call from INFO commandstats): the cost per key grows with the dict's size (87 ns at 10k keys, 1,278 ns at
// 1M for KEYS), as the walk leaves the CPU caches, so one slope would overstate small nodes several times over.
// Between the measured sizes the cost is interpolated linearly in log10(keys); outside them it is the nearest
// measured value.
#include <cstdint>

namespace cachelab {

enum class WalkCommand { Keys, Scan };

// Nanoseconds per key walked on a node holding `node_keys` keys.
double measured_walk_ns_per_key(WalkCommand cmd, uint64_t node_keys);

}  // namespace cachelab
