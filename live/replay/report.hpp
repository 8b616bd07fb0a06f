#pragma once
// Live mode's per-node figures (INFO snapshots folded into running totals) for the run session's series rows and
// summary (live/replay/live_world.cpp), through the simulator's own writers, so `cachelab compare` lines the two up.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/metrics/recorder.hpp"
#include "cachelab/metrics/report.hpp"
#include "cachelab/run/runner.hpp"
#include "live/client/info.hpp"

namespace cachelab::live {

// Per node, what a row needs: the INFO snapshot at the interval's end and the counters' running totals.
struct NodeTrack {
  std::string name;
  std::string role = "master";                          // master / replica / down
  NodeSnapshot last{};                                  // the last INFO read (kept while a node is down or paused)
  uint64_t ops = 0, evicted = 0, expired = 0;           // cumulative since the start, across restarts
  uint64_t iv_ops = 0, iv_evicted = 0, iv_expired = 0;  // in the current interval
  uint64_t keyspace_hits = 0, keyspace_misses = 0;      // cumulative since the start, across restarts
  // The main thread's CPU time since the start, across restarts (NodeSnapshot::main_thread_cpu_us); false while no
  // snapshot had the fields (a server that does not report them: utilization stays unknown).
  double busy_us = 0;
  bool busy_known = false;
  int slots = 0;
  std::vector<std::pair<int, int>> slot_ranges{};  // inclusive [first, last]
  // Folds a new snapshot in (a restarted server starts its counters at 0 again).
  void update(const NodeSnapshot& s);
};

std::vector<std::string> node_names(const std::vector<NodeTrack>& nodes);
// Cumulative per-node figures at the end of the current interval, for SeriesWriter::row.
std::vector<NodeSample> node_samples(const std::vector<NodeTrack>& nodes);

}  // namespace cachelab::live
