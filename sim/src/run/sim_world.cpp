#include "sim_world.hpp"

#include "cachelab/cluster/slots.hpp"
#include "cachelab/results/slot_ranges.hpp"
#include "topology_report.hpp"

namespace cachelab {

using nlohmann::json;

// Every node's serverCron, every 1000/hz ms: for now it runs the active expire cycle.
class SimWorld::Cron final : private EventHandler {
 public:
  Cron(Simulation& sim, std::vector<Node>& nodes, int hz)
      : sim_(sim), nodes_(nodes), period_(Time::us(1'000'000 / hz)) {
    sim_.at(period_, this, 0);
  }

 private:
  void on_event(Time now, uint64_t) override {
    for (Node& n : nodes_) n.cron(now);
    sim_.at(now + period_, this, 0);
  }
  Simulation& sim_;
  std::vector<Node>& nodes_;
  Time period_;
};

SimWorld::SimWorld(const Scenario& s, const RunSession& session)
    : s_(s),
      sim_(s.seed),
      clock_(sim_),
      standalone_(s.cluster.mode == "standalone"),
      service_us_(make_dist(s.cluster.service_us)),
      stale_sampler_(sim_.stream("metrics/stale")) {
  // The world. Each subsystem draws from its own named stream.
  const int replicas = s.cluster.replicas_per_master;
  int joining = 0;
  for (const auto& f : s.resolved.at("faults")) joining += f.at("action") == "add_node";
  nodes_.reserve(
      static_cast<size_t>(s.cluster.masters * (1 + replicas) + joining));  // no reallocation: nodes are referenced
  const StoreConfig& store_cfg = s.cluster.store;                          // typed once by Scenario::from_resolved
  for (int m = 1; m <= s.cluster.masters; ++m) {
    const std::string name = "master-" + std::to_string(m);
    nodes_.emplace_back(name, static_cast<uint16_t>(m - 1), store_cfg, sim_.stream("eviction/" + name), *service_us_,
                        sim_.stream("service/" + name));
  }
  // Replicas follow the masters (replica-m-r: replica r of master m). They neither evict nor actively expire:
  // their keyspace changes only through the replication stream (replica-ignore-maxmemory, ref. §7.2 and §8.2).
  StoreConfig replica_cfg = store_cfg;
  replica_cfg.master = false;
  for (int m = 1; m <= s.cluster.masters; ++m)
    for (int r = 1; r <= replicas; ++r) {
      const std::string name = "replica-" + std::to_string(m) + "-" + std::to_string(r);
      nodes_.emplace_back(name, static_cast<uint16_t>(nodes_.size()), replica_cfg, sim_.stream("eviction/" + name),
                          *service_us_, sim_.stream("service/" + name));
      nodes_.back().make_replica_of(m - 1);
    }
  for (int k = 1; k <= joining; ++k) {
    const std::string name = "master-" + std::to_string(s.cluster.masters + k);
    joining_nodes_.push_back(static_cast<int>(nodes_.size()));
    nodes_.emplace_back(name, static_cast<uint16_t>(nodes_.size()), store_cfg, sim_.stream("eviction/" + name),
                        *service_us_, sim_.stream("service/" + name));
  }
  // Slots as redis-cli --cluster create assigns them; every node and every client starts with the same view.
  slot_owner_.assign(kClusterSlots, 0);
  const auto ranges = redis_cli_slot_ranges(s.cluster.masters);
  for (size_t m = 0; m < ranges.size(); ++m)
    for (int slot = ranges[m].first; slot <= ranges[m].second; ++slot)
      slot_owner_[static_cast<size_t>(slot)] = static_cast<uint16_t>(m);
  for (Node& n : nodes_)
    for (int slot = 0; slot < kClusterSlots; ++slot) n.set_owner(slot, slot_owner_[static_cast<size_t>(slot)]);

  // The network (net/placement.hpp): flat (rtt_us, node_link_us) or zones; shared by every user of the network.
  netmap_ = build_network(s, static_cast<int>(nodes_.size()), needs_control_plane(s));
  repl_net_ = std::make_unique<Network>(s.network.rtt_us, sim_.stream("network/replication"), netmap_);
  replication_ = std::make_unique<Replication>(sim_, nodes_, *repl_net_);
  if (replicas > 0)
    for (Node& n : nodes_)
      if (n.role_kind() == Role::Master) n.attach_replication(replication_.get());
  net_ = std::make_unique<Network>(s.network.rtt_us, sim_.stream("network"), netmap_);
  cache_ = std::make_unique<SimCacheBackend>(sim_, nodes_, *net_, session.namer(), command_timeout(s.clients));
  ops_at_warmup_.assign(nodes_.size(), 0);
}

SimWorld::~SimWorld() = default;

void SimWorld::connect(ClientLogic& client) {
  cache_->on_reply([&client](uint32_t tag, const CacheReply& r) { client.on_cache_reply(tag, r); });
  cache_->on_slots([&client](uint16_t c, const std::vector<uint16_t>& owners) { client.on_slots(c, owners); });
}

void SimWorld::start(RunSession& session) {
  cron_ = std::make_unique<Cron>(sim_, nodes_, s_.cluster.store.hz);
  // The fault timeline's admin tools (redis-cli) draw their network delays from their own stream.
  admin_net_ = std::make_unique<Network>(s_.network.rtt_us, sim_.stream("network/admin"));
  auto sink = [&session](json e) { session.emit(std::move(e)); };
  migrator_ = std::make_unique<Migrator>(sim_, nodes_, *admin_net_, session.namer(), sink);
  glue_ = std::make_unique<ClusterGlue>(sim_, s_, nodes_, *replication_, *migrator_, sink, netmap_);
  glue_->setup_topology(joining_nodes_, session.client_sharding(), session.key_memo(), s_.key_space());
  session.emit(cluster_layout());
}

// events.jsonl `cluster_layout` (results/README.md): every node as the run starts, so a reader replaying the events
// (the GUI's animation) starts from the world's own state instead of redoing redis-cli's split or guessing roles
// from names. Written before any fault acts: joining nodes are still down here.
json SimWorld::cluster_layout() const {
  json nodes = json::array();
  for (const Node& n : nodes_) {
    json ranges = json::array();
    const auto owned =
        standalone_ ? std::vector<std::pair<int, int>>{{0, kClusterSlots - 1}}
                    : results::slot_ranges_of([&n](int slot) { return n.owner(slot) == n.index(); }, kClusterSlots);
    for (const auto& [first, last] : owned) ranges.push_back({first, last});
    const int m = n.master_index();
    nodes.push_back({{"node", n.name()},
                     {"role", n.role()},
                     {"master", m >= 0 ? json(nodes_[static_cast<size_t>(m)].name()) : json()},
                     {"slot_ranges", std::move(ranges)},
                     {"maxmemory_bytes", n.store().maxmemory()}});
  }
  return {{"t_s", 0.0}, {"type", "cluster_layout"}, {"sharding", s_.cluster.sharding}, {"nodes", std::move(nodes)}};
}

void SimWorld::on_warmup_end() {
  for (size_t i = 0; i < nodes_.size(); ++i) ops_at_warmup_[i] = nodes_[i].ops();
  net_->reset_stats();
}

std::vector<std::string> SimWorld::node_names() const {
  std::vector<std::string> names;
  for (const auto& n : nodes_) names.push_back(n.name());
  return names;
}

void SimWorld::sample_nodes(Time at, std::vector<NodeSample>& out) {
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    const Store::StaleStats stale = n.store().expired_stale(at, &stale_sampler_);
    out[i] = NodeSample{n.role(),
                        n.store().used_memory(),
                        n.store().keys(),
                        n.ops(),
                        n.store().evicted_keys(),
                        n.store().expired_keys(),
                        stale.keys,
                        stale.bytes,
                        n.store().keyspace_hits(),
                        n.store().keyspace_misses()};
  }
}

