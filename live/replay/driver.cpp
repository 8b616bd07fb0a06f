#include "live/replay/driver.hpp"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/metrics/hotspots.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/workload/generator.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/slot_map.hpp"
#include "live/lab/cluster_nodes.hpp"
#include "live/faults/fault_injector.hpp"
#include "live/faults/reshard.hpp"
#include "live/replay/failover_watch.hpp"
#include "live/lab/lab.hpp"
#include "live/lab/pid_registry.hpp"
#include "live/replay/key_cleanup.hpp"
#include "live/replay/key_prefix.hpp"
#include "live/replay/live_cache_backend.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/origin/origin.hpp"
#include "live/replay/report.hpp"
#include "live/replay/closed_sessions.hpp"

namespace cachelab::live {

using nlohmann::json;

namespace {

// The client logic's clock is the timers' clock: one epoch for latencies, origin timers and the request stream.
class WallClock final : public Clock {
 public:
  explicit WallClock(const WallScheduler& timers) : timers_(timers) {}
  Time now() const override { return timers_.now(); }

 private:
  const WallScheduler& timers_;
};

// The servers of one run, whether we spawned them or the user named them: endpoints in the simulator's node order.
struct Target {
  std::unique_ptr<Lab> lab;
  std::vector<Endpoint> endpoints;
  std::vector<std::string> names;      // results names (master-1 ...)
  std::vector<std::string> lab_names;  // the lab's names for faults ("standalone" for a standalone lab)
  std::vector<NodeTrack> tracks;
};

LabConfig lab_config(const Scenario& s) {
  LabConfig c;
  c.cluster = s.cluster.mode != "standalone";
  c.masters = c.cluster ? s.cluster.masters : 1;
  c.replicas_per_master = c.cluster ? s.cluster.replicas_per_master : 0;
  c.maxmemory_bytes = s.cluster.maxmemory_bytes;
  c.maxmemory_policy = s.cluster.maxmemory_policy;
  c.maxmemory_samples = s.cluster.maxmemory_samples;
  c.lfu_log_factor = s.cluster.lfu_log_factor;
  c.lfu_decay_time_min = s.cluster.lfu_decay_time_min;
  c.hz = s.cluster.hz;
  c.extra_config.push_back({"active-expire-effort", std::to_string(s.cluster.active_expire_effort)});
  // The failover knobs too: a live run must fail over with the timings the scenario (and the simulation) uses.
  if (c.cluster) {
    c.node_timeout_ms = static_cast<int>(s.cluster.node_timeout_ms);
    auto yes_no = [](bool b) { return std::string(b ? "yes" : "no"); };
    c.extra_config.push_back({"cluster-replica-validity-factor", std::to_string(s.cluster.replica_validity_factor)});
    c.extra_config.push_back({"cluster-migration-barrier", std::to_string(s.cluster.migration_barrier)});
    c.extra_config.push_back({"cluster-require-full-coverage", yes_no(s.cluster.require_full_coverage)});
    c.extra_config.push_back({"cluster-allow-replica-migration", yes_no(s.cluster.allow_replica_migration)});
    c.extra_config.push_back({"cluster-replica-no-failover", yes_no(s.cluster.replica_no_failover)});
  }
  return c;
}

// --redis: the user's password (CACHELAB_REDIS_PASSWORD). Empty with --spawn: connections to the lab find its
// own password by themselves (live/client/credentials.hpp).
std::string g_user_password;
std::string password() { return g_user_password; }

// A refused AUTH throws AuthError.
Reply command(const Endpoint& ep, const std::vector<std::string>& args) {
  ControlConnection c(ep, 1000, password());
  return c.command(args);
}

void spawn_target(const Scenario& s, Target& t) {
  t.lab = std::make_unique<Lab>(lab_config(s));
  t.lab->start();
  const bool cluster = s.cluster.mode != "standalone";
  if (!cluster) {
    t.lab_names = {t.lab->nodes().at(0).name};
  } else {
    for (int m = 1; m <= s.cluster.masters; ++m) t.lab_names.push_back("master-" + std::to_string(m));
    for (int m = 1; m <= s.cluster.masters; ++m)
      for (int r = 1; r <= s.cluster.replicas_per_master; ++r)
        t.lab_names.push_back("replica-" + std::to_string(m) + "-" + std::to_string(r));
  }
  for (const auto& n : t.lab_names) t.endpoints.push_back(t.lab->node(n).endpoint);
  t.names = cluster ? t.lab_names : std::vector<std::string>{"master-1"};
}

// The healthy replicas CLUSTER NODES lists (CLUSTER SLOTS may leave some out).
std::vector<Endpoint> replicas_from_cluster_nodes(const Endpoint& seed) {
  std::vector<Endpoint> out;
  const Reply r = command(seed, {"CLUSTER", "NODES"});
  if (r.is_error()) return out;
  for (const auto& line : parse_cluster_nodes(r.str())) {
    if (line.role != "replica" || line.flags.find("fail") != std::string::npos ||
        line.flags.find("handshake") != std::string::npos || line.flags.find("noaddr") != std::string::npos)
      continue;
    try {
      Endpoint ep = parse_endpoint(line.address);
      if (ep.host.empty()) ep.host = seed.host;
      out.push_back(ep);
    } catch (const std::invalid_argument&) {
    }
  }
  return out;
}

// The server lets us in: the password is accepted (or none is needed). Bad input otherwise (exit 2), before
// anything is written.
void check_access(const Endpoint& ep) {
  try {
    Reply r = command(ep, {"PING"});
    if (r.is_error() && r.str().starts_with("NOAUTH"))
      throw std::invalid_argument(ep.str() + " requires a password (" + std::string(r.str()) +
                                  "): set CACHELAB_REDIS_PASSWORD");
    if (r.is_error()) throw std::invalid_argument(ep.str() + " answered PING with " + r.describe());
  } catch (const AuthError& e) {
    throw std::invalid_argument(std::string(e.what()) + " (check CACHELAB_REDIS_PASSWORD)");
  }
}

void connect_target(const Scenario& s, const LiveOptions& o, Target& t) {
  const auto seeds = parse_endpoint_list(o.redis);
  check_access(seeds.at(0));
  if (s.cluster.mode == "standalone") {
    t.endpoints = {seeds.at(0)};
    t.names = {"master-1"};
  } else {
    Reply r = command(seeds.at(0), {"CLUSTER", "SLOTS"});
    SlotMap map;
    if (!map.load_cluster_slots(r, seeds.at(0)))
      throw std::invalid_argument(seeds.at(0).str() + " does not answer CLUSTER SLOTS: " + r.describe());
    t.endpoints = map.known_nodes();
    // CLUSTER SLOTS leaves out replicas whose replication offset is still 0 (a cluster that has had no writes
    // yet): take them from CLUSTER NODES, or a failover would promote a node the client has never heard of.
    std::vector<Endpoint> all_replicas = replicas_from_cluster_nodes(seeds.at(0));
    all_replicas.insert(all_replicas.end(), map.replicas().begin(), map.replicas().end());
    for (const auto& ep : all_replicas)
      if (std::find(t.endpoints.begin(), t.endpoints.end(), ep) == t.endpoints.end()) t.endpoints.push_back(ep);
    int masters = 0, replicas = 0;
    for (const auto& ep : t.endpoints) {
      bool is_replica = false;
      for (const auto& rep : all_replicas) is_replica |= rep == ep;
      t.names.push_back(is_replica ? "replica-" + std::to_string(++replicas) : "master-" + std::to_string(++masters));
    }
  }
  for (const auto& ep : t.endpoints) check_access(ep);
  // Never write into a database that holds data we did not put there, unless told. Fails closed: a DBSIZE that
  // does not answer a count (an ACL user without +dbsize) refuses the target too.
  if (!o.allow_non_empty)
    for (const auto& ep : t.endpoints) {
      Reply r = command(ep, {"DBSIZE"});
      if (r.type() != Reply::Type::Integer)
        throw std::invalid_argument("cannot count the keys on " + ep.str() + " (DBSIZE answered " + r.describe() +
                                    "): refusing a target that may hold data (pass --allow-non-empty to use it "
                                    "anyway; cachelab only writes keys under its prefix and never flushes)");
      if (r.integer() > 0)
        throw std::invalid_argument(ep.str() + " holds " + std::to_string(r.integer()) +
                                    " keys: refusing a non-empty target (pass --allow-non-empty to use it anyway; "
                                    "cachelab only writes keys under its prefix and never flushes)");
    }
}

std::vector<uint16_t> initial_owners(const Target& t, bool cluster) {
  std::vector<uint16_t> owners(16384, 0);
  if (!cluster) return owners;
  Reply r = command(t.endpoints.at(0), {"CLUSTER", "SLOTS"});
  SlotMap map;
  if (!map.load_cluster_slots(r, t.endpoints.at(0))) throw std::runtime_error("CLUSTER SLOTS: " + r.describe());
  for (int s = 0; s < 16384; ++s)
    if (auto ep = map.owner(s))
      for (size_t i = 0; i < t.endpoints.size(); ++i)
        if (t.endpoints[i] == *ep) owners[static_cast<size_t>(s)] = static_cast<uint16_t>(i);
  return owners;
}

json host_facts(const Target& t) {
  json nodes = json::array();
  for (size_t i = 0; i < t.endpoints.size(); ++i) {
    json n = {{"name", t.names[i]}, {"address", t.endpoints[i].str()}};
    try {
      NodeSnapshot snap = parse_node_snapshot(command(t.endpoints[i], {"INFO"}).str());
      n["redis_version"] = snap.redis_version;
      json cfg = json::object();
      for (const char* k : {"maxmemory", "maxmemory-policy", "maxmemory-samples", "lfu-log-factor", "lfu-decay-time",
                            "hz", "active-expire-effort", "cluster-enabled", "cluster-node-timeout", "appendonly",
                            "save", "io-threads"}) {
        Reply r = command(t.endpoints[i], {"CONFIG", "GET", k});
        if (r.type() == Reply::Type::Array && r.size() == 2) cfg[k] = std::string(r.element(1).str());
      }
      n["config"] = cfg;
    } catch (const std::exception& e) {
      n["error"] = e.what();
    }
    nodes.push_back(n);
  }
  return nodes;
}

// INFO of every node at an interval's end; a node we killed is "down", a paused one keeps its last figures
// (asking it would block the loop for the INFO timeout).
void snapshot_nodes(Target& t) {
  for (size_t i = 0; i < t.tracks.size(); ++i) {
    NodeTrack& n = t.tracks[i];
    if (t.lab) {
      const LabNode& ln = t.lab->node(t.lab_names[i]);
      if (ln.pid < 0) {
        n.role = "down";
        continue;
      }
      if (ln.paused) continue;
    }
    try {
      ControlConnection c(t.endpoints[i], 200, password());
      n.update(parse_node_snapshot(c.command({"INFO"}).str()));
    } catch (const std::exception&) {
      n.role = "down";
    }
  }
}

// After a run on the user's servers: its keys go (unless --keep-keys), and the user is told how many. False
// when the clean-up failed (the message says what is left).
bool delete_run_keys(const LiveOptions& o, const Target& t, const std::string& prefix) {
  if (o.keep_keys) {
    std::cerr << "cachelab live: --keep-keys: the run's keys stay under the prefix '" << prefix << "'\n";
    return true;
  }
  try {
    const uint64_t n = delete_keys_with_prefix(t.endpoints, prefix, password());
    std::cerr << "cachelab live: deleted " << n << " key(s) under the prefix '" << prefix << "'\n";
    return true;
  } catch (const std::exception& e) {
    std::cerr << "cachelab live: could not delete the run's keys under the prefix '" << prefix << "': " << e.what()
              << "\n";
    return false;
  }
}

}  // namespace

std::string live_refusal(const json& scenario, bool spawn) {
  // Client-side sharding (ketama, modulo) is simulator-only for now: the live client routes by slot map only.
  if (scenario.contains("cluster") && scenario.at("cluster").value("sharding", "redis-cluster") != "redis-cluster")
    return "cluster.sharding " + scenario.at("cluster").at("sharding").dump() +
           ": client-side sharding is not supported in live mode yet; run it in the simulator";
  // A zones topology is latency per link and a place for every node and client: loopback has neither, and ignoring
  // it would compare a zoned simulation with a flat live run. (Layout "flat" is the default model: nothing to refuse.)
  if (scenario.contains("network") && scenario.at("network").is_object() &&
      scenario.at("network").contains("topology")) {
    const auto& t = scenario.at("network").at("topology");
    if (t.is_object() && t.value("layout", "") == "zones")
      return "network.topology (layout \"zones\"): real servers on loopback cannot emulate per-link latencies, "
             "zones or client placement; run it in the simulator, or drop /network/topology";
  }
  if (!scenario.contains("faults")) return "";
  for (const auto& f : scenario.at("faults")) {
    const std::string action = f.value("action", "");
    // Our own process: dropping an instance's write-behind buffer and L1 needs no server, so --redis is fine too.
    if (action == "client_crash") continue;
    try {
      FaultInjector::check_supported(action);
    } catch (const FaultRefused& e) {
      return e.what();
    }
    if (!spawn) return "fault '" + action + "': faults act on processes cachelab spawned; use --spawn, not --redis";
  }
  return "";
}

int run_live(const LiveOptions& o) {
  // Refuse what live mode cannot do before anything else, even when the scenario names an action this build's
  // simulator does not know yet (a partition stays a partition).
  try {
    std::ifstream in(o.file);
    if (in) {
      const json raw = json::parse(in, nullptr, true, true);
      if (raw.is_object() && raw.contains("faults") && raw["faults"].is_array())
        for (const auto& f : raw["faults"])
          if (f.is_object() && f.contains("action") && f["action"].is_string()) {
            const std::string a = f["action"];
            if (a == "partition" || a == "heal") {
              std::cerr << "cachelab live: " << o.file << ": refused: " << live_refusal({{"faults", {f}}}, true)
                        << "\n";
              return 2;
            }
          }
    }
  } catch (const std::exception&) {
    // Malformed JSON: the loader below reports it properly.
  }
  std::vector<std::string> sets = o.sets;
  if (o.seed) sets.push_back("/seed=" + std::to_string(*o.seed));
  Scenario s;
  try {
    s = load_scenario_file(o.file, sets);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (std::string why = live_refusal(s.resolved, o.spawn); !why.empty()) {
    std::cerr << "cachelab live: " << o.file << ": refused: " << why << "\n";
    return 2;
  }
  if (o.closed_loop && s.workload.closed_loop) {
    std::cerr << "cachelab live: " << o.file << ": --closed-loop: the scenario is closed-loop already "
                 "(/workload/arrival/dist \"closed\": sessions with think time); drop the flag\n";
    return 2;
  }
  if (o.spawn == !o.redis.empty()) {
    std::cerr << "cachelab live: give exactly one of --spawn or --redis HOST:PORT[,...]\n";
    return 2;
  }
  if (std::string why = key_prefix_problem(o.prefix); !o.spawn && !why.empty()) {
    std::cerr << "cachelab live: --prefix: " << why << "\n";
    return 2;
  }
  const char* user_password = std::getenv("CACHELAB_REDIS_PASSWORD");
  g_user_password = !o.spawn && user_password ? user_password : "";
  const bool cluster = s.cluster.mode != "standalone";
  const std::string started = utc_now_iso();
  const std::string run_prefix = o.spawn ? "" : o.prefix.empty() ? "cachelab:" + started + ":" : o.prefix;
  const auto wall_start = std::chrono::steady_clock::now();
  install_teardown_signal_handlers();  // Ctrl-C: every spawned server is SIGKILLed, nothing is left running

  Target t;
  try {
    if (o.spawn) {
      std::cerr << "cachelab live: starting " << lab_config(s).node_count() << " redis-server process(es)...\n";
      spawn_target(s, t);
    } else {
      connect_target(s, o, t);
      // Everything under the prefix must be this run's, so the clean-up afterwards can only take our keys.
      if (any_key_with_prefix(t.endpoints, run_prefix, password()))
        throw std::invalid_argument("the target already holds keys under the prefix '" + run_prefix +
                                    "': choose another --prefix (cachelab deletes its keys after the run)");
      // Said up front: a run ended by a signal cannot clean up, and the user then knows what to delete.
      std::cerr << "cachelab live: keys go under the prefix '" << run_prefix << "'\n";
    }
  } catch (const std::invalid_argument& e) {
    std::cerr << "cachelab live: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    std::cerr << "cachelab live: " << e.what() << "\n";
    return o.spawn ? 1 : 2;
  }

  try {
    for (size_t i = 0; i < t.endpoints.size(); ++i) t.tracks.push_back(NodeTrack{t.names[i]});
    const std::vector<uint16_t> owners = initial_owners(t, cluster);
    // Each node's slots and ranges from a slot owner table (at the start, and again at the end after faults).
    auto set_slots = [&](const std::vector<uint16_t>& owners) {
    for (size_t i = 0; i < t.tracks.size(); ++i) {
      json ranges = json::array();
      int first = -1, count = 0;
      for (int slot = 0; slot <= 16384; ++slot) {
        const bool mine = slot < 16384 && (cluster ? owners[static_cast<size_t>(slot)] == i : i == 0);
        count += mine;
        if (mine && first < 0) first = slot;
        if (!mine && first >= 0) {
          ranges.push_back(json::array({first, slot - 1}));
          first = -1;
        }
      }
      t.tracks[i].slots = count;
      t.tracks[i].slot_ranges = ranges;
    }
    };
    set_slots(owners);
    const json host_nodes = host_facts(t);
    snapshot_nodes(t);
    for (auto& n : t.tracks) n.iv_ops = n.iv_evicted = n.iv_expired = 0;

    WorkloadGenerator gen(s);
    WallScheduler timers;
    WallClock clock(timers);
    const Time end = Time::from_seconds(s.duration_s);
    const Time warmup_end = Time::from_seconds(s.warmup_s);
    const Time interval = Time::ms(s.metrics_interval_ms);
    Recorder rec(warmup_end);
    LiveCacheOptions copt;
    copt.nodes = t.endpoints;
    copt.timeout = Time::from_seconds(s.clients.timeout_ms / 1000.0);
    copt.pool_size = static_cast<int>(s.clients.pool_size);
    copt.instances = s.clients.instances;
    if (!o.spawn) {
      copt.run_prefix = run_prefix;
      copt.password = password();
    }
    LiveCacheBackend cache(copt, gen.namer(), clock);
    cache.set_known_owners(owners);
    // The simulator's own origin model, on wall-clock timers, with the same random stream as in a simulated run.
    Origin origin(timers, s.origin, &rec, Rng::stream(s.seed, "origin"));
    SlotRouter router(gen.namer(), owners, !cluster, s.workload.keys, s.clients.instances);
    // Hot slots and keys from the issued requests, as the simulator counts them (the same class, the same stream).
    HotSpots hot(router.memo(), gen.namer(), warmup_end);
    // The same client logic as the simulator's, with its timers (lock polls, write-behind flushes) on wall-clock time.
    ClientLogic client(cache, origin, rec, clock, std::move(router), ClientOptions::from(s.clients), &timers,
                       Rng::stream(s.seed, "clients"));
    cache.attach(&client);
    origin.on_reply([&client](uint32_t tag, OriginOutcome outcome) { client.on_origin_reply(tag, outcome); });
    // Cache warming (clients.warm), the same key list and stream as the simulator's, from the run's start.
    if (s.clients.warm_top_keys > 0) {
      Rng warm_rng = Rng::stream(s.seed, "clients/warm");
      client.warm(gen.warm_requests(static_cast<uint64_t>(s.clients.warm_top_keys), warm_rng));
    }
    // A closed-loop scenario (arrival.dist "closed"): sessions with think time, as the simulator's Driver runs them.
    // The Recorder's done hook only notes which session finished when; the loop below draws its next request.
    ClosedSessions sessions;
    if (gen.closed_loop()) sessions.attach(gen, rec);

    std::unique_ptr<FaultInjector> faults;
    if (t.lab) faults = std::make_unique<FaultInjector>(*t.lab);
    struct Pending { Time at; json item; };
    std::vector<Pending> plan;
    for (const auto& item : s.resolved.at("faults")) plan.push_back({Time::from_seconds(item.at("at_s").get<double>()), item});
    std::stable_sort(plan.begin(), plan.end(), [](const Pending& a, const Pending& b) { return a.at < b.at; });
    size_t next_fault = 0;
    // Reshards run beside the workload on their own connections, as redis-cli would (summary `resharding` entries).
    std::vector<std::future<json>> reshards;
    // Failover times from the servers (CLUSTER NODES / CLUSTER INFO every 50 ms), on the run's clock.
    std::unique_ptr<FailoverWatch> watch;
    if (t.lab && cluster) {
      std::vector<FailoverWatch::NodeInfo> infos;
      for (size_t i = 0; i < t.names.size(); ++i) {
        const LabNode& ln = t.lab->node(t.lab_names[i]);
        infos.push_back({t.names[i], ln.endpoint, ln.node_id, ln.role == "master" ? "" : ln.master_id});
      }
      watch = std::make_unique<FailoverWatch>(std::move(infos), [&timers] { return timers.now().seconds(); });
      watch->start();
    }

    RunOutput out;
    SeriesWriter series(node_names(t.tracks));
    out.series.columns = series.columns();
    for (const char* c : {"hot_slot", "hot_slot_ops_per_s", "hot_slot_share"}) out.series.columns.push_back(c);
    // The simulator's cluster-bus columns; empty here: live mode does not capture the real bus's traffic.
    for (const char* c : {"bus_messages_per_s", "bus_bytes_per_s"}) out.series.columns.push_back(c);
    auto event = [&](double t_s, const char* type) { out.events.push_back({{"t_s", t_s}, {"type", type}}); };
    event(0, "run_start");
    std::cerr << "cachelab live: running " << s.duration_s << " s on " << t.endpoints.size() << " node(s)\n";
    bool warmup_logged = warmup_end == Time::ns(0);

    Request next;
    bool have = !gen.closed_loop() && gen.next(next, end);
    uint64_t issued = 0;
    Time row_start = Time::ns(0), row_end = std::min(end, interval);
    // Closed loop (bench): the due time is when the previous request finished, so latency is service time.
    const Time drain_limit = end + Time::from_seconds((s.clients.timeout_ms + s.origin.timeout_ms) / 1000.0 + 2.0);
    for (;;) {
      Time now = clock.now();
      if (o.closed_loop) {
        while (have && client.in_flight() < static_cast<size_t>(o.concurrency) && now < end) {
          next.due = now;
          rec.request_due(next.due);
          hot.record(next);
          client.start(next);
          ++issued;
          have = gen.next(next, Time::max());
        }
      } else if (gen.closed_loop()) {
        sessions.draw(gen, now, end);
        while (sessions.due(now, next)) {
          rec.request_due(next.due);
          hot.record(next);
          client.start(next);
          ++issued;
        }
      } else {
        // Open loop: everything due by now goes out now, late or not; its latency counts from `due`.
        while (have && next.due <= now) {
          rec.request_due(next.due);
          hot.record(next);
          client.start(next);
          ++issued;
          have = gen.next(next, end);
        }
      }
      while (next_fault < plan.size() && plan[next_fault].at <= now) {
        json e = plan[next_fault].item;
        e["t_s"] = e["at_s"];
        e.erase("at_s");
        e["type"] = "fault";
        out.events.push_back(e);
        const std::string action = plan[next_fault].item.at("action");
        const std::string node = plan[next_fault].item.value("node", "");
        // The lab's own name of that node (the same except for a standalone lab).
        std::string lab_name = node;
        for (size_t i = 0; i < t.names.size(); ++i)
          if (t.names[i] == node) lab_name = t.lab_names[i];
        if (action == "reshard") {
          const auto& item = plan[next_fault].item;
          ReshardPlan rp = plan_reshard(*t.lab, item.at("from").get<std::string>(), item.at("to").get<std::string>(),
                                        item.at("count").get<int>());
          const double t0 = now.seconds();
          out.events.push_back({{"t_s", t0}, {"type", "reshard_start"}, {"from", rp.from}, {"to", rp.to},
                                {"slots", rp.slots.size()}});
          reshards.push_back(std::async(std::launch::async, [rp = std::move(rp), t0, &timers] {
            const ReshardReport r = run_reshard(rp);
            const double t1 = timers.now().seconds();
            return json{{"from", rp.from}, {"to", rp.to}, {"slots", r.slots}, {"keys_moved", r.keys_moved},
                        {"commands", r.commands}, {"t_start_s", t0}, {"t_end_s", t1}, {"duration_s", t1 - t0}};
          }));
          ++next_fault;
          continue;
        }
        // The watcher stops polling a node before it goes away (a paused node would stall its poll).
        if (watch && (action == "kill" || action == "pause")) watch->node_going_away(node, action, now.seconds());
        if (action == "client_crash") {  // our own process: the instance's buffered writes and L1 are gone
          const int instance = plan[next_fault].item.value("instance", 0);
          const uint64_t lost = client.crash_instance(static_cast<uint16_t>(instance));
          out.events.push_back({{"t_s", now.seconds()}, {"type", "client_crash"}, {"instance", instance},
                                {"writes_lost", lost}});
          ++next_fault;
          continue;
        }
        faults->apply(action, lab_name);
        if (watch && (action == "restart" || action == "resume")) watch->node_back(node);
        ++next_fault;
      }
      if (row_start < end && now >= row_end) {
        if (!warmup_logged && row_end >= warmup_end) {
          event(s.warmup_s, "warmup_end");
          warmup_logged = true;
        }
        snapshot_nodes(t);
        const double secs = (row_end - row_start).seconds();
        auto row = series.row(row_end.seconds(), row_start < warmup_end, secs, rec.interval(), node_samples(t.tracks));
        const HotSpots::IntervalTop top = hot.close_interval();
        row.push_back(top.slot >= 0 ? std::to_string(top.slot) : "");
        row.push_back(format_fixed(static_cast<double>(top.ops) / secs, 3));
        row.push_back(top.total ? format_fixed(static_cast<double>(top.ops) / static_cast<double>(top.total), 6) : "");
        row.push_back("");  // bus_messages_per_s, bus_bytes_per_s: not measured live
        row.push_back("");
        out.series.rows.push_back(std::move(row));
        for (auto& n : t.tracks) {
          n.ops += n.iv_ops;
          n.evicted += n.iv_evicted;
          n.expired += n.iv_expired;
          n.iv_ops = n.iv_evicted = n.iv_expired = 0;
        }
        rec.reset_interval();
        row_start = row_end;
        row_end = std::min(end, row_end + interval);
        continue;
      }
      const bool issuing_done = o.closed_loop || gen.closed_loop() ? now >= end : !have;
      if (row_start >= end && issuing_done) {
        // Drain: requests still in flight finish (or time out), so every issued request is accounted for.
        if (client.in_flight() == 0 || now >= drain_limit) break;
      }
      Time wake = std::min({row_start < end ? row_end : drain_limit, timers.next_time(),
                            next_fault < plan.size() ? plan[next_fault].at : Time::max(),
                            (!o.closed_loop && have) ? next.due : Time::max(), sessions.next_due()});
      if (o.closed_loop) wake = std::min(wake, now + Time::ms(1));
      cache.pump(wake > now ? wake - now : Time::ns(0));
      if (!cache.fatal().empty()) throw std::runtime_error("run stopped, no results written: " + cache.fatal());
      timers.run_due();
    }
    event(end.seconds(), "run_end");
    json resharding = json::array();
    for (auto& f : reshards) {  // a reshard still running at the end is waited for; its failure fails the run
      json r = f.get();
      out.events.push_back({{"t_s", r["t_end_s"]}, {"type", "reshard_end"}, {"from", r["from"]}, {"to", r["to"]},
                            {"keys_moved", r["keys_moved"]}});
      resharding.push_back(std::move(r));
    }
    if (watch) {
      watch->stop();
      for (auto& e : watch->take_events()) out.events.push_back(std::move(e));
    }
    std::stable_sort(out.events.begin(), out.events.end(),
                     [](const json& a, const json& b) { return a.at("t_s").get<double>() < b.at("t_s").get<double>(); });

    if (cluster && !reshards.empty()) {
      try {
        set_slots(initial_owners(t, cluster));  // the slot ranges the reshards left
      } catch (const std::exception&) {
        // A node we killed may be the one asked: the start's ranges stay.
      }
    }
    const double measured_s = (end - std::min(end, warmup_end)).seconds();
    out.summary = make_summary(s, rec, measured_s, end.seconds(), t.tracks);
    out.summary["in_flight_at_end"] = client.in_flight();
    if (watch) out.summary["failovers"] = watch->failovers_json();
    out.summary["resharding"] = resharding;
    out.summary["clients"] = client.stats().to_json(client.options());
    out.summary["hot_slots"] = hot.hot_slots_json(10);
    out.summary["hot_keys"] = hot.hot_keys_json(10);
    out.summary["hot_keys_counters"] = HotSpots::kKeyCounters;
    out.summary["hot_keys_sample_every"] = HotSpots::kKeySampleEvery;
    out.requests_issued = issued;
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    json run = make_run_json(s, out, "live", started);
    run.erase("sim");
    run["live"] = {{"target", o.spawn ? "spawn" : "redis"},
                   {"requests_issued", issued},
                   {"closed_loop", o.closed_loop},
                   {"key_prefix", copt.run_prefix},
                   {"not_applied", {"/network/rtt_us", "/cluster/service_us"}}};  // the real ones are measured
    run["host"]["redis_nodes"] = host_nodes;
    if (t.lab) {
      std::cerr << "cachelab live: run done, stopping the lab\n";
      t.lab->teardown();
    }

    const std::filesystem::path dir = o.out.empty() ? default_run_dir(o.results_root, s.name, "live") : std::filesystem::path(o.out);
    write_run_dir(dir, run, out.summary, out.series, out.events);
    if (o.json) std::cout << format_json(out.summary);
    else
      std::cout << "live run: " << dir.string() << "\n  requests " << out.summary["requests"] << ", hit ratio "
                << out.summary["hit_ratio"] << ", p99 " << out.summary["latency_us"]["p99"] << " us, throughput "
                << out.summary["throughput_per_s"] << "/s\n";
    // The results stand either way; keys left on the user's servers make the exit non-zero.
    if (!o.spawn && !delete_run_keys(o, t, run_prefix)) return 1;
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "cachelab live: " << e.what() << "\n";
    if (t.lab) t.lab->teardown();
    if (!o.spawn) delete_run_keys(o, t, run_prefix);
    return 1;
  }
}

}  // namespace cachelab::live
