#pragma once
// Node time per value byte (cluster.get_ns_per_reply_byte, cluster.set_ns_per_request_byte: the knobs' defaults), on
// top of a command's service time: the slope b of node time = a + b x bytes fitted to Redis 7.0.15 on this lab over
// values of 100 B to 1 MB (docs/redis-reference.md §12; the points: docs/measurements/value-size-cost-redis-7.0.csv,
// from tools/measure-value-cost.sh). Apart from store_config.hpp so that a new fit recompiles only its readers.

namespace cachelab {

inline constexpr double kFitGetNsPerReplyByte = 0.165;    // 8.65 us + 0.1647 ns x bytes, R² 0.9999
inline constexpr double kFitSetNsPerRequestByte = 0.121;  // 20.2 us + 0.1207 ns x bytes, R² 0.9999

}  // namespace cachelab