std::optional<BusTotals> SimWorld::bus_totals() const {
  return BusTotals{glue_->bus_messages(), glue_->bus_bytes()};  // 0 without the control plane
}

std::vector<results::NodeSummary> SimWorld::nodes_at_end(Time t) {
  // Expired keys still held at the end, counted exactly once per node (a scan of its keys with a TTL).
  stale_at_end_.clear();
  for (const Node& n : nodes_) stale_at_end_.push_back(n.store().expired_stale(t));
  std::vector<results::NodeSummary> out;
  for (size_t i = 0; i < nodes_.size(); ++i) {
    const Node& n = nodes_[i];
    results::NodeSummary r;
    r.name = n.name();
    r.role = n.role();
    if (standalone_) {
      r.slot_ranges = {{0, kClusterSlots - 1}};
    } else {
      r.slot_ranges = results::slot_ranges_of([&n](int slot) { return n.owner(slot) == n.index(); }, kClusterSlots);
    }
    r.slot_count = 0;
    for (const auto& [first, last] : r.slot_ranges) r.slot_count += last - first + 1;
    auto count = [](uint64_t v) { return static_cast<double>(v); };
    r.keys = count(n.store().keys());
    r.used_memory_bytes = count(n.store().used_memory());
    r.maxmemory_bytes = count(n.store().maxmemory());
    r.ops = count(n.ops());
    r.evicted_keys = count(n.store().evicted_keys());
    r.expired_keys = count(n.store().expired_keys());
    r.utilization = t.nanos() > 0 ? n.busy().seconds() / t.seconds() : 0.0;
    const Node* master = n.master_index() >= 0 ? &nodes_[static_cast<size_t>(n.master_index())] : nullptr;
    r.extra = {{"expired_stale_keys", stale_at_end_[i].keys},
               {"expired_stale_bytes", stale_at_end_[i].bytes},
               {"repl_offset", n.repl_offset()},
               {"master", master ? json(master->name()) : json()},
               {"repl_lag_bytes", master ? json(master->repl_offset() - n.repl_offset()) : json()}};
    out.push_back(std::move(r));
  }
  return out;
}

