#include "cluster_glue.hpp"

#include <algorithm>

namespace cachelab {

using nlohmann::json;

bool needs_control_plane(const Scenario& s) {
  if (s.cluster.mode != "cluster") return false;
  if (s.cluster.replicas_per_master > 0) return true;
  for (const auto& f : s.resolved.at("faults"))
    if (fault_needs_control_plane(f.at("action").get<std::string>())) return true;
  return false;
}

ClusterGlue::ClusterGlue(Simulation& sim, const Scenario& s, std::vector<Node>& nodes, Replication& replication,
                         Migrator& migrator, EventSink events)
    : sim_(sim), s_(s), nodes_(nodes), replication_(replication), migrator_(migrator), events_(std::move(events)) {
  if (!needs_control_plane(s)) return;
  topology_ = std::make_unique<Topology>(
      Topology::flat(static_cast<int>(nodes.size()), s.network.node_link_us, s.network.bus_loss));
  control::ControlConfig cfg;
  cfg.masters = s.cluster.masters;
  cfg.replicas_per_master = s.cluster.replicas_per_master;
  cfg.node_timeout_ms = s.cluster.node_timeout_ms;
  cfg.replica_validity_factor = s.cluster.replica_validity_factor;
  cfg.migration_barrier = s.cluster.migration_barrier;
  cfg.require_full_coverage = s.cluster.require_full_coverage;
  cfg.allow_replica_migration = s.cluster.allow_replica_migration;
  cfg.replica_no_failover = s.cluster.replica_no_failover;
  control_ = std::make_unique<control::ControlPlane>(sim, *topology_, cfg, *this);
  for (size_t i = 0; i < nodes.size(); ++i) nodes[i].use_view(control_->slot_table(static_cast<int>(i)));
  replication_.on_applied = [this](int replica) { control_->note_replication_io(replica); };
  replication_.link_up = [this](int master, int replica) {
    return topology_->reachable(master, replica, kChannelReplication);
  };
}

ClusterGlue::~ClusterGlue() = default;

int ClusterGlue::node_index(const std::string& name) const {
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].name() == name) return static_cast<int>(i);
  return -1;
}

void ClusterGlue::reshard(int from, int to, int count) {
  if (control_) {
    // The control plane does not carry SETSLOT moves yet: refuse loudly rather than diverge silently.
    events_({{"t_s", sim_.now().seconds()}, {"type", "fault_refused"}, {"action", "reshard"},
             {"reason", "resharding together with replicas or node faults is not modelled yet"}});
    return;
  }
  migrator_.reshard(from, to, count);
}

void ClusterGlue::kill(int node) {
  nodes_[static_cast<size_t>(node)].set_alive(false);
  if (control_) control_->kill(node);
}

void ClusterGlue::restart(int node) {
  Node& n = nodes_[static_cast<size_t>(node)];
  if (n.alive()) return;
  n.restart_empty(sim_.now());
  if (control_) {
    control_->restart(node);
    // It rejoins with its old configuration; if it is a replica (or the cluster demotes it), on_role_changed
    // brings the full resync.
    if (control_->role(node) == control::Role::kReplica) follow(node, control_->master_of(node));
  }
}

void ClusterGlue::pause(int node) {
  nodes_[static_cast<size_t>(node)].set_paused(true);
  if (control_) control_->pause(node);
}

void ClusterGlue::resume(int node) {
  nodes_[static_cast<size_t>(node)].set_paused(false);
  if (control_) control_->resume(node);
}

void ClusterGlue::partition(const std::vector<int>& side, bool bus_only) {
  if (control_) control_->partition({side}, bus_only ? kChannelBus : kChannelAll);
}

void ClusterGlue::heal() {
  if (control_) control_->heal();
}

