#include "cachelab/scenario/loader.hpp"

#include <algorithm>
#include <sstream>
#include <stdexcept>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/net/node_names.hpp"
#include "json_scan.hpp"
#include "workload_knobs.hpp"

namespace cachelab {

using nlohmann::json;

namespace {

// Issues kept (and printed) per error; the rest are counted ("... and 12 more problems").
constexpr size_t kMaxIssuesKept = 100;
// Characters of one pointer or "found" text in a message.
constexpr size_t kMaxFieldChars = 300;

std::string format_issues(const std::string& file, const std::vector<schema::Issue>& issues, size_t total) {
  std::ostringstream os;
  for (size_t i = 0; i < issues.size(); ++i) {
    const auto& is = issues[i];
    os << (i ? "\n" : "") << file << ": " << (is.pointer.empty() ? "(document)" : is.pointer) << ": expected "
       << is.expected << ", found " << is.found;
  }
  if (total > issues.size()) os << "\n" << file << ": ... and " << total - issues.size() << " more problems";
  return os.str();
}

// Text from the file or the command line may hold NUL, escape sequences or invalid UTF-8: messages show it escaped,
// and bounded.
std::pair<size_t, std::vector<schema::Issue>> printable_issues(std::vector<schema::Issue> issues) {
  const size_t total = issues.size();
  if (issues.size() > kMaxIssuesKept) issues.resize(kMaxIssuesKept);
  for (auto& is : issues) {
    is.pointer = io::printable(is.pointer, kMaxFieldChars);
    is.expected = io::printable(is.expected, kMaxFieldChars * 4);
    is.found = io::printable(is.found, kMaxFieldChars);
  }
  return {total, std::move(issues)};
}

}  // namespace

ScenarioError::ScenarioError(std::string file, std::vector<schema::Issue> issues)
    : ScenarioError(io::printable(file, kMaxFieldChars), printable_issues(std::move(issues))) {}

ScenarioError::ScenarioError(std::string file, std::pair<size_t, std::vector<schema::Issue>> prepared)
    : std::runtime_error(format_issues(file, prepared.second, prepared.first)),
      file_(std::move(file)),
      issues_(std::move(prepared.second)),
      total_(prepared.first) {}

// Walks the pointer through the existing document: an array index past the end would make nlohmann resize the array
// to it (--set /faults/100000000={} would allocate a hundred million nulls), so only an existing index or "-" (append)
// is accepted; missing objects are created as before.
static void check_override_target(const json& doc, const std::string& file, const std::string& ptr,
                                  const json::json_pointer& jp) {
  std::vector<std::string> tokens;
  for (json::json_pointer p = jp; !p.empty(); p.pop_back()) tokens.insert(tokens.begin(), p.back());
  if (tokens.size() > scan::kMaxDepth)
    throw ScenarioError(file,
                        {{ptr, "a JSON Pointer of at most " + std::to_string(scan::kMaxDepth) + " levels (for --set)",
                          std::to_string(tokens.size()) + " levels"}});
  const json* cur = &doc;
  for (size_t i = 0; i < tokens.size(); ++i) {
    const std::string& t = tokens[i];
    if (!cur) {
      // Below a missing key nlohmann creates the containers, an array for a numeric token, sized to it.
      if (!t.empty() && t != "0" && t.find_first_not_of("0123456789") == std::string::npos)
        throw ScenarioError(file, {{ptr, "an index of an existing item, 0 or '-' (for --set)", "\"" + t + "\""}});
      continue;
    }
    if (cur->is_object()) {
      auto it = cur->find(t);
      cur = it == cur->end() ? nullptr : &*it;
    } else if (cur->is_array()) {
      const bool last = i + 1 == tokens.size();
      bool digits = !t.empty() && t.size() <= 18 && (t == "0" || t[0] != '0');
      for (char c : t) digits = digits && c >= '0' && c <= '9';
      if (t == "-" && last) return;
      const uint64_t index = digits ? std::stoull(t) : UINT64_MAX;
      if (!digits || index > cur->size() || (index == cur->size() && !last))
        throw ScenarioError(file, {{ptr,
                                    "an index of an existing item (0-" + std::to_string(cur->size()) + "; '-' or " +
                                        std::to_string(cur->size()) + " appends) (for --set)",
                                    "\"" + t + "\""}});
      cur = index < cur->size() ? &(*cur)[index] : nullptr;
    } else {
      return;  // nlohmann refuses to descend into a scalar: reported below
    }
  }
}

void apply_override(json& doc, const std::string& file, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || assignment.empty() || assignment[0] != '/') {
    throw ScenarioError(file, {{"", "an override /json/pointer=VALUE (for example /workload/arrival/rate_per_s=5000)",
                                "--set \"" + assignment + "\""}});
  }
  // A string that is not UTF-8 validates but cannot be written to run.json (nlohmann refuses to dump it).
  if (const size_t bad = io::invalid_utf8_at(assignment); bad != std::string::npos)
    throw ScenarioError(
        file, {{"", "--set text in UTF-8",
                "a byte that is not UTF-8 at offset " + std::to_string(bad) + " of --set \"" + assignment + "\""}});
  const std::string ptr = assignment.substr(0, eq), text = assignment.substr(eq + 1);
  json value;
  const scan::Result checked = scan::scan(text, ptr);
  if (checked.parsed && checked.issues.empty()) {
    value = json::parse(text);
  } else if (checked.parsed) {
    throw ScenarioError(file, checked.issues);
  } else if (checked.number_overflow || checked.error.rfind("JSON nested", 0) == 0) {
    throw ScenarioError(file, {{ptr, "a value within the limits (for --set)", checked.error}});
  } else {
    value = text;  // not JSON: a bare word, taken as a string
  }
  try {
    const json::json_pointer jp(ptr);
    check_override_target(doc, file, ptr, jp);
    // Missing parent objects are created (`--set /slo/latency_p99_ms=5` on a file without "slo" is legitimate);
    // validation then rejects any name that is not a knob. "/faults/-" appends to the fault timeline.
    doc[jp] = value;
  } catch (const json::exception& e) {
    throw ScenarioError(
        file, {{ptr, "a JSON Pointer to a knob (for --set)", std::string("an unusable pointer: ") + e.what()}});
  }
}

Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<std::string>& overrides) {
  // One linear pass first: nesting, string sizes, duplicate keys, the place of a syntax error.
  scan::Result checked = scan::scan(text);
  if (!checked.parsed) throw ScenarioError(file, {{"", "valid JSON", checked.error}});
  std::vector<schema::Issue> issues = std::move(checked.issues);
  try {
    json doc = json::parse(text);
    for (const auto& o : overrides) apply_override(doc, file, o);
    json resolved = schema::resolve(doc, scenario_spec(), "", issues);
    if (!issues.empty()) throw ScenarioError(file, std::move(issues));
    Scenario s = Scenario::from_resolved(resolved);
    s.file = file;
    s.overrides = overrides;
    return s;
  } catch (const json::exception& e) {
    // Validation should have caught it: say so rather than abort.
    issues.push_back({"", "a scenario the loader can read", std::string("an internal error: ") + e.what()});
    throw ScenarioError(file, std::move(issues));
  }
}

Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides) {
  std::string text;
  try {
    text = io::read_regular_file(path, kMaxScenarioFileBytes, "scenario file");
  } catch (const io::InputError& e) {
    throw ScenarioError(
        path, {{"", "a regular scenario file of at most " + io::bytes_text(kMaxScenarioFileBytes), e.found()}});
  }
  return load_scenario_text(text, path, overrides);
}

