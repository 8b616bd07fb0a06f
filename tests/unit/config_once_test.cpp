// Configuration once (issue 14 part 4): the resolved scenario is typed in one place, Scenario::from_resolved, and
// the components take its structs as they are: each node's Store its `cluster.store`, the control plane its
// `cluster.control` (the clusterCron period from hz, docs/redis-reference.md §3.2), the live lab both
// (tests/live/pure_test.cpp, LabConfig.SpawnedLabTakesTheScenarioStructs), the client logic and live mode's
// connections the `clients` section (ClientOptions, LiveCacheOptions).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>
#include <vector>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

const std::string kBase = R"({"cachelab": 1, "name": "cfg", "duration_s": 10,
  "workload": {"keys": 1000, "arrival": {"rate_per_s": 100}}})";

Scenario load(const std::vector<std::string>& sets) { return load_scenario_text(kBase, "cfg.json", sets); }

// Everything from_resolved types, apart from the raw JSON (`resolved`, and the workload's `section`, which the
// generator reads itself).
bool same_typed(const Scenario& a, const Scenario& b) {
  return a.name == b.name && a.title == b.title && a.description == b.description && a.seed == b.seed &&
         a.duration_s == b.duration_s && a.warmup_s == b.warmup_s && a.metrics_interval_ms == b.metrics_interval_ms &&
         a.cluster == b.cluster && a.network == b.network && a.clients == b.clients && a.origin == b.origin &&
         a.slo == b.slo;
}

// Other values worth trying for a knob, most likely valid first.
std::vector<json> other_values(const schema::FieldSpec& f) {
  using schema::Kind;
  std::vector<json> out;
  switch (f.kind) {
    case Kind::Boolean:
      out.push_back(!f.def.get<bool>());
      break;
    case Kind::Integer:
    case Kind::Number: {
      const bool none = !f.def.is_number();
      const double d = none ? 0 : f.def.get<double>();
      std::vector<double> tries = {d + 1, d + 4, d - 1, d * 2, d / 2, 0.5, 1, f.lo, f.hi};
      if (none) tries.insert(tries.begin(), 0);
      for (double v : tries) {
        if (!std::isfinite(v)) continue;
        const json j = f.kind == Kind::Integer ? json(static_cast<int64_t>(v)) : json(v);
        if (none || j != f.def) out.push_back(j);
      }
      break;
    }
    case Kind::Size:
      out.push_back("1mb");
      break;
    case Kind::Enum:
      for (const auto& c : f.choices)
        if (c != f.def) out.push_back(c);
      break;
    case Kind::String:
      out.push_back("a");
      out.push_back("master-1");  // a node name list (clients.seeds)
      break;
    case Kind::Variant:  // a distribution
      out.push_back({{"dist", "fixed"}, {"value", 3}});
      break;
    default:
      break;
  }
  return out;
}

// Knobs whose other values the cross-checks refuse alone: set these first, in the baseline and the variant alike.
const std::map<std::string, std::vector<std::string>> kCompanions = {
    {"/cluster/sharding", {"/cluster/mode=\"standalone\"", "/cluster/masters=1"}},
    {"/cluster/mode", {"/cluster/masters=1"}},
    {"/clients/zone", {R"(/network/topology={"layout": "zones", "zones": "a,b"})"}},
    {"/slo/streams", {R"(/workload/streams=[{"name": "b", "keys": 10, "arrival": {"rate_per_s": 10}}])"}},
};

struct Leaf {
  std::string pointer;
  const schema::FieldSpec* field;
};

void leaves(const schema::ObjectSpec& spec, const std::string& prefix, std::vector<Leaf>& out) {
  for (const auto& f : spec.fields) {
    const std::string ptr = prefix + "/" + f.name;
    // A nested object is a group of knobs; a nullable one (network.topology) is one knob: its JSON is typed whole.
    if (f.kind == schema::Kind::Object && !f.nullable) {
      leaves(*f.object, ptr, out);
    } else {
      out.push_back({ptr, &f});
    }
  }
}

}  // namespace

// Every knob of the sections from_resolved types (the top level's scalars, cluster, network, clients, origin, slo)
// changes some typed field when it changes: none is validated and then dropped. The workload is typed in part (the
// generator reads the rest from its JSON section), and faults, cost, compare and plan are read by their consumers
// from the resolved JSON: those are not covered here.
TEST(ConfigurationOnce, EveryKnobLandsInATypedField) {
  const schema::ObjectSpec& root = scenario_spec();
  std::vector<Leaf> all;
  for (const auto& f : root.fields) {
    if (f.kind != schema::Kind::Object) {
      if (f.name != "cachelab") all.push_back({"/" + f.name, &f});  // the format version: only 1 is valid
    } else if (f.name == "cluster" || f.name == "network" || f.name == "clients" || f.name == "origin" ||
               f.name == "slo") {
      leaves(*f.object, "/" + f.name, all);
    }
  }
  ASSERT_GT(all.size(), 60u);
  std::vector<json> topology_values = {json{{"layout", "flat"}}};
  // Per-stream SLOs (a list of objects): one stream's target, each of its keys typed (StreamSlo).
  std::vector<json> stream_slo_values = {json::parse(R"([{"stream": "b", "latency_p50_ms": 1, "latency_p99_ms": 5,
      "latency_p999_ms": 9, "hit_ratio_min": 0.5, "error_rate_max": 0.1, "cache_error_rate_max": 0.2,
      "origin_requests_per_s_max": 100}])")};
  int checked = 0;
  for (const Leaf& leaf : all) {
    if (leaf.pointer == "/faults") continue;
    std::vector<std::string> sets;
    if (auto it = kCompanions.find(leaf.pointer); it != kCompanions.end()) sets = it->second;
    const Scenario baseline = load(sets);
    const std::vector<json> values = leaf.pointer == "/network/topology" ? topology_values
                                     : leaf.pointer == "/slo/streams"    ? stream_slo_values
                                                                         : other_values(*leaf.field);
    bool loaded = false;
    for (const json& v : values) {
      std::vector<std::string> with = sets;
      with.push_back(leaf.pointer + "=" + v.dump());
      Scenario s;
      try {
        s = load(with);
      } catch (const ScenarioError&) {
        continue;  // out of range or refused by a cross-check: try the next value
      }
      loaded = true;
      EXPECT_FALSE(same_typed(s, baseline)) << leaf.pointer << " = " << v.dump() << " reaches no typed field";
      ++checked;
      break;
    }
    EXPECT_TRUE(loaded) << leaf.pointer << ": no other valid value tried";
  }
  EXPECT_GT(checked, 60);
}

