#include "cachelab/run/runner.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/cluster/migration.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/cluster/replication.hpp"
#include "cachelab/faults/fault.hpp"
#include "cachelab/cluster/slots.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/metrics/report.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/origin/origin.hpp"
#include "cachelab/run/sim_backend.hpp"
#include "cachelab/workload/generator.hpp"
#include "cluster_glue.hpp"

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
class Driver final : private EventHandler {
 public:
  Driver(Simulation& sim, WorkloadGenerator& gen, ClientLogic& client, Recorder& rec, Time end)
      : sim_(sim), gen_(gen), client_(client), rec_(rec), end_(end) {
    if (gen_.next(next_, end_)) sim_.at(next_.due, this, 0);
  }
  uint64_t issued() const { return issued_; }

 private:
  void on_event(Time, uint64_t) override {
    rec_.request_due(next_.due);
    client_.start(next_);
    ++issued_;
    if (gen_.next(next_, end_)) {
      client_.prefetch(next_);
      sim_.at(next_.due, this, 0);
    }
  }
  Simulation& sim_;
  WorkloadGenerator& gen_;
  ClientLogic& client_;
  Recorder& rec_;
  Time end_;
  Request next_;
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
  c.lfu_log_factor = s.cluster.lfu_log_factor;
  c.lfu_decay_time_min = s.cluster.lfu_decay_time_min;
  c.hz = s.cluster.hz;
  c.active_expire_effort = s.cluster.active_expire_effort;
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
  nodes.reserve(static_cast<size_t>(s.cluster.masters * (1 + replicas)));  // no reallocation: nodes are referenced
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
  // Slots as redis-cli --cluster create assigns them; every node and every client starts with the same view.
  std::vector<uint16_t> slot_owner(kClusterSlots, 0);
  const auto ranges = redis_cli_slot_ranges(s.cluster.masters);
  for (size_t m = 0; m < ranges.size(); ++m)
    for (int slot = ranges[m].first; slot <= ranges[m].second; ++slot)
      slot_owner[static_cast<size_t>(slot)] = static_cast<uint16_t>(m);
  for (Node& n : nodes)
    for (int slot = 0; slot < kClusterSlots; ++slot) n.set_owner(slot, slot_owner[static_cast<size_t>(slot)]);

  Network repl_net(s.network.rtt_us, sim.stream("network/replication"));
  Replication replication(sim, nodes, repl_net);
  if (replicas > 0)
    for (Node& n : nodes)
      if (n.role_kind() == Role::Master) n.attach_replication(&replication);

  Recorder rec(warmup_end);
  Network net(s.network.rtt_us, sim.stream("network"));
  WorkloadGenerator gen(s);
  SimClock clock(sim);
  SimCacheBackend cache(sim, nodes, net, gen.namer(), Time::from_seconds(s.clients.timeout_ms / 1000.0));
  Origin origin(sim, s.origin, &rec, sim.stream("origin"));
  ClientLogic client(cache, origin, rec, clock, SlotRouter(gen.namer(), slot_owner, standalone, s.workload.keys, s.clients.instances),
                     s.clients.on_write == "update" ? WriteMode::Update : WriteMode::Invalidate);
  cache.on_reply([&](uint32_t tag, const CacheReply& r) { client.on_cache_reply(tag, r); });
  cache.on_slots([&](uint16_t c, const std::vector<uint16_t>& owners) { client.on_slots(c, owners); });
  origin.on_reply([&](uint32_t tag, OriginOutcome o) { client.on_origin_reply(tag, o); });
  Driver driver(sim, gen, client, rec, end);
  Cron cron(sim, nodes, s.cluster.hz);

  RunOutput out;
  auto event = [&](double t_s, const char* type) { out.events.push_back({{"t_s", t_s}, {"type", type}}); };
  event(0, "run_start");

  // The fault timeline. Admin tools (redis-cli) draw their network delays from their own stream.
  Network admin_net(s.network.rtt_us, sim.stream("network/admin"));
  Migrator migrator(sim, nodes, admin_net, gen.namer(), [&](json e) { out.events.push_back(std::move(e)); });
  ClusterGlue glue(sim, s, nodes, replication, migrator, [&](json e) { out.events.push_back(std::move(e)); });
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
  std::vector<NodeSample> samples(nodes.size());

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
      samples[i] = NodeSample{n.role(), n.store().used_memory(), n.store().keys(), n.ops(), n.store().evicted_keys(),
                              n.store().expired_keys()};
    }
    auto row = series.row(next.seconds(), t < warmup_end, secs, rec.interval(), samples);
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
  summary["writes_lost"] = glue.writes_lost();
  summary["failovers"] = glue.failovers_json();
  summary["cluster_bus"] = glue.bus_json(t.seconds());
  json reshards = json::array();
  for (const auto& r : migrator.reports())
    reshards.push_back({{"from", nodes[static_cast<size_t>(r.from)].name()},
                        {"to", nodes[static_cast<size_t>(r.to)].name()},
                        {"slots", r.slots},
                        {"keys_moved", r.keys_moved},
                        {"bytes_moved", r.bytes_moved},
                        {"commands", r.commands},
                        {"t_start_s", r.t_start_s},
                        {"t_end_s", r.t_end_s >= 0 ? json(r.t_end_s) : json()}});
  summary["resharding"] = reshards;
  summary["nodes"] = node_list;
  summary["slo"] = evaluate_slos(s.slo, summary);

  out.summary = std::move(summary);
  out.events_processed = sim.events_processed();
  out.requests_issued = driver.issued();
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return out;
}

}  // namespace cachelab
