#pragma once
// Node time of a server-side script (EVALSHA, docs/redis-reference.md §11) beyond the command's own service time:
// a base per script (finding the script by its SHA1, setting up the Lua call, returning its reply) plus a cost per
// redis.call. Measured on Redis 7.0.15 with tools/script-cost.sh (docs/measurements/script-cost-redis-7.0.csv: the
// server's own time per EVALSHA from INFO commandstats, which includes the script's redis.call, K = 1, 2, 5, 10, 50),
// fitted by least squares for INCR, the command the simulated script runs. The EVALSHA's own read, reply and
// event-loop turn are the node's sampled service time (cluster.service_us), as for any command.
#include <cstdint>

#include "cachelab/core/time.hpp"

namespace cachelab {

// INCR's fit: 1.633 + 0.2622 x K us (residuals within 0.3 us; GET 1.282 + 0.2811 x K, SET 1.940 + 0.5016 x K).
inline constexpr double kScriptBaseUs = 1.633;      // per EVALSHA
inline constexpr double kScriptUsPerCall = 0.2622;  // per redis.call INCR

// busy-reply-threshold (lua-time-limit), 5,000 ms in Redis 7.0: past it a running script makes the node answer every
// other client -BUSY (script.c scriptInterrupt). workload.script.calls is bounded so that no script gets there.
inline constexpr double kBusyReplyThresholdMs = 5000;

// The extra node time of one script of `calls` redis.call.
inline Time script_node_time(uint32_t calls) {
  return Time::saturated_ns((kScriptBaseUs + kScriptUsPerCall * static_cast<double>(calls)) * 1000.0 + 0.5);
}

}  // namespace cachelab
