#include "cachelab/run/runner.hpp"

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/cluster/migration.hpp"
#include "cachelab/cluster/rebalance.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/cluster/replication.hpp"
#include "cachelab/faults/fault.hpp"
#include "cachelab/cluster/slots.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/metrics/hotspots.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/metrics/report.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/origin/origin.hpp"
#include "cachelab/run/sim_backend.hpp"
#include "cachelab/workload/generator.hpp"
#include "cluster_glue.hpp"
#include "topology_report.hpp"

namespace cachelab {

using nlohmann::json;

namespace {

class SimClock final : public Clock {
 public:
  explicit SimClock(const Simulation& sim) : sim_(sim) {}
  Time now() const override { return sim_.now(); }

 private:
  const Simulation& sim_;
};

// Feeds the request stream into the client logic: one event per request, at its due time.
// Closed loop (arrival.dist "closed"): each session has one request at a time. When one completes (the Recorder's
// done hook) an event at that instant asks the generator for the session's next request (due after its think time)
// and a second event starts it then; the hook itself never re-enters the client logic.
class Driver final : private EventHandler {
 public:
  Driver(Simulation& sim, WorkloadGenerator& gen, ClientLogic& client, Recorder& rec, Time end)
      : sim_(sim), gen_(gen), client_(client), rec_(rec), end_(end), closed_(gen.closed_loop()) {
    if (closed_) {
      session_next_.resize(gen_.sessions());
      rec_.set_done_hook([](void* self, const Request& r, Time done) {
        auto* d = static_cast<Driver*>(self);
        d->sim_.at(done, d, r.session);  // the session's next request, drawn after this event returns
      }, this);
      for (uint32_t s = 0; s < gen_.sessions(); ++s) sim_.at(Time::ns(0), this, s);
      return;
    }
    // Open loop: one arrival pending at a time (the queue's lane), the stream drawn kAhead requests ahead.
    while (count_ < kAhead && gen_.next(ahead_[(head_ + count_) % kAhead], end_)) {
      client_.prefetch(ahead_[(head_ + count_) % kAhead]);
      ++count_;
    }
    if (count_ > 0) sim_.at_lane(ahead_[head_].due, this, 0);
  }
  uint64_t issued() const { return issued_; }
  HotSpots* hot = nullptr;  // hot slots and keys: every issued request is counted

