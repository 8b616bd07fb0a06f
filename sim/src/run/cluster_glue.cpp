#include "cluster_glue.hpp"

#include <algorithm>

#include "cachelab/cluster/rebalance.hpp"
#include "cachelab/cluster/slots.hpp"

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
                         Migrator& migrator, EventSink events, std::shared_ptr<NetworkMap> net)
    : sim_(sim),
      s_(s),
      nodes_(nodes),
      replication_(replication),
      migrator_(migrator),
      events_(std::move(events)),
      net_(std::move(net)) {
  open_down_.assign(nodes.size() + 1, -1);
  if (s.cluster.min_replicas_to_write > 0 && s.cluster.min_replicas_max_lag_s > 0) {  // 0 = off, as in Redis
    ack_net_ = std::make_unique<Network>(s.network.rtt_us, sim.stream("network/replication-ack"), net_);
    acks_ = std::make_unique<ReplicaAcks>(sim, nodes, *ack_net_, sim.stream("replication/cron"),
                                          s.cluster.min_replicas_to_write, s.cluster.min_replicas_max_lag_s);
  }
  if (!needs_control_plane(s)) return;
  topology_ = net_->topology.get();  // flat (node_link_us) or zones: net/placement.hpp
  control_ = std::make_unique<control::ControlPlane>(sim, *topology_, s.cluster.control, *this);
  for (size_t i = 0; i < nodes.size(); ++i) nodes[i].use_view(control_->slot_table(static_cast<int>(i)));
  replication_.on_applied = [this](int replica) { control_->note_replication_io(replica); };
  replication_.link_up = [this](int master, int replica) {
    return topology_->reachable(master, replica, kChannelReplication);
  };
  invariants_ = std::make_unique<control::InvariantChecker>(sim, *control_, *topology_,
                                                            [this](json e) { events_(std::move(e)); });
  if (acks_)
    acks_->link_up = [this](int replica, int master) {
      return topology_->reachable(replica, master, kChannelReplication);
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
    events_({{"t_s", sim_.now().seconds()},
             {"type", "fault_refused"},
             {"action", "reshard"},
             {"reason", "resharding together with replicas or node faults is not modelled yet"}});
    return;
  }
  migrator_.reshard(from, to, count);
}

void ClusterGlue::kill(int node) {
  fault_applied();
  nodes_[static_cast<size_t>(node)].set_alive(false);
  if (acks_) acks_->refresh(nodes_[static_cast<size_t>(node)].master_index());  // EOF: its master drops it now
  if (control_) {
    control_->kill(node);
    close_down(node);  // a dead process answers nothing: its CLUSTERDOWN window ends
    update_cluster_down();
  }
}

void ClusterGlue::restart(int node) {
  fault_applied();
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
  fault_applied();
  nodes_[static_cast<size_t>(node)].set_paused(true);
  if (control_) control_->pause(node);
}

void ClusterGlue::resume(int node) {
  fault_applied();
  nodes_[static_cast<size_t>(node)].set_paused(false);
  if (control_) control_->resume(node);
}

void ClusterGlue::partition(const std::vector<int>& side, bool bus_only) {
  fault_applied();
  if (control_) control_->partition({side}, bus_only ? kChannelBus : kChannelAll);
}

// Client instances take part: the node cut as above (the control plane logs it), plus a cut of the client channel
// between each side's client hosts and the other side's nodes. Instances not listed are on the other side.
void ClusterGlue::partition_clients(const std::vector<int>& nodes, const std::vector<int>& clients) {
  fault_applied();
  if (!control_ || net_->first_client_host < 0) return;  // validation guarantees both
  if (!nodes.empty()) control_->partition({nodes}, kChannelAll);
  std::vector<int> side = nodes, other;
  std::vector<uint8_t> in_side(static_cast<size_t>(net_->nodes), 0);
  for (int n : nodes) in_side[static_cast<size_t>(n)] = 1;
  for (int n = 0; n < net_->nodes; ++n)
    if (!in_side[static_cast<size_t>(n)]) other.push_back(n);
  std::vector<uint8_t> client_side(static_cast<size_t>(s_.clients.instances), 0);
  for (int c : clients) client_side[static_cast<size_t>(c)] = 1;
  json a = json::array(), b = json::array();
  for (int c = 0; c < s_.clients.instances; ++c) {
    (client_side[static_cast<size_t>(c)] ? side : other).push_back(net_->first_client_host + c);
    (client_side[static_cast<size_t>(c)] ? a : b).push_back(c);
  }
  topology_->partition({side, other}, kChannelClient);
  events_({{"t_s", sim_.now().seconds()}, {"type", "partition_clients"}, {"clients", a}, {"other_clients", b}});
}

