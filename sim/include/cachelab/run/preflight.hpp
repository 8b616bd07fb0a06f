#pragma once
// Before a run: how many requests and how much memory a scenario will take, roughly, so that `cachelab run` can
// refuse, with the numbers, a scenario that is valid knob by knob but beyond the machine as a whole (issue 21:
// rate 1e8 for a day, 1e7 L1 entries in 100,000 instances). Estimates err on the generous side: a run refused here
// would certainly not have finished.
#include <cstdint>
#include <string>
#include <vector>

#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

struct RunEstimate {
  double requests = 0;      // expected requests over duration_s (closed loop: an upper bound from think time + RTT)
  double memory_bytes = 0;  // the simulator's own memory at the end of the run, roughly
  std::vector<std::string> memory_parts;  // "keyspace 1.2 GB (1e7 keys x 2 copies x 96 B)", largest first
  // The work a node or the origin could queue: every request x the mean service time (x the largest slow_node
  // factor; over the origin's servers). Beyond 2^62 ns a busy node's clock (free_at) would wrap.
  double node_work_ns = 0, origin_work_ns = 0;
};

RunEstimate estimate_run(const Scenario& s);

// The most requests a run may simulate: ~1e11 is about 14 hours at 2 million simulated requests per second.
inline constexpr double kMaxRunRequests = 1e11;

// "" when the run fits within `memory_limit_bytes` and kMaxRunRequests; else why not, with the numbers.
std::string refuse_run(const RunEstimate& e, uint64_t memory_limit_bytes);

// The machine's physical memory in bytes (sysconf), or 0 when unknown.
uint64_t physical_memory_bytes();

}  // namespace cachelab