void SimWorld::summary_extras(RunSession& session, Time t, json& summary) {
  // Expired keys the masters still hold at the end (not yet found by a lookup or the expire cycle), and their bytes.
  uint64_t stale_keys = 0, stale_bytes = 0;
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (std::string(nodes_[i].role()) == "master") {
      stale_keys += stale_at_end_[i].keys;
      stale_bytes += stale_at_end_[i].bytes;
    }
  summary["expired_stale_keys"] = stale_keys;
  summary["expired_stale_bytes"] = stale_bytes;
  summary["failovers"] = glue_->failovers_json();
  summary["cluster_bus"] = glue_->bus_json(t.seconds());
  summary["clusterdown_windows"] = glue_->clusterdown_windows_json();
  summary["invariants"] = glue_->invariants_json();  // null without the control plane
  json reshards = json::array();
  for (const auto& r : migrator_->reports())
    reshards.push_back({{"from", nodes_[static_cast<size_t>(r.from)].name()},
                        {"to", nodes_[static_cast<size_t>(r.to)].name()},
                        {"slots", r.slots},
                        {"keys_moved", r.keys_moved},
                        {"bytes_moved", r.bytes_moved},
                        {"commands", r.commands},
                        {"t_start_s", r.t_start_s},
                        {"t_end_s", r.t_end_s >= 0 ? json(r.t_end_s) : json()},
                        {"duration_s", r.t_end_s >= 0 ? json(r.t_end_s - r.t_start_s) : json()},
                        {"topology_change", r.group >= 0 ? json(r.group) : json()},
                        {"impact", window_impact(session.series(), r.t_start_s, r.t_end_s)}});
  summary["resharding"] = reshards;
  summary["sharding"] = s_.cluster.sharding;
  summary["topology_changes"] = topology_changes_json(*glue_, *migrator_, nodes_, session.series());
  summary["node_ops_share"] = node_ops_share(nodes_, ops_at_warmup_);
  summary["load_balance"] = load_balance(nodes_, glue_->members(), ops_at_warmup_);
  if (netmap_->zoned()) summary["network"] = net_->zone_rtt_json();  // round trips by client and node zone
}

}  // namespace cachelab