void ClusterGlue::heal() {
  fault_applied();
  if (control_) control_->heal();
}

// The `link` fault (faults/link.cpp): the topology carries the cluster bus and the replication link's reachability.
void ClusterGlue::change_links(const std::vector<int>& from, const std::vector<int>& to, const json& latency_us,
                               const json& loss, bool one_way) {
  // `link` needs the control plane, which brings the topology (needs_control_plane); validation refuses it with
  // zones, whose links are per level, not per pair of nodes.
  if (!topology_ || net_->zoned()) return;
  fault_applied();
  std::vector<int> peers = to;
  if (peers.empty())
    for (int i = 0; i < static_cast<int>(nodes_.size()); ++i)
      if (std::find(from.begin(), from.end(), i) == from.end()) peers.push_back(i);
  const double p = loss.is_null() ? 0.0 : loss.get<double>();
  const json* lat = latency_us.is_null() ? nullptr : &latency_us;
  const double* lp = loss.is_null() ? nullptr : &p;
  json a = json::array(), b = json::array();
  for (int x : from) a.push_back(nodes_[static_cast<size_t>(x)].name());
  for (int y : peers) b.push_back(nodes_[static_cast<size_t>(y)].name());
  for (int x : from)
    for (int y : peers) {
      if (x == y) continue;
      topology_->change_link(x, y, lat, lp);
      if (!one_way) topology_->change_link(y, x, lat, lp);
    }
  events_({{"t_s", sim_.now().seconds()},
           {"type", "link"},
           {"nodes", a},
           {"peers", b},
           {"latency_us", latency_us},
           {"loss", loss},
           {"one_way", one_way}});
}

void ClusterGlue::slow_node(int node, double factor, double duration_s) {
  if (slow_generation_.size() < nodes_.size()) slow_generation_.resize(nodes_.size(), 0);
  const uint64_t gen = ++slow_generation_[static_cast<size_t>(node)];
  nodes_[static_cast<size_t>(node)].set_service_factor(factor);
  events_({{"t_s", sim_.now().seconds()},
           {"type", "slow_node"},
           {"node", nodes_[static_cast<size_t>(node)].name()},
           {"factor", factor}});
  if (duration_s <= 0) return;
  sim_.at(sim_.now() + Time::from_seconds(duration_s), [this, node, gen] {
    if (slow_generation_[static_cast<size_t>(node)] != gen) return;  // a later slow_node took over
    nodes_[static_cast<size_t>(node)].set_service_factor(1.0);
    events_({{"t_s", sim_.now().seconds()},
             {"type", "slow_node"},
             {"node", nodes_[static_cast<size_t>(node)].name()},
             {"factor", 1.0},
             {"end", true}});
  });
}

void ClusterGlue::failover(int replica, const std::string& mode) {
  if (!control_) return;
  fault_applied();
  const auto m = mode == "force"      ? control::ManualFailoverMode::kForce
                 : mode == "takeover" ? control::ManualFailoverMode::kTakeover
                                      : control::ManualFailoverMode::kDefault;
  if (!control_->manual_failover(replica, m))
    events_({{"t_s", sim_.now().seconds()},
             {"type", "fault_refused"},
             {"action", "failover"},
             {"node", nodes_[static_cast<size_t>(replica)].name()},
             {"reason", "not a live replica"}});
}

uint64_t ClusterGlue::replication_offset(int node) { return nodes_[static_cast<size_t>(node)].repl_offset(); }