 private:
  static constexpr uint64_t kStart = uint64_t{1} << 32;  // tag bit: start the session's drawn request
  void on_closed(Time now, uint64_t tag) {
    const auto s = static_cast<uint32_t>(tag);
    Request& r = session_next_[s];
    if (!(tag & kStart)) {
      if (!gen_.next_for(s, now, r, end_)) return;  // the session is done: its next request would be past the end
      if (r.due > now) {
        sim_.at(r.due, this, tag | kStart);
        return;
      }
    }
    rec_.request_due(r.due);
    if (hot) hot->record(r);
    client_.start(r);
    ++issued_;
  }
  void on_event(Time now, uint64_t tag) override {
    if (closed_) return on_closed(now, tag);
    Request& r = ahead_[head_];
    rec_.request_due(r.due);
    if (hot) hot->record(r);
    client_.start(r);
    ++issued_;
    // Refill the slot just used. The stream is a pure function of the workload and the seed, so drawing it ahead
    // changes nothing but when the draws happen; it lets the per-key state of a request be prefetched kAhead
    // arrivals before it starts (one arrival ahead was too late: the slot memo's cache miss was 5% of flash-sale).
    if (gen_.next(r, end_)) {
      client_.prefetch(r);
    } else {
      --count_;
    }
    head_ = (head_ + 1) % kAhead;
    if (count_ > 0) sim_.at_lane(ahead_[head_].due, this, 0);
  }
  Simulation& sim_;
  WorkloadGenerator& gen_;
  ClientLogic& client_;
  Recorder& rec_;
  Time end_;
  bool closed_;
  static constexpr size_t kAhead = 8;
  std::array<Request, kAhead> ahead_{};  // open loop: the next requests, in stream order from head_
  size_t head_ = 0, count_ = 0;
  std::vector<Request> session_next_;  // closed loop: each session's drawn request until it starts
  uint64_t issued_ = 0;
};

// Every node's serverCron, every 1000/hz ms: for now it runs the active expire cycle.
class Cron final : private EventHandler {
 public:
  Cron(Simulation& sim, std::vector<Node>& nodes, int hz) : sim_(sim), nodes_(nodes), period_(Time::us(1'000'000 / hz)) {
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

// The slots a node owns at the end, by its own view, as [first, last] ranges.
json owned_ranges(const Node& n) {
  json out = json::array();
  int first = -1;
  for (int slot = 0; slot <= kClusterSlots; ++slot) {
    const bool mine = slot < kClusterSlots && n.owner(slot) == n.index();
    if (mine && first < 0) first = slot;
    if (!mine && first >= 0) {
      out.push_back(json::array({first, slot - 1}));
      first = -1;
    }
  }
  return out;
}
int owned_slots(const Node& n) {
  int count = 0;
  for (int slot = 0; slot < kClusterSlots; ++slot) count += n.owner(slot) == n.index();
  return count;
}

StoreConfig store_config(const Scenario& s) {
  StoreConfig c;
  c.maxmemory_bytes = s.cluster.maxmemory_bytes;
  c.policy = s.cluster.maxmemory_policy;
  c.cluster_mode = s.cluster.mode == "cluster";
  c.maxmemory_samples = s.cluster.maxmemory_samples;
  c.sampling = s.cluster.sampling;
  c.lfu_log_factor = s.cluster.lfu_log_factor;
  c.lfu_decay_time_min = s.cluster.lfu_decay_time_min;
  c.hz = s.cluster.hz;
  c.active_expire_effort = s.cluster.active_expire_effort;
  // Every client instance holds a connection to each node (pool_size of them with a pool), and a master with
  // replicas holds a replication backlog: both are in used_memory (ref. redis-cluster.md §7.3, §7.8).
  c.client_connections = s.clients.instances * (s.clients.pool_size > 0 ? static_cast<int>(s.clients.pool_size) : 1);
  c.repl_backlog = s.cluster.replicas_per_master > 0;
  return c;
}

}  // namespace

json evaluate_slos(const SloConfig& slo, const json& summary) {
  json out = json::array();
  auto add = [&](const char* name, const std::optional<double>& target, const json& value, bool at_most) {
    if (!target) return;
    json row = {{"name", name}, {"target", *target}, {"value", value}};
    if (value.is_null()) {
      row["pass"] = false;
      row["margin"] = json();
    } else {
      const double v = value.get<double>();
      const double margin = at_most ? *target - v : v - *target;
      row["pass"] = margin >= 0;
      row["margin"] = margin;
    }
    out.push_back(row);
  };
  auto ms = [&](const char* p) {
    const json& v = summary.at("latency_us").at(p);
    return v.is_null() ? json() : json(v.get<double>() / 1000.0);
  };
  add("latency_p50_ms", slo.latency_p50_ms, ms("p50"), true);
  add("latency_p99_ms", slo.latency_p99_ms, ms("p99"), true);
  add("latency_p999_ms", slo.latency_p999_ms, ms("p999"), true);
  add("hit_ratio_min", slo.hit_ratio_min, summary.at("hit_ratio"), false);
  const double requests = summary.at("requests").get<double>();
  add("error_rate_max", slo.error_rate_max,
      requests > 0 ? json(summary.at("failed_requests").get<double>() / requests) : json(), true);
  const double measured = summary.at("measured_s").get<double>();
  add("origin_requests_per_s_max", slo.origin_requests_per_s_max,
      measured > 0 ? json(summary.at("origin").at("requests").get<double>() / measured) : json(), true);
  add("availability_min", slo.availability_min, summary.value("availability", json()), false);
  add("writes_lost_max", slo.writes_lost_max,
      summary.contains("writes_lost") ? json(summary.at("writes_lost").get<double>()) : json(), true);
  return out;
}

RunOutput simulate(const Scenario& s, RunObserver* observer) {
  const auto wall_start = std::chrono::steady_clock::now();
  Simulation sim(s.seed);
  const Time end = Time::from_seconds(s.duration_s);
  const Time warmup_end = Time::from_seconds(s.warmup_s);
  const Time interval = Time::ms(s.metrics_interval_ms);

  // The world. Each subsystem draws from its own named stream.
  const bool standalone = s.cluster.mode == "standalone";
  const auto service_us = make_dist(s.cluster.service_us);
  std::vector<Node> nodes;
  const int replicas = s.cluster.replicas_per_master;
  int joining = 0;  // masters that add_node faults will bring in: created now, down until they join
  for (const auto& f : s.resolved.at("faults")) joining += f.at("action") == "add_node";
  nodes.reserve(static_cast<size_t>(s.cluster.masters * (1 + replicas) + joining));  // no reallocation: nodes are referenced
  const StoreConfig store_cfg = store_config(s);
  for (int m = 1; m <= s.cluster.masters; ++m) {
    const std::string name = "master-" + std::to_string(m);
    nodes.emplace_back(name, static_cast<uint16_t>(m - 1), store_cfg, sim.stream("eviction/" + name), *service_us,
                       sim.stream("service/" + name));
  }
  // Replicas follow the masters (replica-m-r: replica r of master m). They neither evict nor actively expire:
  // their keyspace changes only through the replication stream (replica-ignore-maxmemory, ref. 7.2 and 8.2).
  StoreConfig replica_cfg = store_cfg;
  replica_cfg.master = false;
  for (int m = 1; m <= s.cluster.masters; ++m)
    for (int r = 1; r <= replicas; ++r) {
      const std::string name = "replica-" + std::to_string(m) + "-" + std::to_string(r);
      nodes.emplace_back(name, static_cast<uint16_t>(nodes.size()), replica_cfg, sim.stream("eviction/" + name),
                         *service_us, sim.stream("service/" + name));
      nodes.back().make_replica_of(m - 1);
    }
  std::vector<int> joining_nodes;
  for (int k = 1; k <= joining; ++k) {
    const std::string name = "master-" + std::to_string(s.cluster.masters + k);
    joining_nodes.push_back(static_cast<int>(nodes.size()));
    nodes.emplace_back(name, static_cast<uint16_t>(nodes.size()), store_cfg, sim.stream("eviction/" + name),
                       *service_us, sim.stream("service/" + name));
  }
  // Slots as redis-cli --cluster create assigns them; every node and every client starts with the same view.
  std::vector<uint16_t> slot_owner(kClusterSlots, 0);
  const auto ranges = redis_cli_slot_ranges(s.cluster.masters);
  for (size_t m = 0; m < ranges.size(); ++m)
    for (int slot = ranges[m].first; slot <= ranges[m].second; ++slot)
      slot_owner[static_cast<size_t>(slot)] = static_cast<uint16_t>(m);
  for (Node& n : nodes)
    for (int slot = 0; slot < kClusterSlots; ++slot) n.set_owner(slot, slot_owner[static_cast<size_t>(slot)]);

  // The network (net/placement.hpp): flat (rtt_us, node_link_us) or zones; shared by every user of the network.
  const std::shared_ptr<NetworkMap> netmap = build_network(s, static_cast<int>(nodes.size()), needs_control_plane(s));
  Network repl_net(s.network.rtt_us, sim.stream("network/replication"), netmap);
  Replication replication(sim, nodes, repl_net);
  if (replicas > 0)
    for (Node& n : nodes)
      if (n.role_kind() == Role::Master) n.attach_replication(&replication);

  Recorder rec(warmup_end);
  Network net(s.network.rtt_us, sim.stream("network"), netmap);
  WorkloadGenerator gen(s);
  SimClock clock(sim);
  SimCacheBackend cache(sim, nodes, net, gen.namer(), Time::from_seconds(s.clients.timeout_ms / 1000.0));
  Origin origin(sim, s.origin, &rec, sim.stream("origin"));
  const ClientOptions client_opts = ClientOptions::from(s.clients);
  // Client-side sharding (ketama, modulo): one ring shared by every client instance (client/sharding.hpp).
  const Sharding sharding = parse_sharding(s.cluster.sharding);
  auto client_sharding = sharding == Sharding::RedisCluster
                             ? nullptr
                             : std::make_shared<ClientSharding>(sharding, s.cluster.ketama_points_per_server);
  SlotRouter router(gen.namer(), slot_owner, standalone, s.workload.keys, s.clients.instances, client_sharding);
  HotSpots hot(router.memo(), gen.namer(), warmup_end);
  const std::shared_ptr<KeyHashMemo> key_memo = router.memo();
  ClientLogic client(cache, origin, rec, clock, std::move(router),
                     client_opts, &sim, sim.stream("clients"));
  cache.on_reply([&](uint32_t tag, const CacheReply& r) { client.on_cache_reply(tag, r); });
  cache.on_slots([&](uint16_t c, const std::vector<uint16_t>& owners) { client.on_slots(c, owners); });
  origin.on_reply([&](uint32_t tag, OriginOutcome o) { client.on_origin_reply(tag, o); });
  // Cache warming (clients.warm): the top keys are loaded and SET through the client logic from t = 0.
  if (s.clients.warm_top_keys > 0) {
    Rng warm_rng = sim.stream("clients/warm");
    client.warm(gen.warm_requests(static_cast<uint64_t>(s.clients.warm_top_keys), warm_rng));
  }
  Driver driver(sim, gen, client, rec, end);
  driver.hot = &hot;
  Cron cron(sim, nodes, s.cluster.hz);

  RunOutput out;
  auto event = [&](double t_s, const char* type) { out.events.push_back({{"t_s", t_s}, {"type", type}}); };
  event(0, "run_start");

  // The fault timeline. Admin tools (redis-cli) draw their network delays from their own stream.
  Network admin_net(s.network.rtt_us, sim.stream("network/admin"));
  Migrator migrator(sim, nodes, admin_net, gen.namer(), [&](json e) { out.events.push_back(std::move(e)); });
  ClusterGlue glue(sim, s, nodes, replication, migrator, [&](json e) { out.events.push_back(std::move(e)); }, netmap);
  glue.client_crash = [&](int i) {
    const uint64_t lost = client.crash_instance(static_cast<uint16_t>(i));
    out.events.push_back({{"t_s", sim.now().seconds()}, {"type", "client_crash"}, {"instance", i}, {"writes_lost", lost}});
  };
  glue.setup_topology(joining_nodes, client_sharding, key_memo, s.workload.keys);
  FaultTarget& fault_target = glue;
  for (const auto& item : s.resolved.at("faults")) {
    const FaultKind* kind = FaultRegistry::instance().find(item.at("action"));
    sim.at(Time::from_seconds(item.at("at_s").get<double>()), [&, kind, item] {
      json e = item;
      e["t_s"] = e["at_s"];
      e.erase("at_s");
      e["type"] = "fault";
      out.events.push_back(e);
      kind->apply(fault_target, item);
    });
  }

  // series.csv: results/README.md (the same writer as live mode's).
  std::vector<std::string> names;
  for (const auto& n : nodes) names.push_back(n.name());
  SeriesWriter series(names);
  out.series.columns = series.columns();
  // Hot slots per interval (results/README.md), after the writer's columns.
  for (const char* c : {"hot_slot", "hot_slot_ops_per_s", "hot_slot_share"}) out.series.columns.push_back(c);
  // Cluster-bus traffic per interval (0 without the control plane; live mode writes the same columns).
  for (const char* c : {"bus_messages_per_s", "bus_bytes_per_s"}) out.series.columns.push_back(c);
  uint64_t bus_messages_before = 0, bus_bytes_before = 0;
  // Each node's ops when the measured period starts, for shares over that period.
  std::vector<uint64_t> ops_at_warmup(nodes.size(), 0);
  sim.at(warmup_end, [&] {
    for (size_t i = 0; i < nodes.size(); ++i) ops_at_warmup[i] = nodes[i].ops();
    net.reset_stats();
  });
  std::vector<NodeSample> samples(nodes.size());
  Rng stale_sampler = sim.stream("metrics/stale");  // per-interval estimate of expired-but-held keys (store.hpp)

  Time t = Time::ns(0);
  bool warmup_logged = warmup_end == Time::ns(0);
  while (t < end) {
    const Time next = std::min(end, t + interval);
    sim.run_until(next);
    if (!warmup_logged && next >= warmup_end) {
      event(s.warmup_s, "warmup_end");
      warmup_logged = true;
    }
    const double secs = (next - t).seconds();
    for (size_t i = 0; i < nodes.size(); ++i) {
      const Node& n = nodes[i];
      const Store::StaleStats stale = n.store().expired_stale(next, &stale_sampler);
      samples[i] = NodeSample{n.role(),           n.store().used_memory(),  n.store().keys(), n.ops(),
                              n.store().evicted_keys(), n.store().expired_keys(), stale.keys, stale.bytes,
                              n.store().keyspace_hits(), n.store().keyspace_misses()};
    }
    auto row = series.row(next.seconds(), t < warmup_end, secs, rec.interval(), samples);
    const HotSpots::IntervalTop top = hot.close_interval();
    row.push_back(top.slot >= 0 ? std::to_string(top.slot) : "");
    row.push_back(format_fixed(static_cast<double>(top.ops) / secs, 3));
    row.push_back(top.total ? format_fixed(static_cast<double>(top.ops) / static_cast<double>(top.total), 6) : "");
    row.push_back(format_fixed(static_cast<double>(glue.bus_messages() - bus_messages_before) / secs, 3));
    row.push_back(format_fixed(static_cast<double>(glue.bus_bytes() - bus_bytes_before) / secs, 3));
    bus_messages_before = glue.bus_messages();
    bus_bytes_before = glue.bus_bytes();
    out.series.rows.push_back(std::move(row));
    rec.reset_interval();
    t = next;
    if (observer) {
      observer->on_interval(out.series);
      observer->on_progress(t.seconds() / end.seconds(), driver.issued());
      if (observer->cancelled()) {
        out.cancelled = true;
        break;
      }
    }
  }
  event(t.seconds(), out.cancelled ? "cancelled" : "run_end");
  std::stable_sort(out.events.begin(), out.events.end(),
                   [](const json& a, const json& b) { return a.at("t_s").get<double>() < b.at("t_s").get<double>(); });

  // summary.json: results/README.md.
  const double measured_s = (t - std::min(t, warmup_end)).seconds();
  json summary = summary_from_recorder(rec, "sim", s.seed, measured_s);
  uint64_t evicted = 0, expired = 0;
  json node_list = json::array();
  // Expired keys still held at the end, counted exactly once per node (a scan of its keys with a TTL).
  std::vector<Store::StaleStats> stale_at_end;
  for (const Node& n : nodes) stale_at_end.push_back(n.store().expired_stale(t));
  for (size_t i = 0; i < nodes.size(); ++i) {
    const Node& n = nodes[i];
    evicted += n.store().evicted_keys();
    expired += n.store().expired_keys();
    node_list.push_back({{"name", n.name()},
                         {"role", n.role()},
                         {"slots", standalone ? kClusterSlots : owned_slots(n)},
                         {"slot_ranges", standalone ? json::array({json::array({0, kClusterSlots - 1})})
                                                    : owned_ranges(n)},
                         {"keys", n.store().keys()},
                         {"used_memory_bytes", n.store().used_memory()},
                         {"maxmemory_bytes", n.store().maxmemory()},
                         {"ops", n.ops()},
                         {"evicted_keys", n.store().evicted_keys()},
                         {"expired_keys", n.store().expired_keys()},
                         {"expired_stale_keys", stale_at_end[i].keys},
                         {"expired_stale_bytes", stale_at_end[i].bytes},
                         {"utilization", t.nanos() > 0 ? n.busy().seconds() / t.seconds() : 0.0},
                         {"repl_offset", n.repl_offset()},
                         {"master", n.master_index() >= 0 ? json(nodes[static_cast<size_t>(n.master_index())].name()) : json()},
                         {"repl_lag_bytes", n.master_index() >= 0
                                                ? json(nodes[static_cast<size_t>(n.master_index())].repl_offset() - n.repl_offset())
                                                : json()}});
  }
  // Whole-run totals: eviction and expiry are properties of the cache state, counted from the start.
  summary["evicted_keys"] = evicted;
  summary["expired_keys"] = expired;
  // Expired keys the masters still hold at the end (not yet found by a lookup or the expire cycle), and their bytes.
  uint64_t stale_keys = 0, stale_bytes = 0;
  for (size_t i = 0; i < nodes.size(); ++i)
    if (std::string(nodes[i].role()) == "master") {
      const Store::StaleStats& st = stale_at_end[i];
      stale_keys += st.keys;
      stale_bytes += st.bytes;
    }
  summary["expired_stale_keys"] = stale_keys;
  summary["expired_stale_bytes"] = stale_bytes;
  summary["writes_lost"] = glue.writes_lost();
  summary["clients"] = client.stats().to_json(client.options());
  summary["failovers"] = glue.failovers_json();
  summary["cluster_bus"] = glue.bus_json(t.seconds());
  summary["clusterdown_windows"] = glue.clusterdown_windows_json();
  summary["invariants"] = glue.invariants_json();  // null without the control plane
  json reshards = json::array();
  for (const auto& r : migrator.reports())
    reshards.push_back({{"from", nodes[static_cast<size_t>(r.from)].name()},
                        {"to", nodes[static_cast<size_t>(r.to)].name()},
                        {"slots", r.slots},
                        {"keys_moved", r.keys_moved},
                        {"bytes_moved", r.bytes_moved},
                        {"commands", r.commands},
                        {"t_start_s", r.t_start_s},
                        {"t_end_s", r.t_end_s >= 0 ? json(r.t_end_s) : json()},
                        {"duration_s", r.t_end_s >= 0 ? json(r.t_end_s - r.t_start_s) : json()},
                        {"topology_change", r.group >= 0 ? json(r.group) : json()},
                        {"impact", window_impact(out.series, r.t_start_s, r.t_end_s)}});
  summary["resharding"] = reshards;
  summary["sharding"] = s.cluster.sharding;
  summary["topology_changes"] = topology_changes_json(glue, migrator, nodes, out.series);
  summary["hot_slots"] = hot.hot_slots_json(10);
  summary["hot_keys"] = hot.hot_keys_json(10);
  summary["hot_keys_counters"] = HotSpots::kKeyCounters;
  summary["hot_keys_sample_every"] = HotSpots::kKeySampleEvery;
  summary["node_ops_share"] = node_ops_share(nodes, ops_at_warmup);
  summary["load_balance"] = load_balance(nodes, glue.members(), ops_at_warmup);
  summary["nodes"] = node_list;
  if (netmap->zoned()) summary["network"] = net.zone_rtt_json();  // round trips by client and node zone
  summary["slo"] = evaluate_slos(s.slo, summary);

  out.summary = std::move(summary);
  out.events_processed = sim.events_processed();
  out.requests_issued = driver.issued();
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return out;
}

}  // namespace cachelab
