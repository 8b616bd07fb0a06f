// redis-cli --cluster rebalance's plan, and add_node / remove_node on the fault timeline (issue 3).
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/cluster/rebalance.hpp"
#include "cachelab/cluster/slots.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

namespace cachelab {
namespace {

std::vector<uint16_t> created(int n) {
  std::vector<uint16_t> owner(kClusterSlots);
  const auto r = redis_cli_slot_ranges(n);
  for (size_t m = 0; m < r.size(); ++m)
    for (int s = r[m].first; s <= r[m].second; ++s) owner[static_cast<size_t>(s)] = static_cast<uint16_t>(m);
  return owner;
}

int count(const std::vector<uint16_t>& owner, int node) {
  int c = 0;
  for (uint16_t o : owner) c += o == node;
  return c;
}

RebalanceInput masters(int n) {
  RebalanceInput in;
  for (int i = 0; i < n; ++i) in.masters.push_back(i);
  in.weights.assign(static_cast<size_t>(n), 1.0f);
  return in;
}

TEST(Rebalance, ThreeToFourByHandFromRedisCliAlgorithm) {
  // 5461/5462/5461 + an empty master, weights 1: expected (int)(16384/4.0) = 4096 each; balances 1365, 1366, 1365,
  // -4096 (sum 0). Sorted ascending (stable): master-4, master-1, master-3, master-2. The receiver master-4 takes
  // from the last one first: 1366 from master-2, then 1365 from master-3, then 1365 from master-1, each source's
  // lowest slots first.
  RebalanceInput in = masters(4);
  in.use_empty_masters = true;
  std::vector<uint16_t> owner = created(3);
  const auto moves = plan_rebalance(owner, in);
  ASSERT_EQ(moves.size(), 3u);
  EXPECT_EQ(moves[0].from, 1);
  EXPECT_EQ(moves[0].slots.size(), 1366u);
  EXPECT_EQ(moves[0].slots.front(), 5461);
  EXPECT_EQ(moves[1].from, 2);
  EXPECT_EQ(moves[1].slots.size(), 1365u);
  EXPECT_EQ(moves[1].slots.front(), 10923);
  EXPECT_EQ(moves[2].from, 0);
  EXPECT_EQ(moves[2].slots.size(), 1365u);
  EXPECT_EQ(moves[2].slots.front(), 0);
  for (const auto& m : moves) EXPECT_EQ(m.to, 3);
  apply_moves(owner, moves);
  EXPECT_EQ(count(owner, 3), 4096);
}

TEST(Rebalance, WithoutEmptyMastersFlagTheEmptyNodeGetsNothing) {
  RebalanceInput in = masters(4);  // use_empty_masters = false: the empty master has weight 0, not involved
  EXPECT_TRUE(plan_rebalance(created(3), in).empty());  // 3 created masters are within 2 % of each other
}

TEST(Rebalance, AfterAddingANodeEveryMasterIsWithinTheThreshold) {
  for (int n = 3; n <= 10; ++n) {
    RebalanceInput in = masters(n + 1);
    in.use_empty_masters = true;
    std::vector<uint16_t> owner = created(n);
    const auto moves = plan_rebalance(owner, in);
    int moved = 0;
    for (const auto& m : moves) moved += static_cast<int>(m.slots.size());
    apply_moves(owner, moves);
    const double ideal = 16384.0 / (n + 1);
    for (int m = 0; m <= n; ++m) {
      const int c = count(owner, m);
      EXPECT_LE(std::fabs(100.0 - 100.0 * ideal / c), kRebalanceThresholdPct) << "N=" << n << " master " << m;
    }
    // The only slots that move are those the new master receives. By redis-cli's arithmetic every old master
    // keeps exactly expected = (int)(16384/(N+1)) (its balance is positive) and the rounding remainder goes to the
    // only node with balance <= 0, the new one.
    const int expected = static_cast<int>(16384.0f / static_cast<float>(n + 1));
    EXPECT_EQ(moved, count(owner, n));
    EXPECT_EQ(moved, 16384 - n * expected) << "N=" << n;
    for (int m = 0; m < n; ++m) EXPECT_EQ(count(owner, m), expected) << "N=" << n;
    // A second rebalance finds nothing to do.
    EXPECT_TRUE(plan_rebalance(owner, in).empty()) << "N=" << n;
  }
}

TEST(Rebalance, WeightZeroDrainsANode) {
  for (int n = 3; n <= 8; ++n) {
    RebalanceInput in = masters(n);
    in.weights[1] = 0;  // --cluster-weight master-2=0
    std::vector<uint16_t> owner = created(n);
    apply_moves(owner, plan_rebalance(owner, in));
    EXPECT_EQ(count(owner, 1), 0) << "N=" << n;
    for (int m = 0; m < n; ++m)
      if (m != 1) {
        EXPECT_NEAR(count(owner, m), 16384.0 / (n - 1), 1.0) << "N=" << n << " master " << m;
      }
  }
}

const char* kScenario = R"({"cachelab": 1, "name": "topo", "duration_s": 40, "warmup_s": 1, "seed": 11,
    "cluster": {"masters": 3},
    "workload": {"keys": 20000, "popularity": {"dist": "uniform"}, "read_fraction": 0.9,
                 "arrival": {"rate_per_s": 10000}},
    "clients": {"instances": 4},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": [{"at_s": 5, "action": "add_node"}]})";

TEST(AddNode, SimulatedRunMovesAQuarterOfTheSlotsAndClientsKeepWorking) {
  const RunOutput out = simulate(load_scenario_text(kScenario, "topo.json"));
  const auto& s = out.summary;
  ASSERT_EQ(s["topology_changes"].size(), 1u);
  const auto& c = s["topology_changes"][0];
  EXPECT_EQ(c["node"], "master-4");
  EXPECT_EQ(c["slots_moved"], 4096);
  ASSERT_FALSE(c["t_end_s"].is_null());
  EXPECT_LT(c["t_end_s"].get<double>(), 39.0);
  // A quarter of the key space moves (slots are uniform over keys): binomial bound on the 20000 keys.
  EXPECT_NEAR(c["moved_keys_fraction"].get<double>(), 0.25, 4 * std::sqrt(0.25 * 0.75 / 20000));
  // Keys moved = the keys that were in the moved slots; every key is now on the owner of its slot.
  uint64_t keys = 0;
  for (const auto& n : s["nodes"]) keys += n["keys"].get<uint64_t>();
  EXPECT_GT(c["keys_moved"].get<uint64_t>(), keys / 5);
  EXPECT_LT(c["keys_moved"].get<uint64_t>(), keys * 3 / 10);
  EXPECT_EQ(s["nodes"][3]["slots"], 4096);
  // No eviction, no expiry: the new node holds the keys moved to it, plus those filled there since.
  EXPECT_GE(s["nodes"][3]["keys"].get<uint64_t>(), c["keys_moved"].get<uint64_t>());
  EXPECT_LE(keys, 20000u);
  for (int m = 0; m < 3; ++m) EXPECT_EQ(s["nodes"][m]["slots"], 4096);
  EXPECT_EQ(s["evicted_keys"], 0);
  EXPECT_GT(s["errors"]["moved"].get<int>(), 0);
  EXPECT_EQ(s["failed_requests"], 0);
  EXPECT_GT(c["impact"]["redirects_per_s"].get<double>(), 0);
  EXPECT_EQ(s["load_balance"]["members"].size(), 4u);
}

TEST(RemoveNode, DrainsTheNodeThenItLeaves) {
  std::string text = kScenario;
  text.replace(text.find(R"({"at_s": 5, "action": "add_node"})"), 33,
               R"({"at_s": 5, "action": "remove_node", "node": "master-3"})");
  const RunOutput out = simulate(load_scenario_text(text, "topo.json"));
  const auto& s = out.summary;
  ASSERT_EQ(s["topology_changes"].size(), 1u);
  EXPECT_EQ(s["topology_changes"][0]["slots_moved"], 5461);
  EXPECT_EQ(s["nodes"][2]["slots"], 0);
  EXPECT_EQ(s["nodes"][2]["keys"], 0);
  EXPECT_EQ(s["nodes"][2]["role"], "down");
  EXPECT_EQ(s["nodes"][0]["slots"].get<int>() + s["nodes"][1]["slots"].get<int>(), 16384);
  EXPECT_EQ(s["failed_requests"], 0);
}

TEST(ClientSharding, AddNodeWithKetamaAndModuloMovesTheAnalyticFraction) {
  for (const auto& [scheme, expected, tol] :
       std::vector<std::tuple<std::string, double, double>>{{"ketama", 0.25, 0.06}, {"modulo", 0.75, 0.02}}) {
    std::string text = kScenario;
    text.replace(text.find(R"("masters": 3})"), 13,
                 R"("masters": 3, "mode": "standalone", "sharding": ")" + scheme + "\"}");
    const RunOutput out = simulate(load_scenario_text(text, "topo.json"));
    const auto& s = out.summary;
    ASSERT_EQ(s["topology_changes"].size(), 1u) << scheme;
    EXPECT_NEAR(s["topology_changes"][0]["moved_keys_fraction"].get<double>(), expected, tol) << scheme;
    EXPECT_EQ(s["topology_changes"][0]["keys_moved"], 0) << scheme;  // nothing migrates: keys miss instead
    EXPECT_EQ(s["errors"]["moved"], 0) << scheme;
    EXPECT_GT(s["nodes"][3]["keys"].get<int>(), 0) << scheme;  // the new server fills through misses
    EXPECT_EQ(s["failed_requests"], 0) << scheme;
  }
}

TEST(TopologyFaults, BadInputIsRefusedWithAPointer) {
  const std::string base = R"({"cachelab": 1, "name": "t", "duration_s": 20, CLUSTER
    "workload": {"arrival": {"rate_per_s": 100}}, "faults": [FAULTS]})";
  auto with = [&](const std::string& cluster, const std::string& f) {
    std::string s = base;
    s.replace(s.find("CLUSTER"), 7, cluster);
    s.replace(s.find("FAULTS"), 6, f);
    return s;
  };
  for (const auto& [cluster, faults, pointer] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"", R"({"at_s": 5, "action": "remove_node", "node": "master-9"})", "/faults/0/node"},
           {"", R"({"at_s": 5, "action": "remove_node", "node": "master-4"}, {"at_s": 9, "action": "add_node"})",
            "/faults/0/node"},  // master-4 joins only later
           {R"("cluster": {"masters": 1},)", R"({"at_s": 5, "action": "remove_node", "node": "master-1"})",
            "/faults/0/node"},  // the last master
           {R"("cluster": {"mode": "standalone", "masters": 1},)", R"({"at_s": 5, "action": "add_node"})", "/faults/0"},
           {R"("cluster": {"replicas_per_master": 1},)", R"({"at_s": 5, "action": "add_node"})", "/faults/0/action"},
           {R"("cluster": {"sharding": "ketama"},)", "", "/cluster/mode"},
           {R"("cluster": {"mode": "standalone", "masters": 3, "sharding": "ketama", "ketama_points_per_server": 10},)",
            "", "/cluster/ketama_points_per_server"},
           {R"("cluster": {"mode": "standalone", "masters": 3},)", "", "/cluster/masters"}}) {
    try {
      load_scenario_text(with(cluster, faults), "t.json");
      ADD_FAILURE() << "accepted " << cluster << faults;
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.issues().at(0).pointer, pointer) << e.what();
    }
  }
}

TEST(TopologyFaults, CliExitsWith2) {
  const auto dir = test::temp_dir("topo-bad");
  const std::string f = test::write_file(dir / "bad.json", R"({"cachelab": 1, "name": "t", "duration_s": 20,
    "workload": {"arrival": {"rate_per_s": 100}}, "faults": [{"at_s": 5, "action": "remove_node", "node": "nope"}]})");
  const auto r = test::run_command(test::cachelab() + " validate " + f);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/faults/0/node"), std::string::npos) << r.out;
  const auto shard = test::run_command(test::cachelab() + " shard --nodes 0");
  EXPECT_EQ(shard.exit_code, 2) << shard.out;
}

TEST(ShardCommand, PrintsTheThreeSchemesWithAnalyticExpectations) {
  const auto r = test::run_command(test::cachelab() + " shard --nodes 4 --keys 50000 --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["schemes"].size(), 3u);
  for (const auto& s : j["schemes"]) {
    const double moved = s["moved_keys_fraction"], expected = s["expected_moved_fraction"];
    EXPECT_NEAR(moved, expected, s["scheme"] == "ketama" ? 0.05 : 0.01) << s["scheme"];
  }
}

}  // namespace
}  // namespace cachelab