static std::optional<double> opt(const json& j, const char* key) {
  const auto& v = j.at(key);
  if (v.is_null()) return std::nullopt;
  return v.get<double>();
}

// An enumeration knob's enumerator. Validation has checked the name against the knob's choices, which are built from
// the same table (knobs.cpp), so a miss is a bug here, not bad input.
template <class E, size_t N>
static E named(const std::array<std::string_view, N>& names, const json& v) {
  if (const auto e = enum_named<E>(names, v.get<std::string>())) return *e;
  throw std::logic_error("Scenario::from_resolved: " + v.dump() + " is not one of its enumeration's names");
}

// One stream's typed fields (the main workload or an item of workload.streams).
static void fill_workload(WorkloadConfig& out, const json& w) {
  out.keys = w.at("keys");
  if (w.contains("key_prefix") && w.at("key_prefix").is_string())
    out.key_prefix = w.at("key_prefix");  // a stream: may be null
  out.popularity = w.at("popularity").at("dist");
  if (out.popularity == "zipf") out.zipf_alpha = w.at("popularity").at("alpha");
  out.value_bytes = w.at("value_bytes");
  if (w.contains("hash_objects") && !w.at("hash_objects").is_null()) {
    const auto& h = w.at("hash_objects");
    out.hash_objects.fields = h.at("fields");
    out.hash_objects.name_bytes = h.at("field_name_bytes");
    out.hash_objects.long_value_bytes = h.at("long_value_bytes");
  }
  // The share of reads in the stream: read_fraction (default 0.9), or from the op mix (an rmw is a read and a write).
  const auto& ops = w.at("ops");
  if (ops.is_null()) {
    out.read_fraction = w.at("read_fraction").is_null() ? 0.9 : w.at("read_fraction").get<double>();
  } else {
    const double rmw = ops.at("rmw");
    out.read_fraction = (ops.at("get").get<double>() + ops.at("mget").get<double>() + rmw) / (1 + rmw);
  }
  const auto& arrival = w.at("arrival");
  out.closed_loop = arrival.at("dist") == "closed";
  out.rate_per_s = arrival.at("rate_per_s").is_null() ? 0.0 : arrival.at("rate_per_s").get<double>();
  for (const auto& st : arrival.at("shape")) out.shape.push_back({st.at("at_s"), st.at("rate_per_s"), st.at("ramp_s")});
  if (!arrival.at("diurnal").is_null()) {
    out.diurnal_amplitude = arrival.at("diurnal").at("amplitude");
    out.diurnal_period_s = arrival.at("diurnal").at("period_s");
    out.diurnal_peak_at_s = arrival.at("diurnal").at("peak_at_s");
  }
  for (const auto& sp : arrival.at("spikes"))
    out.spikes.push_back({sp.at("at_s"), sp.at("multiplier"), sp.at("rise_s"), sp.at("hold_s"), sp.at("decay_s")});
  out.ttl_s = w.at("ttl_s");
  out.section = w;
}

