// Server-side scripts (docs/redis-reference.md §11): an EVALSHA of K redis.call holds the node's thread for its
// service time plus the measured script cost (cluster/script_cost.hpp), runs all its calls at once (nothing
// interleaves), and is refused with CROSSSLOT when its keys span slots; clients.script_mode round_trips sends the
// same calls one round trip each.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "cachelab/cluster/node.hpp"
#include "cachelab/cluster/script_cost.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

struct ScriptsTestNode {
  Simulation sim{1};
  std::unique_ptr<RealDist> service = make_dist(json{{"dist", "fixed"}, {"value", 10}});
  Node node;
  explicit ScriptsTestNode(bool cluster)
      : node(
            "master-1", 0,
            [&] {
              StoreConfig cfg;
              cfg.cluster_mode = cluster;
              return cfg;
            }(),
            sim.stream("e"), *service, sim.stream("s")) {
    for (int s = 0; s < 16384; ++s) node.set_owner(s, 0);
  }
  Time eval(uint64_t key, uint8_t keys, uint32_t calls, Time arrival, CacheReply& reply, bool span = false) {
    CacheCommand c;
    c.cmd = CacheCmd::Eval;
    c.key = key;
    c.key_count = keys;
    c.value_bytes = calls;
    return node.execute(c, 8, arrival, reply, span);
  }
  Time get(uint64_t key, Time arrival, CacheReply& reply) {
    CacheCommand c;
    c.cmd = CacheCmd::Get;
    c.key = key;
    return node.execute(c, 8, arrival, reply);
  }
};

std::string scripts_test_scenario(const std::string& workload_extra, const std::string& clients_extra,
                                  int masters = 1) {
  return R"({"cachelab": 1, "name": "scripts", "seed": 7, "duration_s": 3, "warmup_s": 1,
    "cluster": {"masters": )" +
         std::to_string(masters) + R"(, "service_us": {"dist": "fixed", "value": 10}},
    "network": {"rtt_us": {"dist": "fixed", "value": 200}},
    "workload": {"keys": 10000, "popularity": {"dist": "uniform"}, "ops": {"script": 1},
                 "arrival": {"dist": "closed", "sessions_per_instance": 1, "think_time_ms": {"dist": "fixed", "value": 0}})" +
         workload_extra + R"(},
    "clients": {"instances": 4)" +
         clients_extra + R"(}})";
}

}  // namespace

// The node time of one EVALSHA of K calls: the command's service time (10 µs here) plus the INCR line,
// 1.362 + 0.2602 x K µs up to K = 50; beyond, the measured cost of long scripts (1,000, 20,000 and 500,000 calls:
// 264.60, 8,395.98 and 260,728.20 µs), interpolated in log K between them and extrapolated per call beyond.
TEST(Scripts, NodeTimeIsServicePlusBasePlusPerCallTimesK) {
  ScriptsTestNode n(false);
  Time t = Time::s(1);
  const std::pair<uint32_t, double> expect[] = {{1, 1.362 + 0.2602},
                                                {10, 1.362 + 2.602},
                                                {50, 1.362 + 13.01},
                                                {1000, 264.60},
                                                {20000, 8395.98},
                                                {500000, 260728.20},
                                                {1000000, 1.362 + 1000000 * (260728.20 - 1.362) / 500000}};
  for (const auto& [k, script_us] : expect) {
    CacheReply r;
    const Time done = n.eval(1, 1, k, t, r);
    EXPECT_NEAR((done - t).nanos() / 1000.0, 10 + script_us, 0.05) << k;  // the constants' 7 digits
    EXPECT_EQ(r.kind, ReplyKind::Ok);
    t = done;
  }
  // Between measured points the cost per call lies between theirs.
  EXPECT_GT(script_us_per_call(5000), script_us_per_call(1000));
  EXPECT_LT(script_us_per_call(5000), script_us_per_call(20000));
  // The largest script the schema allows stays far under busy-reply-threshold: no -BUSY to model.
  EXPECT_LT(script_node_time(1000000).seconds() * 1000, kBusyReplyThresholdMs / 5);
}

// The constants are the least-squares line through the measured INCR rows of the committed CSV up to K = 50, and
// the long scripts' rows are reproduced.
TEST(Scripts, TheCostIsTheFitOfTheMeasurement) {
  std::ifstream in(test::source_dir() + "/docs/measurements/script-cost-redis-7.0.csv");
  ASSERT_TRUE(in) << "docs/measurements/script-cost-redis-7.0.csv";
  std::string line;
  std::getline(in, line);
  ASSERT_EQ(line, "command,calls_per_script,scripts,usec_per_script,redis_version");
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string cmd, k, scripts, usec;
    std::getline(ss, cmd, ',');
    std::getline(ss, k, ',');
    std::getline(ss, scripts, ',');
    std::getline(ss, usec, ',');
    if (cmd != "INCR") continue;
    const double x = std::stod(k), y = std::stod(usec);
    if (x > 50) {
      EXPECT_NEAR(script_node_time(static_cast<uint32_t>(x)).nanos() / 1000.0, y, 0.05) << line;
      continue;
    }
    n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
  }
  ASSERT_EQ(n, 5);
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  EXPECT_NEAR(kScriptUsPerCall, slope, 0.0001);
  EXPECT_NEAR(kScriptBaseUs, (sy - slope * sx) / n, 0.001);
}

