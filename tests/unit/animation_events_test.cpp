// The events.jsonl rows the GUI's animation replays (issue 18 part 3, results/README.md): the cluster at t = 0
// (`cluster_layout`), the end of a PFAIL that did not become FAIL (`pfail_cleared`), an election's deadline
// (`election_started` `timeout_ms`) and when a moved slot began migrating (`slot_moved` `t_start_s`).
#include <map>
#include <set>

#include <gtest/gtest.h>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

RunOutput run(const std::string& faults, const std::string& cluster = R"("masters": 3, "replicas_per_master": 1,
    "node_timeout_ms": 2000, "maxmemory": "16mb")") {
  const std::string text = R"({"cachelab": 1, "name": "a", "duration_s": 24, "seed": 5, "cluster": {)" + cluster +
                           R"(}, "workload": {"keys": 5000, "arrival": {"rate_per_s": 1000}},
    "origin": {"servers": 32, "service_ms": {"dist": "exponential", "mean": 1}}, "faults": )" +
                           faults + "}";
  return simulate(load_scenario_text(text, "a.json"));
}

std::vector<json> of_type(const RunOutput& out, const std::string& type) {
  std::vector<json> v;
  for (const auto& e : out.events)
    if (e["type"] == type) v.push_back(e);
  return v;
}

}  // namespace

std::map<std::string, json> layout_nodes(const RunOutput& out) {
  const auto layouts = of_type(out, "cluster_layout");
  EXPECT_EQ(layouts.size(), 1u);
  std::map<std::string, json> nodes;
  if (layouts.empty()) return nodes;
  EXPECT_EQ(layouts[0]["t_s"], 0.0);
  EXPECT_EQ(layouts[0]["sharding"], "redis-cluster");
  for (const auto& n : layouts[0]["nodes"]) nodes[n["node"].get<std::string>()] = n;
  return nodes;
}

TEST(AnimationEvents, ClusterLayoutIsTheWorldAtTheStart) {
  auto nodes = layout_nodes(run("[]"));
  ASSERT_EQ(nodes.size(), 6u);  // 3 masters, 3 replicas
  // redis-cli --cluster create's split (docs/redis-reference.md §1.4): 0-5460, 5461-10922, 10923-16383.
  EXPECT_EQ(nodes["master-1"]["slot_ranges"], json::parse("[[0, 5460]]"));
  EXPECT_EQ(nodes["master-2"]["slot_ranges"], json::parse("[[5461, 10922]]"));
  EXPECT_EQ(nodes["master-3"]["slot_ranges"], json::parse("[[10923, 16383]]"));
  EXPECT_EQ(nodes["replica-2-1"]["role"], "replica");
  EXPECT_EQ(nodes["replica-2-1"]["master"], "master-2");
  EXPECT_TRUE(nodes["replica-2-1"]["slot_ranges"].empty());
  EXPECT_TRUE(nodes["master-1"]["master"].is_null());
  EXPECT_EQ(nodes["master-1"]["maxmemory_bytes"], 16 * 1024 * 1024);
  // A node add_node brings in later is there, down.
  nodes = layout_nodes(run(R"([{"at_s": 5, "action": "add_node"}])", R"("masters": 3)"));
  ASSERT_EQ(nodes.size(), 4u);
  EXPECT_EQ(nodes["master-4"]["role"], "down");
  EXPECT_TRUE(nodes["master-4"]["slot_ranges"].empty());
}

TEST(AnimationEvents, EveryPfailEndsInPfailClearedOrFail) {
  // master-1 cut off for 8 s (4 x node_timeout): it flags every other node PFAIL and, alone, can never make it FAIL;
  // after the heal the PONGs it gets clear each flag. The others take master-1 to FAIL.
  const RunOutput out = run(R"([{"at_s": 4, "action": "partition", "nodes": "master-1"},
                                {"at_s": 12, "action": "heal"}])");
  std::set<std::pair<std::string, std::string>> open;  // (observer, node) flagged PFAIL
  int cleared_by_master1 = 0;
  for (const auto& e : out.events) {
    if (!e.contains("seen_by")) continue;
    const auto key = std::make_pair(e["seen_by"].get<std::string>(), e["node"].get<std::string>());
    if (e["type"] == "pfail") {
      EXPECT_TRUE(open.insert(key).second) << e.dump();
    }
    if (e["type"] == "pfail_cleared") {
      EXPECT_EQ(open.erase(key), 1u) << "cleared without a PFAIL: " << e.dump();
      cleared_by_master1 += key.first == "master-1";
      EXPECT_GE(e["t_s"].get<double>(), 12.0) << "nothing answers across the cut before the heal";
    }
    if (e["type"] == "fail") open.erase(key);
  }
  EXPECT_TRUE(open.empty()) << open.size() << " PFAIL flags never ended, first " << open.begin()->first << " -> "
                            << open.begin()->second;
  EXPECT_EQ(cleared_by_master1, 5);  // every other node of the 6
}

TEST(AnimationEvents, AnElectionSaysHowLongItsVotesCount) {
  const RunOutput out = run(R"([{"at_s": 4, "action": "kill", "node": "master-2"}])");
  const auto started = of_type(out, "election_started");
  ASSERT_FALSE(started.empty());
  for (const auto& e : started) {
    // auth_timeout = max(2 x node_timeout, 2 s) from the moment the election was due (§5.1): at most 4000 ms here.
    EXPECT_GT(e["timeout_ms"].get<double>(), 0.0);
    EXPECT_LE(e["timeout_ms"].get<double>(), 4000.0);
  }
  // The promotion lands inside that window.
  const auto promoted = of_type(out, "promoted");
  ASSERT_EQ(promoted.size(), 1u);
  const json& last = started.back();
  EXPECT_LE(promoted[0]["t_s"].get<double>(), last["t_s"].get<double>() + last["timeout_ms"].get<double>() / 1000.0);
}

TEST(AnimationEvents, EachMovedSlotSaysWhenItsMigrationBegan) {
  const RunOutput out = run(R"([{"at_s": 3, "action": "reshard", "from": "master-1", "to": "master-2", "count": 40}])",
                            R"("masters": 3)");
  const auto start = of_type(out, "reshard_start");
  const auto moved = of_type(out, "slot_moved");
  ASSERT_EQ(start.size(), 1u);
  ASSERT_EQ(moved.size(), 40u);
  // One slot at a time (redis-cli reshard): each begins when the one before it is done, the first at the start.
  double previous = start[0]["t_s"].get<double>();
  for (const auto& m : moved) {
    EXPECT_EQ(m["t_start_s"].get<double>(), previous) << m.dump();
    EXPECT_GT(m["t_s"].get<double>(), m["t_start_s"].get<double>());
    previous = m["t_s"].get<double>();
  }
}
