#pragma once
// Kill-to-promotion times of real Redis (issue 16 part 7): a lab of M masters + R replicas each, nearly idle (no
// client traffic; the measuring connections only), whose masters are SIGKILLed one at a time. After each kill two
// nodes are polled with CLUSTER NODES every poll_ms: the victim's replica (its view of the victim, PFAIL "fail?" and
// FAIL "fail", and its own role: promoted when its "myself" line says master) and one surviving master (the first
// PFAIL a master sees, docs/redis-reference.md §4.1). Times are seconds from just before kill(2) on a steady clock.
// The killed node is restarted (it rejoins as a replica of the winner), the lab waits until every node is ready and
// then settles (NT + 2 s plus a random 0-1 s, so kills fall at random phases of the nodes' crons) before the next kill,
// of the next master in turn.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "live/lab/lab_config.hpp"

namespace cachelab::live {

struct FailoverSample {
  int64_t node_timeout_ms = 0;
  int run = 0;
  std::string victim, replica, observer;   // lab names (fixed at start)
  std::optional<double> observer_pfail_s;  // a surviving master first shows the victim "fail?"
  std::optional<double> replica_fail_s;    // the replica first shows the victim "fail"
  std::optional<double> promoted_s;        // the replica's own line first says master
  double poll_ms_observed = 0;             // mean interval between polls after this kill
};

struct FailoverTimingOptions {
  LabConfig lab;                                         // shape, hz, node timeout (lab.control.node_timeout_ms)
  int runs = 20;                                         // failovers to measure
  int poll_ms = 2;                                       // CLUSTER NODES poll period
  uint64_t seed = 1;                                     // settle-time jitter
  std::function<void(const FailoverSample&)> on_sample;  // called after each failover (progress, CSV rows)
};

// Starts a lab, measures opts.runs failovers and tears the lab down. Throws LabError when the lab cannot start or a
// failover does not complete within 4 x NT + 15 s.
std::vector<FailoverSample> measure_failovers(const FailoverTimingOptions& opts);

std::string failover_csv_header();
std::string failover_csv_row(const FailoverSample& s);

}  // namespace cachelab::live