// Atomicity: a GET (or another script) that reaches the node 1 ns after a script starts waits for the whole script;
// the script's writes are all there when it ends, and none is there before it starts.
TEST(Scripts, NothingInterleavesWithARunningScript) {
  ScriptsTestNode n(false);
  const Time t0 = Time::s(1);
  CacheReply before;
  EXPECT_EQ(n.get(5, t0 - Time::us(100), before).nanos(), (t0 - Time::us(90)).nanos());
  EXPECT_EQ(before.kind, ReplyKind::Nil);
  CacheReply s1, g, s2;
  const Time end1 = n.eval(5, 3, 100000, t0, s1);  // INCR over keys 5, 6, 7
  EXPECT_EQ(end1, t0 + Time::us(10) + script_node_time(100000));
  const Time got = n.get(6, t0 + Time::ns(1), g);
  EXPECT_EQ(got, end1 + Time::us(10));  // started only when the script had ended
  EXPECT_EQ(g.kind, ReplyKind::Value);
  const Time end2 = n.eval(5, 3, 10, t0 + Time::ns(2), s2);
  EXPECT_EQ(end2, got + Time::us(10) + script_node_time(10));
  for (uint64_t k : {5u, 6u, 7u}) EXPECT_TRUE(n.node.store().exists(k, end2)) << k;
  EXPECT_FALSE(n.node.store().exists(8, end2));
}

// In a cluster the script's declared keys must share a slot: -CROSSSLOT, nothing written, and the node pays only the
// command's service time (the script does not run).
TEST(Scripts, KeysInTwoSlotsGetCrossSlot) {
  ScriptsTestNode n(true);
  CacheReply r;
  const Time t = Time::s(1);
  EXPECT_EQ(n.eval(1, 2, 1000, t, r, /*span=*/true), t + Time::us(10));
  EXPECT_EQ(r.kind, ReplyKind::CrossSlot);
  EXPECT_FALSE(n.node.store().exists(1, t + Time::s(1)));
  CacheReply ok;
  EXPECT_EQ(n.eval(1, 2, 1000, t + Time::s(1), ok, false), t + Time::s(1) + Time::us(10) + script_node_time(1000));
  EXPECT_EQ(ok.kind, ReplyKind::Ok);
}

// Through a whole run: two keys without hash tags on a 3-master cluster land in different slots, so every script
// fails with CROSSSLOT; the same keys in one hash-tagged group (key_groups) all succeed.
TEST(Scripts, ARunCountsCrossSlotUnlessTheKeysShareATag) {
  const RunOutput plain =
      simulate(load_scenario_text(scripts_test_scenario(R"(, "script": {"calls": 4, "keys": 2})", "", 3), "s.json"));
  const RunOutput tagged = simulate(load_scenario_text(
      scripts_test_scenario(
          R"(, "script": {"calls": 4, "keys": 2}, "key_groups": {"size": 2}, "multi_key_count": {"min": 2, "max": 2})",
          "", 3),
      "s.json"));
  const uint64_t requests = plain.summary.at("requests");
  ASSERT_GT(requests, 1000u);
  // An error is counted at its reply, a request at its due time: the 4 in flight at the warm-up's end may differ.
  EXPECT_NEAR(plain.summary.at("errors").at("crossslot").get<double>(), static_cast<double>(requests), 4);
  EXPECT_EQ(plain.summary.at("failed_requests").get<uint64_t>(), requests);
  EXPECT_EQ(tagged.summary.at("errors").at("crossslot").get<uint64_t>(), 0u);
  EXPECT_EQ(tagged.summary.at("failed_requests").get<uint64_t>(), 0u);
}

// One closed-loop session per instance, nothing else on the node: a script of K = 8 costs one round trip (200 µs)
// plus 10 µs + 1.362 + 0.2602 x 8 µs; as round trips it costs 8 x (200 + 10) µs.
TEST(Scripts, RoundTripsCostKRoundTripsAndAScriptOne) {
  const std::string w = R"(, "script": {"calls": 8, "keys": 1})";
  const RunOutput script = simulate(load_scenario_text(scripts_test_scenario(w, ""), "s.json"));
  const RunOutput trips =
      simulate(load_scenario_text(scripts_test_scenario(w, R"(, "script_mode": "round_trips")"), "s.json"));
  const double script_us = script.summary.at("latency_us").at("mean").get<double>();
  const double trips_us = trips.summary.at("latency_us").at("mean").get<double>();
  // 4 sessions share the node: a command may wait behind up to 3 others (at most 3 x 14 µs).
  EXPECT_NEAR(script_us, 200 + 10 + 1.362 + 0.2602 * 8, 45);
  EXPECT_NEAR(trips_us, 8 * 210, 8 * 30);
  EXPECT_EQ(trips.summary.at("failed_requests").get<uint64_t>(), 0u);
  // The node ran 8 commands per request in round_trips, 1 per request as a script.
  const double node_ops_script = script.summary.at("nodes").at(0).at("ops").get<double>();
  const double node_ops_trips = trips.summary.at("nodes").at(0).at("ops").get<double>();
  EXPECT_NEAR(node_ops_trips / trips.summary.at("requests").get<double>(),
              8 * node_ops_script / script.summary.at("requests").get<double>(), 0.5);
}

// The largest script the schema allows is under busy-reply-threshold; more calls are refused with the knob's
// pointer (no -BUSY is modelled).
TEST(Scripts, ScriptsThatWouldMakeRedisBusyAreRefused) {
  try {
    load_scenario_text(scripts_test_scenario(R"(, "script": {"calls": 2000000})", ""), "s.json");
    FAIL() << "2,000,000 calls accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/workload/script/calls"), std::string::npos) << e.what();
  }
  try {
    load_scenario_text(
        scripts_test_scenario(
            R"(, "script": {"calls": 2, "keys": 4}, "key_groups": {"size": 2}, "multi_key_count": {"min": 2, "max": 2})",
            "", 3),
        "s.json");
    FAIL() << "a script wider than its group accepted";
  } catch (const ScenarioError& e) {
    EXPECT_NE(std::string(e.what()).find("/workload/script/keys"), std::string::npos) << e.what();
  }
}