// A store knob lands in `cluster.store` and nowhere else, a control-plane knob in `cluster.control`; hz in both
// (serverCron's expire cycle, and the clusterCron period that follows it as Redis 7.0 schedules it, §3.2).
TEST(ConfigurationOnce, StoreAndControlKnobsLandInTheirStructs) {
  const Scenario base = load({});
  for (const char* set : {"/cluster/maxmemory=\"8mb\"", "/cluster/maxmemory_policy=\"allkeys-lfu\"",
                          "/cluster/maxmemory_samples=9", "/cluster/sampling=\"buckets\"", "/cluster/lfu_log_factor=3",
                          "/cluster/lfu_decay_time_min=4", "/cluster/active_expire_effort=7", "/clients/pool_size=3"}) {
    const Scenario s = load({set});
    EXPECT_NE(s.cluster.store, base.cluster.store) << set;
    EXPECT_EQ(s.cluster.control, base.cluster.control) << set;
  }
  for (const char* set : {"/cluster/node_timeout_ms=2500", "/cluster/replica_validity_factor=0",
                          "/cluster/migration_barrier=2", "/cluster/require_full_coverage=false",
                          "/cluster/allow_replica_migration=false", "/cluster/replica_no_failover=true"}) {
    const Scenario s = load({set});
    EXPECT_NE(s.cluster.control, base.cluster.control) << set;
    EXPECT_EQ(s.cluster.store, base.cluster.store) << set;
  }
  const Scenario s = load({"/cluster/hz=4", "/cluster/active_expire_effort=7", "/cluster/node_timeout_ms=2500",
                           "/clients/instances=5", "/clients/pool_size=3", "/cluster/replicas_per_master=1"});
  EXPECT_EQ(s.cluster.store.hz, 4);
  EXPECT_EQ(s.cluster.store.active_expire_effort, 7);
  // Every instance's pool holds 3 connections to each node, and the live lab's failover watch one (cluster mode);
  // its INFO monitor is counted apart (a bigger reply buffer).
  EXPECT_EQ(s.cluster.store.client_connections, 16);
  EXPECT_EQ(s.cluster.store.monitor_connections, 1);
  EXPECT_TRUE(s.cluster.store.repl_backlog);
  EXPECT_EQ(s.cluster.control.cron_period_ms, 250);  // hz 4: every 250 ms serverCron loop
  EXPECT_EQ(s.cluster.control.node_timeout_ms, 2500);
  EXPECT_EQ(s.cluster.control.masters, 3);
  EXPECT_EQ(s.cluster.control.replicas_per_master, 1);
  EXPECT_EQ(base.cluster.control.cron_period_ms, 100);  // hz 10
}

// The clients section is typed once too: its enumerations are the knobs' choices (one table each, client_config.hpp),
// the struct's defaults are the schema's, and the client logic's options are the section as it is.
TEST(ConfigurationOnce, ClientKnobsLandInTheClientOptions) {
  EXPECT_EQ(load({}).clients, ClientsConfig{});  // no clients section: every default is the schema's
  const Scenario s = load({"/clients/pattern=\"write-behind\"", "/clients/on_write=\"update\"",
                           "/clients/stampede={\"mode\": \"lock\", \"lock_wait\": \"stale\", \"stale_ms\": 250}",
                           "/clients/read_from=\"replica_preferred\"", "/cluster/replicas_per_master=1",
                           "/clients/write_behind/batch_size=7", "/clients/l1/invalidation_lag_ms=30"});
  const ClientOptions o(s.clients);
  EXPECT_EQ(o.pattern, Pattern::WriteBehind);
  EXPECT_EQ(o.on_write, WriteMode::Update);
  EXPECT_EQ(o.stampede.mode, Protection::Lock);
  EXPECT_EQ(o.stampede.lock_wait, LockWait::Stale);
  EXPECT_EQ(o.stampede.stale_ms, 250);
  EXPECT_EQ(o.read_from, ReadFrom::ReplicaPreferred);
  EXPECT_EQ(o.wb_batch_size, 7u);
  EXPECT_EQ(o.l1_invalidation_lag_ms, 30);
  EXPECT_EQ(static_cast<const ClientsConfig&>(o), s.clients);
  // Each enumeration's names are its knob's choices, in enumerator order.
  for (size_t i = 0; i < kPatternNames.size(); ++i) {
    const Scenario p = load({"/clients/pattern=\"" + std::string(kPatternNames[i]) + "\""});
    EXPECT_EQ(static_cast<size_t>(p.clients.pattern), i) << kPatternNames[i];
    EXPECT_EQ(name_of(kPatternNames, p.clients.pattern), kPatternNames[i]);
  }
}