Scenario Scenario::from_resolved(const json& r) {
  Scenario s;
  s.resolved = r;
  s.name = r.at("name");
  s.title = r.at("title");
  s.description = r.at("description");
  s.seed = r.at("seed").get<uint64_t>();
  s.duration_s = r.at("duration_s");
  s.warmup_s = r.at("warmup_s");
  s.metrics_interval_ms = r.at("metrics_interval_ms");

  const auto& c = r.at("cluster");
  s.cluster.mode = c.at("mode");
  s.cluster.sharding = c.at("sharding");
  s.cluster.ketama_points_per_server = c.at("ketama_points_per_server");
  s.cluster.masters = c.at("masters");
  s.cluster.replicas_per_master = c.at("replicas_per_master");
  s.cluster.min_replicas_to_write = c.at("min_replicas_to_write");
  s.cluster.min_replicas_max_lag_s = c.at("min_replicas_max_lag_s");
  s.cluster.full_sync_mb_per_s = c.at("full_sync_mb_per_s");

  StoreConfig& store = s.cluster.store;
  store.maxmemory_bytes = c.at("maxmemory");
  store.policy = c.at("maxmemory_policy");
  store.cluster_mode = s.cluster.mode == "cluster";
  store.maxmemory_samples = c.at("maxmemory_samples");
  store.sampling = c.at("sampling");
  store.lfu_log_factor = c.at("lfu_log_factor");
  store.lfu_decay_time_min = c.at("lfu_decay_time_min");
  store.hz = c.at("hz");
  // null: the measured cost for the node's size (cluster/walk_cost.hpp), kept as -1
  store.keys_ns_per_key = c.at("keys_ns_per_key").is_null() ? -1.0 : c.at("keys_ns_per_key").get<double>();
  store.scan_ns_per_key = c.at("scan_ns_per_key").is_null() ? -1.0 : c.at("scan_ns_per_key").get<double>();
  store.active_expire_effort = c.at("active_expire_effort");
  store.get_ns_per_reply_byte = c.at("get_ns_per_reply_byte");
  store.set_ns_per_request_byte = c.at("set_ns_per_request_byte");
  // Every client instance holds a connection to each node (pool_size of them with a pool), and a master with
  // replicas holds a replication backlog: both are in used_memory (docs/redis-reference.md §7.3, §7.8).
  const int64_t pool_size = r.at("clients").at("pool_size");
  // The live lab adds its own: one connection per node that reads INFO at every metrics interval (a monitor, as a
  // metrics exporter's), and in cluster mode the failover watch's (CLUSTER NODES / INFO every 50 ms: replies under
  // 1 KB up to ~6 nodes, so a plain client's buffers; live/replay/failover_watch.hpp).
  store.client_connections =
      r.at("clients").at("instances").get<int>() * (pool_size > 0 ? static_cast<int>(pool_size) : 1) +
      (s.cluster.mode == "cluster" ? 1 : 0);
  store.monitor_connections = 1;
  // The node knows a command's connection: its instance's, and with a pool which pooled one (CacheCommand::conn).
  store.coalesce_client_reads = true;
  store.connections_per_instance = pool_size > 1 ? static_cast<uint32_t>(pool_size) : 1u;
  store.repl_backlog = s.cluster.replicas_per_master > 0;
  // Cluster mode: every node knows all the others (docs/redis-reference.md §7.8, memory::kClusterPeerBytes).
  store.cluster_peers = store.cluster_mode ? s.cluster.masters * (1 + s.cluster.replicas_per_master) - 1 : 0;
  // One latency histogram per distinct command the node has run (memory::kLatencyHistogramBytes): what a node of
  // the live lab has run before the workload starts (AUTH, INFO and the driver's CONFIG GET of the node's settings;
  // in cluster mode also CLUSTER INFO, NODES, ADDSLOTS, SET-CONFIG-EPOCH and the clients' CLUSTER SLOTS; INFO
  // commandstats during a run, issue 16 part 6), then GET and SET (reads and fills) and one more per other command of
  // the op mix (DEL, INCR, MGET, MSET).
  int commands = store.cluster_mode ? 8 : 3;
  commands += 2;
  if (const auto& mix = r.at("workload").at("ops"); !mix.is_null())
    for (const char* op : {"del", "incr", "mget", "mset"}) commands += mix.at(op).get<double>() > 0;
  store.latency_histograms = commands;  // with hash objects: HGETALL and HSET instead of GET and SET
  store.hash = r.at("workload").at("hash_objects").is_null()
                   ? HashObjects{}
                   : HashObjects{r.at("workload").at("hash_objects").at("fields").get<uint32_t>(),
                                 r.at("workload").at("hash_objects").at("field_name_bytes").get<uint32_t>(),
                                 r.at("workload").at("hash_objects").at("long_value_bytes").get<uint32_t>()};

  control::ControlConfig& ctl = s.cluster.control;
  ctl.masters = s.cluster.masters;
  ctl.replicas_per_master = s.cluster.replicas_per_master;
  ctl.node_timeout_ms = c.at("node_timeout_ms");
  ctl.replica_validity_factor = c.at("replica_validity_factor");
  ctl.migration_barrier = c.at("migration_barrier");
  ctl.require_full_coverage = c.at("require_full_coverage");
  ctl.allow_replica_migration = c.at("allow_replica_migration");
  ctl.replica_no_failover = c.at("replica_no_failover");
  ctl.cron_period_ms = control::cluster_cron_period_ms(store.hz);  // clusterCron follows hz (§3.2)
  s.cluster.service_us = c.at("service_us");

  s.network.rtt_us = r.at("network").at("rtt_us");
  s.network.node_link_us = r.at("network").at("node_link_us");
  s.network.bus_loss = r.at("network").at("bus_loss");
  s.network.nic_gbps = r.at("network").at("nic_gbps");
  s.network.topology = r.at("network").at("topology");

  // Without streams the resolved scenario (run.json) is what it was before streams existed: no `streams: []`.
  if (s.resolved.at("workload").contains("streams") && s.resolved.at("workload").at("streams").empty())
    s.resolved.at("workload").erase("streams");
  const auto& w = s.resolved.at("workload");
  fill_workload(s.workload, w);
  if (w.contains("streams")) {
    uint64_t end = s.workload.keys;
    for (const auto& js : w.at("streams")) {
      WorkloadConfig& st = s.streams.emplace_back();
      fill_workload(st, js);
      st.key_prefix = js.at("key_prefix").is_null() ? s.workload.key_prefix : js.at("key_prefix").get<std::string>();
      st.stream_name = js.at("name");
      st.key_offset = js.at("key_offset").is_null() ? end : js.at("key_offset").get<uint64_t>();
      end = std::max(end, st.key_offset + st.keys);
      st.start_s = js.at("start_s");
      const std::string list = js.at("client_instances");
      std::string error;
      if (!list.empty() && !parse_instance_list(list, static_cast<uint32_t>(r.at("clients").at("instances").get<int>()),
                                                st.client_instances, error))
        throw std::logic_error("Scenario::from_resolved: client_instances " + error);
    }
  }

  const auto& cl = r.at("clients");
  s.clients.instances = cl.at("instances");
  s.clients.pattern = named<Pattern>(kPatternNames, cl.at("pattern"));
  s.clients.on_write = named<WriteMode>(kWriteModeNames, cl.at("on_write"));
  s.clients.timeout_ms = cl.at("timeout_ms");
  const auto& st = cl.at("stampede");
  s.clients.stampede.mode = named<Protection>(kProtectionNames, st.at("mode"));
  s.clients.stampede.beta = st.at("beta");
  s.clients.stampede.lease_ms = st.at("lease_ms");
  s.clients.stampede.poll_ms = st.at("poll_ms");
  s.clients.stampede.lock_wait = named<LockWait>(kLockWaitNames, st.at("lock_wait"));
  s.clients.stampede.stale_ms = st.at("stale_ms");
  s.clients.stampede.ttl_jitter = st.at("ttl_jitter");
  s.clients.wb_batch_size = cl.at("write_behind").at("batch_size");
  s.clients.wb_flush_interval_ms = cl.at("write_behind").at("flush_interval_ms");
  s.clients.wb_buffer_limit = cl.at("write_behind").at("buffer_limit");
  s.clients.l1_keys = cl.at("l1").at("keys");
  s.clients.l1_ttl_ms = cl.at("l1").at("ttl_ms");
  s.clients.l1_invalidation_lag_ms = cl.at("l1").at("invalidation_lag_ms");
  s.clients.retries_max = cl.at("retries").at("max");
  s.clients.retries_backoff_ms = cl.at("retries").at("backoff_ms");
  s.clients.breaker_failures = cl.at("breaker").at("failures");
  s.clients.breaker_open_ms = cl.at("breaker").at("open_ms");
  s.clients.pool_size = cl.at("pool_size");
  s.clients.pipeline = cl.at("pipeline");
  s.clients.batch_size = cl.at("batch").at("size");
  s.clients.batch_max_wait_us = cl.at("batch").at("max_wait_us");
  s.clients.warm_top_keys = cl.at("warm").at("top_keys");
  s.clients.warm_concurrency = cl.at("warm").at("concurrency");
  s.clients.zone = cl.at("zone").is_string() ? cl.at("zone").get<std::string>() : "";
  s.clients.read_from = named<ReadFrom>(kReadFromNames, cl.at("read_from"));
  s.clients.script_mode = named<ScriptMode>(kScriptModeNames, cl.at("script_mode"));
  if (cl.at("seeds").is_string()) {  // names checked by the scenario's cross-check: each is one of node_names
    const auto names = node_names(r);
    for (const auto& seed : split_node_list(cl.at("seeds").get<std::string>()))
      for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == seed) s.clients.seeds.push_back(static_cast<uint32_t>(i));
  }
  s.clients.seed_backoff_ms = cl.at("seed_backoff_ms");
  s.clients.seed_backoff_max_ms = cl.at("seed_backoff_max_ms");

  const auto& o = r.at("origin");
  s.origin.servers = o.at("servers");
  s.origin.service_ms = o.at("service_ms");
  s.origin.write_service_ms = o.at("write_service_ms");
  s.origin.timeout_ms = o.at("timeout_ms");
  s.origin.queue_limit = o.at("queue_limit");

  // Without per-stream SLOs the resolved scenario (run.json) is what it was before them: no `streams: []`.
  if (s.resolved.at("slo").contains("streams") && s.resolved.at("slo").at("streams").empty())
    s.resolved.at("slo").erase("streams");
  const auto& slo = s.resolved.at("slo");
  auto targets = [](const json& j, SloTargets& t) {
    t.latency_p50_ms = opt(j, "latency_p50_ms");
    t.latency_p99_ms = opt(j, "latency_p99_ms");
    t.latency_p999_ms = opt(j, "latency_p999_ms");
    t.hit_ratio_min = opt(j, "hit_ratio_min");
    t.error_rate_max = opt(j, "error_rate_max");
    t.cache_error_rate_max = opt(j, "cache_error_rate_max");
    t.origin_requests_per_s_max = opt(j, "origin_requests_per_s_max");
    if (j.contains("writes_lost_max")) t.writes_lost_max = opt(j, "writes_lost_max");
    if (j.contains("availability_min")) t.availability_min = opt(j, "availability_min");
  };
  targets(slo, s.slo);
  if (slo.contains("streams"))
    for (const auto& js : slo.at("streams"))
      targets(js, s.slo.streams.emplace_back(StreamSlo{js.at("stream"), {}}).targets);
  return s;
}

}  // namespace cachelab
