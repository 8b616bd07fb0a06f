#pragma once
// Node time per key that KEYS and SCAN walk (docs/redis-reference.md §13), as a function of how many keys the node
// holds, how long their names are and whether the node has keys with a TTL. Measured on Redis 7.0.15 with
// `cachelab-live keys-cost` (docs/measurements/keys-scan-cost-redis-7.0.csv: the server's CPU time per call from
// INFO cpu over 5 calls, the reply's write included): the cost per key grows with the dict's size (84 ns at 10k
// keys, 418 ns at 1M for KEYS * over 12-byte names) as the walk leaves the CPU caches, so one slope would overstate
// small nodes several times over; longer names cost more (each key is copied into the reply: 157 ns at 10k keys for
// 72-byte names); with a TTL on the node every key walked is also looked up in the expires dict (keyIsExpired),
// about 40-60 ns more. Between the measured sizes the cost is interpolated linearly in log10(keys), between the
// measured name lengths (12, 32, 72 bytes) linearly in bytes; outside them it is the nearest measured value (the
// 12-byte cost for shorter names: their sds takes the same 16-byte allocation) or, past 72 bytes, the 32-72 slope
// extended.
#include <cstdint>

namespace cachelab {

enum class WalkCommand { Keys, Scan };

// Nanoseconds per key walked on a node holding `node_keys` keys whose names are `name_bytes` long; `expires`: the
// node holds keys with a TTL (its expires dict is not empty).
double measured_walk_ns_per_key(WalkCommand cmd, uint64_t node_keys, uint32_t name_bytes = 12, bool expires = false);

// The measurement's points, for the tests that read the file.
inline constexpr uint32_t kWalkNameBytes[] = {12, 32, 72};
inline constexpr uint64_t kWalkKeys[] = {10000, 100000, 1000000};

}  // namespace cachelab