void ClusterGlue::failover(int replica, const std::string& mode) {
  if (!control_) return;
  const auto m = mode == "force" ? control::ManualFailoverMode::kForce
                 : mode == "takeover" ? control::ManualFailoverMode::kTakeover
                                      : control::ManualFailoverMode::kDefault;
  if (!control_->manual_failover(replica, m))
    events_({{"t_s", sim_.now().seconds()}, {"type", "fault_refused"}, {"action", "failover"},
             {"node", nodes_[static_cast<size_t>(replica)].name()}, {"reason", "not a live replica"}});
}

uint64_t ClusterGlue::replication_offset(int node) { return nodes_[static_cast<size_t>(node)].repl_offset(); }

void ClusterGlue::on_promoted(int node, int old_master) {
  // Writes the old master acknowledged beyond what this replica had applied are gone for good (ref. §6.1).
  if (old_master >= 0) writes_lost_ += replication_.lost_if_promoted(old_master, node);
  nodes_[static_cast<size_t>(node)].make_master();
  replication_.rebuild();
}

void ClusterGlue::follow(int node, int master) {
  Node& n = nodes_[static_cast<size_t>(node)];
  if (master < 0) return;
  const bool same = n.role_kind() == Role::Replica && n.master_index() == master;
  n.make_replica_of(master);
  replication_.rebuild();
  if (same && n.repl_offset() > 0) return;  // a partial resync would do; the stream just continues
  // Full resync: the master's dataset arrives after transfer + load time at full_sync_mb_per_s. Until then the
  // replica holds nothing useful; the stream of writes continues on top once it is loaded.
  Node& m = nodes_[static_cast<size_t>(master)];
  const double bytes = static_cast<double>(m.store().used_memory());
  const Time sync = Time::from_seconds(bytes / (s_.cluster.full_sync_mb_per_s * 1024 * 1024));
  n.mutable_store().clear();
  n.set_repl_offset(0);
  events_({{"t_s", sim_.now().seconds()}, {"type", "full_sync_started"}, {"node", n.name()}, {"master", m.name()},
           {"bytes", bytes}});
  sim_.at(sim_.now() + sync, [this, node, master] {
    Node& r = nodes_[static_cast<size_t>(node)];
    Node& src = nodes_[static_cast<size_t>(master)];
    if (!r.alive() || r.master_index() != master) return;
    r.mutable_store().copy_from(src.store(), sim_.now());
    r.set_repl_offset(src.repl_offset());
    events_({{"t_s", sim_.now().seconds()}, {"type", "full_sync_done"}, {"node", r.name()}, {"keys", r.store().keys()}});
  });
}

void ClusterGlue::on_role_changed(int node) {
  if (!control_) return;
  if (control_->role(node) == control::Role::kMaster) {
    nodes_[static_cast<size_t>(node)].make_master();
    replication_.rebuild();
  } else {
    follow(node, control_->master_of(node));
  }
}

void ClusterGlue::on_cluster_state(int node, bool ok) { nodes_[static_cast<size_t>(node)].set_cluster_ok(ok); }

void ClusterGlue::on_event(const json& row) { events_(row); }

json ClusterGlue::failovers_json() const {
  json out = json::array();
  if (!control_) return out;
  for (const auto& f : control_->failovers()) out.push_back(f.to_json());
  return out;
}

uint64_t ClusterGlue::bus_messages() const { return control_ ? control_->bus_stats().messages_sent : 0; }
uint64_t ClusterGlue::bus_bytes() const { return control_ ? control_->bus_stats().bytes_sent : 0; }

json ClusterGlue::bus_json(double seconds) const {
  if (!control_) return json();
  const auto& b = control_->bus_stats();
  return {{"messages", b.messages_sent},
          {"bytes", b.bytes_sent},
          {"dropped", b.messages_dropped},
          {"messages_per_s", seconds > 0 ? json(b.messages_sent / seconds) : json()},
          {"bytes_per_s", seconds > 0 ? json(b.bytes_sent / seconds) : json()}};
}

}  // namespace cachelab