void ClusterGlue::on_promoted(int node, int old_master) {
  // Writes the old master acknowledged beyond what this replica had applied are gone for good (docs/redis-reference.md
  // §6.1).
  if (old_master >= 0) writes_lost_ += replication_.lost_if_promoted(old_master, node);
  if (old_master >= 0 && nodes_[static_cast<size_t>(old_master)].alive()) replication_.superseded(old_master);
  nodes_[static_cast<size_t>(node)].make_master();
  replication_.rebuild();
  if (acks_) acks_->refresh(node);  // a new master has no online replica yet: it refuses writes until one syncs
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
  if (acks_) {
    acks_->sync_started(node);
    if (master >= 0) acks_->refresh(master);
  }
  events_({{"t_s", sim_.now().seconds()},
           {"type", "full_sync_started"},
           {"node", n.name()},
           {"master", m.name()},
           {"bytes", bytes}});
  sim_.at(sim_.now() + sync, [this, node, master] {
    Node& r = nodes_[static_cast<size_t>(node)];
    Node& src = nodes_[static_cast<size_t>(master)];
    if (!r.alive() || r.master_index() != master) return;
    r.mutable_store().copy_from(src.store(), sim_.now());
    r.set_repl_offset(src.repl_offset());
    if (acks_) acks_->sync_done(node);
    events_(
        {{"t_s", sim_.now().seconds()}, {"type", "full_sync_done"}, {"node", r.name()}, {"keys", r.store().keys()}});
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

void ClusterGlue::on_cluster_state(int node, bool ok) {
  nodes_[static_cast<size_t>(node)].set_cluster_ok(ok);
  if (ok)
    close_down(node);
  else
    open_down(node);
  update_cluster_down();
}

void ClusterGlue::open_down(int node) {
  int& w = open_down_[node < 0 ? nodes_.size() : static_cast<size_t>(node)];
  if (w >= 0) return;
  w = static_cast<int>(down_.size());
  down_.push_back({node, sim_.now().seconds(), -1});
}

void ClusterGlue::close_down(int node) {
  int& w = open_down_[node < 0 ? nodes_.size() : static_cast<size_t>(node)];
  if (w < 0) return;
  down_[static_cast<size_t>(w)].end_s = sim_.now().seconds();
  w = -1;
}

// The cluster is down while every live master answers CLUSTERDOWN (with full coverage, from the first FAIL until the
// promoted replica's PONG, ref. §4.5).
void ClusterGlue::update_cluster_down() {
  int live = 0, down = 0;
  for (int i = 0; i < control_->nodes(); ++i) {
    const Node& n = nodes_[static_cast<size_t>(i)];
    if (!n.alive() || n.role_kind() != Role::Master) continue;
    ++live;
    down += !n.cluster_ok();
  }
  if (live > 0 && down == live)
    open_down(-1);
  else
    close_down(-1);
}

json ClusterGlue::clusterdown_windows_json() const {
  json out = json::array();
  for (const DownWindow& w : down_)
    out.push_back({{"node", w.node < 0 ? std::string("cluster") : nodes_[static_cast<size_t>(w.node)].name()},
                   {"start_s", w.start_s},
                   {"end_s", w.end_s >= 0 ? json(w.end_s) : json()},
                   {"duration_s", w.end_s >= 0 ? json(w.end_s - w.start_s) : json()}});
  return out;
}

json ClusterGlue::invariants_json() { return invariants_ ? invariants_->finish() : json(); }

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

// ---- Topology changes: add_node / remove_node (faults/add_node.cpp, faults/remove_node.cpp) ----

namespace cachelab {

void ClusterGlue::setup_topology(std::vector<int> added, std::shared_ptr<ClientSharding> sharding,
                                 std::shared_ptr<KeyHashMemo> memo, uint64_t keys) {
  added_ = std::move(added);
  sharding_ = std::move(sharding);
  memo_ = std::move(memo);
  keys_ = keys;
  members_.clear();
  for (int m = 0; m < s_.cluster.masters; ++m) members_.push_back(m);
  for (int n : added_) {
    nodes_[static_cast<size_t>(n)].set_alive(false);  // not started yet
    migrator_.set_member(n, false);
  }
  if (sharding_) set_ring();
  migrator_.on_idle = [this] {
    if (change_running_) finish_change();
  };
}

void ClusterGlue::set_ring() {
  std::vector<std::string> names;
  for (int m : members_) names.push_back(nodes_[static_cast<size_t>(m)].name());
  sharding_->set_members(names, members_);
}

const KeySample& ClusterGlue::key_sample() {
  // Up to 2^18 keys spread evenly over the key space: the moved fraction of a sample of n keys is within about
  // 1/sqrt(n) (0.2 %) of the key space's.
  if (!sample_.slots.empty() || keys_ == 0) return sample_;
  const uint64_t n = std::min<uint64_t>(keys_, uint64_t{1} << 18);
  for (uint64_t i = 0; i < n; ++i) {
    const uint64_t key =
        n == keys_
            ? i
            : static_cast<uint64_t>(static_cast<double>(i) * static_cast<double>(keys_) / static_cast<double>(n));
    sample_.slots.push_back(memo_->slot(key));
    sample_.hashes.push_back(sharding_ ? memo_->ring_hash(key) : 0);
    sample_.weights.push_back(1.0);
  }
  return sample_;
}

ShardLayout ClusterGlue::layout() const {
  ShardLayout l;
  l.members = members_;
  if (sharding_) {
    l.scheme = sharding_->scheme();
    l.ring = *sharding_;
  } else {
    l.scheme = Sharding::RedisCluster;
    l.slot_owner = nodes_[static_cast<size_t>(members_.front())].owners();
  }
  return l;
}

void ClusterGlue::add_node() {
  if (next_added_ >= added_.size()) return;  // validation creates one node per add_node
  pending_.push_back({true, added_[next_added_++]});
  if (!change_running_) start_next_change();
}

void ClusterGlue::remove_node(int node) {
  pending_.push_back({false, node});
  if (!change_running_) start_next_change();
}

// Changes run one after another, as an operator runs one redis-cli command after the other: each plan is made
// from the slot map as it is when the change starts.
void ClusterGlue::start_next_change() {
  if (pending_.empty()) return;
  const PendingChange p = pending_.front();
  Node& n = nodes_[static_cast<size_t>(p.node)];
  TopologyChange c;
  c.action = p.add ? "add_node" : "remove_node";
  c.node = n.name();
  c.t_start_s = sim_.now().seconds();
  c.members_before = static_cast<int>(members_.size());
  change_before_ = layout();
  changes_.push_back(c);
  change_running_ = true;
  events_({{"t_s", c.t_start_s}, {"type", c.action + "_start"}, {"node", c.node}});
  if (p.add) {
    // CLUSTER MEET: the node starts empty and learns the slot map (gossip spreads it; without the control plane
    // it is taken as known at once).
    n.set_alive(true);
    if (!sharding_) {
      const auto owners = nodes_[static_cast<size_t>(members_.front())].owners();
      for (int slot = 0; slot < kClusterSlots; ++slot) n.set_owner(slot, owners[static_cast<size_t>(slot)]);
      migrator_.set_member(p.node, true);
    }
    members_.push_back(p.node);
    std::sort(members_.begin(), members_.end());
  }
  if (sharding_) {  // client-side sharding: the clients recompute their ring; nothing moves
    if (!p.add) members_.erase(std::find(members_.begin(), members_.end(), p.node));
    set_ring();
    finish_change();
    return;
  }
  RebalanceInput in;
  in.masters = members_;
  in.weights.assign(members_.size(), 1.0f);
  if (p.add) {
    in.use_empty_masters = true;  // --cluster-use-empty-masters
  } else {
    for (size_t i = 0; i < members_.size(); ++i)
      if (members_[i] == p.node) in.weights[i] = 0.0f;  // --cluster-weight <node>=0
  }
  const auto moves = plan_rebalance(nodes_[static_cast<size_t>(members_.front())].owners(), in);
  const int group = static_cast<int>(changes_.size()) - 1;
  for (const auto& m : moves) migrator_.move_slots(m.from, m.to, m.slots, group);
  if (moves.empty() || migrator_.idle()) finish_change();
}

void ClusterGlue::finish_change() {
  const PendingChange p = pending_.front();
  pending_.erase(pending_.begin());
  change_running_ = false;
  if (!p.add && !sharding_) {
    // del-node: CLUSTER FORGET on every other node; the node, now empty, stops.
    members_.erase(std::find(members_.begin(), members_.end(), p.node));
    migrator_.set_member(p.node, false);
  }
  if (!p.add) nodes_[static_cast<size_t>(p.node)].set_alive(false);
  TopologyChange& c = changes_.back();
  c.t_end_s = sim_.now().seconds();
  c.members_after = static_cast<int>(members_.size());
  c.layout = compare_layouts(change_before_, layout(), key_sample());
  events_({{"t_s", c.t_end_s},
           {"type", c.action + "_end"},
           {"node", c.node},
           {"moved_keys_fraction", c.layout.moved_keys_fraction}});
  start_next_change();
}

}  // namespace cachelab
