#pragma once
// Live mode's world for the run session (sim/include/cachelab/run/session.hpp): real servers behind the
// LiveCacheBackend, wall-clock timers (WallScheduler) driven by a poll loop, the faults done for real
// (LiveFaultTarget), per-node figures from INFO, and failover times read from the servers (FailoverWatch). The
// request stream, client logic, origin model, recorder, series rows and summary are the session's, as in the
// simulator.
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/run/session.hpp"
#include "live/faults/live_fault_target.hpp"
#include "live/lab/lab.hpp"
#include "live/replay/failover_watch.hpp"
#include "live/replay/live_cache_backend.hpp"
#include "live/replay/report.hpp"

namespace cachelab::live {

// What run_live knows about its servers, in the simulator's node order.
struct LiveTarget {
  Lab* lab = nullptr;                  // null against --redis
  std::vector<std::string> names;      // results names (master-1 ...)
  std::vector<std::string> lab_names;  // the lab's names (the same except "standalone")
  std::vector<NodeTrack>* tracks = nullptr;
  std::vector<uint16_t> owners;         // each slot's node index at the start
  std::function<void()> snapshot;       // INFO of every node into `tracks` (an interval's end)
  std::function<void()> refresh_slots;  // the slot ranges in `tracks` from the servers (after reshards)
};

class LiveWorld final : public RunWorld {
 public:
  LiveWorld(const Scenario& s, LiveCacheOptions cache, const RunSession& session, LiveTarget target);
  ~LiveWorld() override;

  const char* mode() const override { return "live"; }
  Scheduler& scheduler() override { return timers_; }
  const Clock& clock() const override { return clock_; }
  CacheBackend& cache() override { return cache_; }
  std::vector<uint16_t> initial_slot_owners() override { return target_.owners; }
  void connect(ClientLogic& client) override { cache_.attach(&client); }
  void start(RunSession& session) override;
  FaultTarget& fault_target() override { return *faults_; }
  void advance_to(Time t) override;
  void drain(RunSession& session) override;
  void finish(RunSession& session) override;
  std::vector<std::string> node_names() const override { return target_.names; }
  void sample_nodes(Time at, std::vector<NodeSample>& out) override;
  std::vector<results::NodeSummary> nodes_at_end(Time t) override;
  uint64_t writes_lost(const RunSession& session) const override;
  void summary_extras(RunSession& session, Time t, nlohmann::json& summary) override;
  // The driver's own CPU time (this process, every thread, user + system) from the start of the request stream to
  // the end of the drain, in s: with the servers' (summary nodes[].utilization) it tells a run bound by the load
  // generator from one bound by Redis. NaN before finish() or where the clock is not available.
  double driver_cpu_s() const { return driver_cpu_s_; }
  double driver_wall_s() const { return driver_wall_s_; }  // the same span's wall-clock time

 private:
  // Pumps replies until `until` (or sooner when a timer is due), then runs the due timers.
  void step(Time until);

  const Scenario& s_;
  LiveTarget target_;
  WallScheduler timers_;
  SchedulerClock<WallScheduler> clock_;  // one epoch for latencies, timers and the request stream
  LiveCacheBackend cache_;
  std::unique_ptr<LiveFaultTarget> faults_;
  std::unique_ptr<FailoverWatch> watch_;
  nlohmann::json resharding_ = nlohmann::json::array();
  double cpu_at_start_s_ = 0, driver_cpu_s_ = std::nan(""), driver_wall_s_ = 0;
  std::chrono::steady_clock::time_point wall_at_start_;
};

}  // namespace cachelab::live
