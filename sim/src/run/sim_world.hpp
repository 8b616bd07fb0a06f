#pragma once
// Internal to the runner: the simulated world a RunSession runs in (run/session.hpp): the nodes with their stores,
// replication, the network, the simulated cache back-end, every node's serverCron, and (ClusterGlue) resharding, the
// control plane and the fault target. Everything happens in the Simulation's virtual time.
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cachelab/cluster/migration.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/cluster/replication.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/run/session.hpp"
#include "cachelab/run/sim_backend.hpp"
#include "cluster_glue.hpp"

namespace cachelab {

class SimWorld final : public RunWorld {
 public:
  // Builds the nodes, the network and the cache back-end (which names keys with the session's namer).
  SimWorld(const Scenario& s, const RunSession& session);
  ~SimWorld() override;

  const char* mode() const override { return "sim"; }
  Scheduler& scheduler() override { return sim_; }
  const Clock& clock() const override { return clock_; }
  CacheBackend& cache() override { return *cache_; }
  std::vector<uint16_t> initial_slot_owners() override { return slot_owner_; }
  void connect(ClientLogic& client) override;
  void start(RunSession& session) override;
  FaultTarget& fault_target() override { return *glue_; }
  void on_warmup_end() override;
  void advance_to(Time t) override { sim_.run_until(t); }
  std::vector<std::string> node_names() const override;
  void sample_nodes(Time at, std::vector<NodeSample>& out) override;
  std::optional<BusTotals> bus_totals() const override;
  std::vector<results::NodeSummary> nodes_at_end(Time t) override;
  uint64_t writes_lost(const RunSession&) const override { return glue_->writes_lost(); }
  std::optional<uint64_t> writes_lost_deposed(const RunSession&) const override { return glue_->writes_lost_deposed(); }
  void summary_extras(RunSession& session, Time t, nlohmann::json& summary) override;
  uint64_t events_processed() const override { return sim_.events_processed(); }

 private:
  nlohmann::json cluster_layout() const;  // events.jsonl `cluster_layout`, emitted by start()
  class Cron;

  const Scenario& s_;
  Simulation sim_;
  SchedulerClock<Simulation> clock_;
  bool standalone_;
  std::unique_ptr<RealDist> service_us_;
  std::vector<Node> nodes_;
  std::vector<int> joining_nodes_;  // masters that add_node faults bring in: created now, down until they join
  std::vector<uint16_t> slot_owner_;
  std::shared_ptr<NetworkMap> netmap_;
  std::unique_ptr<Network> repl_net_, net_, admin_net_;
  std::unique_ptr<Replication> replication_;
  std::unique_ptr<SimCacheBackend> cache_;
  std::unique_ptr<Cron> cron_;
  std::unique_ptr<Migrator> migrator_;
  std::unique_ptr<ClusterGlue> glue_;
  std::vector<uint64_t> ops_at_warmup_;  // each node's ops when the measured period starts
  Rng stale_sampler_;                    // per-interval estimate of expired-but-held keys (store.hpp)
  std::vector<Store::StaleStats> stale_at_end_;
};

}  // namespace cachelab
