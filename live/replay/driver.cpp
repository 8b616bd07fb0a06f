#include "live/replay/driver.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <future>
#include <iostream>
#include <memory>

#include "cachelab/results/slot_ranges.hpp"
#include "cachelab/results/summary_text.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/session.hpp"
#include "cachelab/scenario/loader.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/slot_map.hpp"
#include "live/faults/live_fault_target.hpp"
#include "live/lab/cluster_nodes.hpp"
#include "live/lab/lab.hpp"
#include "live/lab/pid_registry.hpp"
#include "live/replay/key_cleanup.hpp"
#include "live/replay/key_prefix.hpp"
#include "live/replay/live_cache_backend.hpp"
#include "live/replay/live_world.hpp"
#include "live/replay/report.hpp"

namespace cachelab::live {

using nlohmann::json;

LabConfig spawn_lab_config(const Scenario& s) {
  LabConfig c;
  c.cluster = s.cluster.mode != "standalone";
  c.masters = c.cluster ? s.cluster.masters : 1;
  c.replicas_per_master = c.cluster ? s.cluster.replicas_per_master : 0;
  // The nodes' settings as the simulation takes them (typed once by Scenario::from_resolved).
  c.store = s.cluster.store;
  c.control = s.cluster.control;
  return c;
}

namespace {

// The servers of one run, whether we spawned them or the user named them: endpoints in the simulator's node order.
struct Target {
  std::unique_ptr<Lab> lab;
  std::vector<Endpoint> endpoints;
  std::vector<std::string> names;      // results names (master-1 ...)
  std::vector<std::string> lab_names;  // the lab's names for faults ("standalone" for a standalone lab)
  std::vector<NodeTrack> tracks;
  // One connection per node for the interval snapshots (INFO), kept for the run: a fresh one per snapshot held a new
  // client's ~38 KB on every node for its moment, and SETs landing then evicted that much under maxmemory
  // (docs/redis-reference.md §7.8). The simulator counts it as a client of the node (scenario/loader.cpp).
  std::vector<std::unique_ptr<ControlConnection>> monitors;
};

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
  t.lab = std::make_unique<Lab>(spawn_lab_config(s));
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
    } catch (const std::invalid_argument&) {}
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
      for (const char* k :
           {"maxmemory", "maxmemory-policy", "maxmemory-samples", "lfu-log-factor", "lfu-decay-time", "hz",
            "active-expire-effort", "cluster-enabled", "cluster-node-timeout", "appendonly", "save", "io-threads"}) {
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
  t.monitors.resize(t.tracks.size());
  for (size_t i = 0; i < t.tracks.size(); ++i) {
    NodeTrack& n = t.tracks[i];
    if (t.lab) {
      const LabNode& ln = t.lab->node(t.lab_names[i]);
      if (ln.pid < 0) {
        n.role = "down";
        t.monitors[i].reset();
        continue;
      }
      if (ln.paused) continue;
    }
    // Twice at most: the kept connection, and a fresh one when that failed (the node was restarted since).
    for (int attempt = 0; attempt < 2; ++attempt) {
      try {
        if (!t.monitors[i]) t.monitors[i] = std::make_unique<ControlConnection>(t.endpoints[i], 200, password());
        n.update(parse_node_snapshot(t.monitors[i]->command({"INFO"}).str()));
        break;
      } catch (const std::exception&) {
        t.monitors[i].reset();
        n.role = "down";
      }
    }
  }
}

// After a run on the user's servers: its keys go (unless --keep-keys), and the user is told how many. False
// when the clean-up failed (the message says what is left).
bool delete_run_keys(const LiveOptions& o, const Target& t, const std::string& prefix) {
  if (o.keep_keys) {
    if (!o.quiet) std::cerr << "cachelab live: --keep-keys: the run's keys stay under the prefix '" << prefix << "'\n";
    return true;
  }
  try {
    const uint64_t n = delete_keys_with_prefix(t.endpoints, prefix, password());
    if (!o.quiet) std::cerr << "cachelab live: deleted " << n << " key(s) under the prefix '" << prefix << "'\n";
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
  // Seeds are node names of the spawned lab (master-1, replica-1-1, ...); --redis nodes are named by discovery order.
  if (!spawn && scenario.contains("clients") && scenario.at("clients").is_object() &&
      scenario.at("clients").contains("seeds") && !scenario.at("clients").at("seeds").is_null())
    return "clients.seeds names the nodes of a spawned lab (--spawn); with --redis drop /clients/seeds";
  if (!scenario.contains("faults")) return "";
  for (const auto& f : scenario.at("faults"))
    if (std::string why = LiveFaultTarget::refusal(f.value("action", ""), spawn); !why.empty()) return why;
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
    s.calibration = o.calibration;
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  if (std::string why = live_refusal(s.resolved, o.spawn); !why.empty()) {
    std::cerr << "cachelab live: " << o.file << ": refused: " << why << "\n";
    return 2;
  }
  bool closed_stream = s.workload.closed_loop;
  for (const auto& st : s.streams) closed_stream = closed_stream || st.closed_loop;
  if (o.closed_loop && closed_stream) {
    std::cerr << "cachelab live: " << o.file
              << ": --closed-loop: the scenario is closed-loop already "
                 "(/workload/arrival/dist or a stream's arrival/dist \"closed\": sessions with think time); drop "
                 "the flag\n";
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
      if (!o.quiet)
        std::cerr << "cachelab live: starting " << spawn_lab_config(s).node_count() << " redis-server process(es)...\n";
      spawn_target(s, t);
    } else {
      connect_target(s, o, t);
      // Everything under the prefix must be this run's, so the clean-up afterwards can only take our keys.
      if (any_key_with_prefix(t.endpoints, run_prefix, password()))
        throw std::invalid_argument("the target already holds keys under the prefix '" + run_prefix +
                                    "': choose another --prefix (cachelab deletes its keys after the run)");
      // Said up front: a run ended by a signal cannot clean up, and the user then knows what to delete.
      if (!o.quiet) std::cerr << "cachelab live: keys go under the prefix '" << run_prefix << "'\n";
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
    // Each node's slots and ranges from a slot owner table (at the start, and again at the end after reshards).
    auto set_slots = [&](const std::vector<uint16_t>& owners) {
      for (size_t i = 0; i < t.tracks.size(); ++i) {
        t.tracks[i].slot_ranges = results::slot_ranges_of(
            [&](int slot) { return cluster ? owners[static_cast<size_t>(slot)] == i : i == 0; });
        t.tracks[i].slots = 0;
        for (const auto& [first, last] : t.tracks[i].slot_ranges) t.tracks[i].slots += last - first + 1;
      }
    };
    set_slots(owners);
    const json host_nodes = host_facts(t);
    snapshot_nodes(t);
    for (auto& n : t.tracks) n.iv_ops = n.iv_evicted = n.iv_expired = 0;

    // The simulator's run session (request stream, client logic, origin model, recorder, fault timeline, results)
    // in a world of real servers and wall-clock timers.
    RunSession session(s, FeedOptions{o.closed_loop ? o.concurrency : 0});
    session.trace_requests(o.trace);
    LiveCacheOptions copt;
    copt.nodes = t.endpoints;
    copt.clients = s.clients;
    copt.hash = s.workload.hash_objects;
    if (!o.spawn) {
      copt.run_prefix = run_prefix;
      copt.password = password();
    }
    LiveTarget target{t.lab.get(),
                      t.names,
                      t.lab_names,
                      &t.tracks,
                      owners,
                      [&t] { snapshot_nodes(t); },
                      [&] {
                        try {
                          if (cluster) set_slots(initial_owners(t, cluster));
                        } catch (const std::exception&) {
                          // A node we killed may be the one asked: the start's ranges stay.
                        }
                      }};
    LiveWorld world(s, copt, session, std::move(target));
    if (!o.quiet)
      std::cerr << "cachelab live: running " << s.duration_s << " s on " << t.endpoints.size() << " node(s)\n";
    RunOutput out = session.run(world);
    out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
    json run = make_run_json(s, out, "live", started);
    run.erase("sim");
    run["live"] = {{"target", o.spawn ? "spawn" : "redis"},
                   {"requests_issued", out.requests_issued},
                   {"closed_loop", o.closed_loop},
                   {"key_prefix", copt.run_prefix},
                   {"not_applied", {"/network/rtt_us", "/cluster/service_us"}}};  // the real ones are measured
    const double driver_cpu_s = world.driver_cpu_s();
    run["live"]["driver_cpu_s"] =
        std::isfinite(driver_cpu_s) ? json(std::round(driver_cpu_s * 1e6) / 1e6) : json(nullptr);  // to the µs
    // A load generator near a whole core sets the pace itself: the throughput measured is then the driver's.
    if (!o.quiet && std::isfinite(driver_cpu_s) && world.driver_wall_s() > 0) {
      char line[160];
      std::snprintf(line, sizeof line,
                    "cachelab live: the driver used %.2f s of CPU in %.2f s (%.0f%% of one core)%s\n", driver_cpu_s,
                    world.driver_wall_s(), 100 * driver_cpu_s / world.driver_wall_s(),
                    driver_cpu_s > 0.9 * world.driver_wall_s() ? ": the driver, not Redis, may have set the pace" : "");
      std::cerr << line;
    }
    run["host"]["redis_nodes"] = host_nodes;
    if (t.lab) {
      if (!o.quiet) std::cerr << "cachelab live: run done, stopping the lab\n";
      t.monitors.clear();
      t.lab->teardown();
    }

    const std::filesystem::path dir =
        o.out.empty() ? default_run_dir(o.results_root, s.name, "live") : std::filesystem::path(o.out);
    write_run_dir(dir, run, out.summary, out.series, out.events, out.traced ? &out.requests : nullptr);
    if (o.json)
      std::cout << format_json(out.summary);
    else if (!o.quiet)
      std::cout << "live run: " << dir.string() << "\n"
                << results::summary_text(out.summary, {s.name, s.title, s.warmup_s, s.duration_s, ""});
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
