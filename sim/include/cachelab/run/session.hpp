#pragma once
// One experiment loop for the simulator and live mode (issue 14). A RunSession owns what both modes share: the
// request stream and how it is fed (open loop, closed-loop sessions with think time), the client logic, the origin
// model, the Recorder and hot-spot counters, the fault timeline, interval closing (series.csv rows with the
// hot-slot and bus columns) and the building of summary.json and events.jsonl. A mode supplies only its world
// (RunWorld): the cache back-end, the scheduler and clock (the Simulation, or live mode's WallScheduler), a
// FaultTarget, a per-node sampler (simulated nodes, or INFO from real servers) and its own summary extras.
// simulate() (run/runner.cpp) and live mode's run_live() build a world and run a session in it; a metric added
// here (or registered as a RunMetric, metrics/run_metric.hpp) shows in both modes' results.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/metrics/hotspots.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/metrics/report.hpp"
#include "cachelab/metrics/run_metric.hpp"
#include "cachelab/origin/origin.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/scenario.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {

class FaultTarget;
class RunSession;
class RequestFeed;
class FaultTimeline;

// Cluster-bus traffic so far (series.csv bus_* columns); only a world that sees the bus has it.
struct BusTotals {
  uint64_t messages = 0, bytes = 0;
};

// What a mode supplies. The session calls these in this order: cache() and initial_slot_owners() while it builds
// the client; connect() once the client logic exists; start() once the request feed is scheduled; then, per
// interval, advance_to() and sample_nodes(); at the end drain(), finish(), nodes_at_end(), summary_extras().
class RunWorld {
 public:
  virtual ~RunWorld() = default;
  virtual const char* mode() const = 0;  // "sim" or "live": summary.json `mode`
  // The clock and timers of the client logic, the origin model, the request feed and the fault timeline.
  virtual Scheduler& scheduler() = 0;
  virtual const Clock& clock() const = 0;
  virtual CacheBackend& cache() = 0;
  // Each slot's owner (a node index) as the clients first see it.
  virtual std::vector<uint16_t> initial_slot_owners() = 0;
  // Routes the cache back-end's replies into the client logic.
  virtual void connect(ClientLogic& client) = 0;
  // After the client logic and the request feed exist, before the fault timeline is scheduled (the simulated world
  // starts its crons and control plane here: their events then order after the feed's, as they always have).
  virtual void start(RunSession& session) { (void)session; }
  // What the fault timeline acts on. supports() is asked for every fault before anything runs.
  virtual FaultTarget& fault_target() = 0;
  // At the end of the warm-up (an event scheduled after the fault timeline's).
  virtual void on_warmup_end() {}
  // Runs the world until `t` (virtual time, or wall-clock time in live mode).
  virtual void advance_to(Time t) = 0;
  // After the last interval: requests still in flight finish (live mode; the simulator stops at the end).
  virtual void drain(RunSession& session) { (void)session; }
  // After run_end, before events are put in time order: events of the world's own (live: reshard ends, the
  // failover watcher's observations).
  virtual void finish(RunSession& session) { (void)session; }

  // Per node, in series.csv order.
  virtual std::vector<std::string> node_names() const = 0;
  // Each node's figures at the end of an interval (cumulative counters; SeriesWriter takes differences).
  virtual void sample_nodes(Time at, std::vector<NodeSample>& out) = 0;
  virtual std::optional<BusTotals> bus_totals() const { return std::nullopt; }

  // summary.json: each node at the end (`t`: the end of the last interval), the acknowledged writes lost, and the
  // mode's own keys (sim: failovers, cluster_bus, resharding, topology_changes...; live: failovers read from the
  // servers, resharding). Called in this order, after the events are sorted.
  virtual std::vector<results::NodeSummary> nodes_at_end(Time t) = 0;
  virtual uint64_t writes_lost(const RunSession& session) const = 0;
  // The part of writes_lost a deposed master acknowledged after a replica had replaced it (a partition's minority
  // side, a paused master); the rest were lost at promotions. nullopt: the world cannot tell them apart (live).
  virtual std::optional<uint64_t> writes_lost_deposed(const RunSession& session) const {
    (void)session;
    return std::nullopt;
  }
  virtual void summary_extras(RunSession& session, Time t, nlohmann::json& summary) {
    (void)session, (void)t, (void)summary;
  }
  virtual uint64_t events_processed() const { return 0; }
};

// How requests are fed to the client logic.
struct FeedOptions {
  // > 0: ignore arrival times and keep this many requests in flight, each due when issued (live --closed-loop,
  // a benchmark); 0: the scenario's arrivals (open loop, or closed-loop sessions with think time).
  int saturate_concurrency = 0;
};

class RunSession {
 public:
  // Builds the request stream and the Recorder; the world is built next (it needs namer()), then run().
  explicit RunSession(const Scenario& s, FeedOptions feed = {});
  ~RunSession();
  RunSession(const RunSession&) = delete;
  RunSession& operator=(const RunSession&) = delete;

  const Scenario& scenario() const { return s_; }
  const KeyNamer& namer() const { return gen_.namer(); }
  Recorder& recorder() { return rec_; }
  const Recorder& recorder() const { return rec_; }
  Time end() const { return end_; }
  Time warmup_end() const { return warmup_end_; }

  // Follow a sample of requests hop by hop (client/request_tracer.hpp; run/runner.hpp TraceOptions) into the
  // output's requests.jsonl; a limit of 0 (the default) follows none. Call before run(). Every other output is the
  // same either way.
  void trace_requests(const TraceOptions& trace) { trace_ = trace; }
  // Runs the scenario in `world`: results in the returned RunOutput (run.json is the caller's).
  RunOutput run(RunWorld& world, RunObserver* observer = nullptr);

  // For the world while it runs: an events.jsonl row (put in time order at the end).
  void emit(nlohmann::json event) { out_.events.push_back(std::move(event)); }
  ClientLogic& client() { return *client_; }
  const ClientLogic& client() const { return *client_; }
  // Client-side sharding (ketama, modulo), or null for Redis Cluster; the keys' slot and hash memo.
  const std::shared_ptr<ClientSharding>& client_sharding() const { return sharding_; }
  const std::shared_ptr<KeyHashMemo>& key_memo() const { return memo_; }
  // The series rows so far (impact figures read them).
  const SeriesTable& series() const { return out_.series; }
  uint64_t issued() const;

 private:
  void build_client(RunWorld& world);
  void close_interval(RunWorld& world, Time from, Time to);
  void build_summary(RunWorld& world, Time t);
  static void on_completed(void* self, const Request& r, Time done);
  static void on_db_service(void* self, uint32_t tag, Time issued, Time start, Time service);

  const Scenario& s_;
  FeedOptions feed_opts_;
  Time end_, warmup_end_, interval_;
  WorkloadGenerator gen_;
  Recorder rec_;
  std::unique_ptr<Origin> origin_;
  std::shared_ptr<ClientSharding> sharding_;
  std::shared_ptr<KeyHashMemo> memo_;
  std::unique_ptr<HotSpots> hot_;
  TraceOptions trace_;
  std::unique_ptr<RequestTracer> tracer_;
  std::unique_ptr<ClientLogic> client_;
  std::unique_ptr<RequestFeed> feed_;
  std::unique_ptr<FaultTimeline> timeline_;
  std::vector<std::unique_ptr<RunMetric>> metrics_;
  std::unique_ptr<SeriesWriter> series_;
  std::vector<NodeSample> samples_;
  std::optional<BusTotals> bus_before_;
  RunOutput out_;
};

}  // namespace cachelab
