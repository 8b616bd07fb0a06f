#pragma once
// Node time of a server-side script (EVALSHA, docs/redis-reference.md §11) beyond the command's own service time:
// a base per script (finding the script by its SHA1, setting up the Lua call, returning its reply) plus a cost per
// redis.call. Measured on Redis 7.0.15 with tools/script-cost.sh (docs/measurements/script-cost-redis-7.0.csv: the
// server's own time per EVALSHA from INFO commandstats, which includes the script's redis.call) for INCR, the
// command the simulated script runs. Up to K = 50 calls the cost is the least-squares line through K = 1, 2, 5, 10,
// 50; longer scripts cost more per call (measured at K = 1,000, 20,000 and 500,000: the Lua heap and the CPU caches
// outgrow a short script's), so beyond 50 the cost per call is interpolated linearly in log10(K) between the
// line's slope at 50 and the measured points, and is the last measured one beyond them. The EVALSHA's own read,
// reply and event-loop turn are the node's sampled service time (cluster.service_us), as for any command.
#include <cstdint>

#include "cachelab/core/time.hpp"

namespace cachelab {

// INCR's line over K <= 50: base + per call x K microseconds (residuals within 0.2 us).
inline constexpr double kScriptBaseUs = 1.362;      // per EVALSHA
inline constexpr double kScriptUsPerCall = 0.2602;  // per redis.call INCR, short scripts

// busy-reply-threshold (lua-time-limit), 5,000 ms in Redis 7.0: past it a running script makes the node answer every
// other client -BUSY (script.c scriptInterrupt). workload.script.calls is bounded so that no script gets there.
inline constexpr double kBusyReplyThresholdMs = 5000;

// Microseconds per redis.call INCR in a script of `calls` calls.
double script_us_per_call(uint32_t calls);

// The extra node time of one script of `calls` redis.call: kScriptBaseUs + calls x script_us_per_call(calls).
Time script_node_time(uint32_t calls);

}  // namespace cachelab
