#pragma once
// Internal to the runner: the glue between the simulated data plane (nodes, replication, resharding) and the
// fault timeline and, when it runs, the cluster control plane (gossip, failure detection, failover).
// The control plane runs when the scenario is a cluster with replicas or with process/network faults; it then
// owns each node's view of the slots (gossip moves it), roles and cluster state, and this class applies its
// decisions to the nodes: promotions, demotions with a full resync, CLUSTERDOWN.
#include <functional>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/analytic/sharding.hpp"
#include "cachelab/client/router.hpp"
#include "cachelab/cluster/control/control_plane.hpp"
#include "cachelab/cluster/control/invariants.hpp"
#include "cachelab/cluster/migration.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/cluster/repl_acks.hpp"
#include "cachelab/cluster/replication.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/faults/fault.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/net/placement.hpp"
#include "cachelab/net/topology.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

class ClusterGlue final : public FaultTarget, public control::ControlHooks {
 public:
  using EventSink = std::function<void(nlohmann::json)>;
  // `net`: the run's network (net/placement.hpp); the control plane runs over its topology.
  ClusterGlue(Simulation& sim, const Scenario& s, std::vector<Node>& nodes, Replication& replication,
              Migrator& migrator, EventSink events, std::shared_ptr<NetworkMap> net);
  ~ClusterGlue() override;
  bool control_plane() const { return control_ != nullptr; }
  // Lost at promotions (the replica's unapplied tail) plus what superseded masters acknowledged afterwards.
  uint64_t writes_lost() const { return writes_lost_ + replication_.acked_while_superseded(); }
  uint64_t writes_lost_deposed() const { return replication_.acked_while_superseded(); }
  nlohmann::json failovers_json() const;
  nlohmann::json bus_json(double seconds) const;
  uint64_t bus_messages() const;
  uint64_t bus_bytes() const;
  // Periods in which a node answered CLUSTERDOWN for keyed commands (its cluster state was fail,
  // docs/redis-reference.md §4.5), and ("node": "cluster") those in which every live master did: [{node, start_s, end_s
  // (null: still down), duration_s}].
  nlohmann::json clusterdown_windows_json() const;
  // The invariant checkers' verdict (null without the control plane); runs the end-of-run checks.
  nlohmann::json invariants_json();

  // FaultTarget
  int node_index(const std::string& name) const override;
  void reshard(int from, int to, int count) override;
  void kill(int node) override;
  void restart(int node) override;
  void pause(int node) override;
  void resume(int node) override;
  void partition(const std::vector<int>& side, bool bus_only) override;
  void partition_clients(const std::vector<int>& nodes, const std::vector<int>& clients) override;
  const Placement* placement() const override { return &net_->placement; }
  void heal() override;
  void failover(int replica, const std::string& mode) override;
  void add_node() override;
  void remove_node(int node) override;
  void change_links(const std::vector<int>& from, const std::vector<int>& to, const nlohmann::json& latency_us,
                    const nlohmann::json& loss, bool one_way) override;
  void slow_node(int node, double factor, double duration_s) override;

  // Topology changes (add_node, remove_node). `added` are the nodes that will join (created up front, down until
  // they do); with client-side sharding `sharding` is the ring every client routes with. `memo` gives keys' slots
  // and hashes for the moved-fraction and balance figures.
  void setup_topology(std::vector<int> added, std::shared_ptr<ClientSharding> sharding,
                      std::shared_ptr<KeyHashMemo> memo, uint64_t keys);
  const std::vector<int>& members() const { return members_; }
  struct TopologyChange {
    std::string action, node;
    double t_start_s = 0, t_end_s = -1;
    int members_before = 0, members_after = 0;
    LayoutChange layout;  // keys of the key space (a sample) whose node changes; balance before and after
  };
  const std::vector<TopologyChange>& topology_changes() const { return changes_; }

  // ControlHooks
  uint64_t replication_offset(int node) override;
  void on_promoted(int node, int old_master) override;
  void on_role_changed(int node) override;
  void on_cluster_state(int node, bool ok) override;
  void on_event(const nlohmann::json& row) override;

 private:
  void follow(int node, int master);
  void fault_applied() {
    if (invariants_) invariants_->note_fault();
  }
  struct DownWindow {
    int node;               // -1 = the whole cluster
    double start_s, end_s;  // end_s < 0: still open
  };
  void open_down(int node);
  void close_down(int node);
  void update_cluster_down();
  std::vector<DownWindow> down_;
  std::vector<int> open_down_;  // per node (last entry: the cluster): index into down_, or -1
  struct PendingChange {
    bool add;
    int node;
  };
  void start_next_change();
  void finish_change();
  ShardLayout layout() const;
  const KeySample& key_sample();
  void set_ring();

  Simulation& sim_;
  const Scenario& s_;
  std::vector<Node>& nodes_;
  Replication& replication_;
  Migrator& migrator_;
  EventSink events_;
  std::shared_ptr<NetworkMap> net_;
  Topology* topology_ = nullptr;  // net_'s, when the control plane runs
  std::unique_ptr<control::ControlPlane> control_;
  std::unique_ptr<Network> ack_net_;                       // min-replicas-to-write: the ACKs' delays, their own stream
  std::unique_ptr<ReplicaAcks> acks_;                      // null unless cluster.min_replicas_to_write > 0
  std::unique_ptr<control::InvariantChecker> invariants_;  // with the control plane
  uint64_t writes_lost_ = 0;
  std::vector<uint64_t> slow_generation_;  // per node: a slow_node's end applies only if no later one came
  // Topology changes.
  std::vector<int> members_;  // member masters, in node order
  std::vector<int> added_;    // nodes still to join, in order
  size_t next_added_ = 0;
  std::shared_ptr<ClientSharding> sharding_;
  std::shared_ptr<KeyHashMemo> memo_;
  uint64_t keys_ = 0;
  KeySample sample_;
  std::vector<PendingChange> pending_;
  bool change_running_ = false;
  ShardLayout change_before_;
  std::vector<TopologyChange> changes_;
};

// True when the scenario needs the control plane (see ClusterGlue).
bool needs_control_plane(const Scenario& s);

}  // namespace cachelab
