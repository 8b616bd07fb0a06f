// Process faults on the data plane: a killed node refuses connections (clients fall back to the origin and reload
// their slot maps), a restarted one comes back empty, a paused one makes its clients time out.
#include <gtest/gtest.h>

#include "cachelab/faults/fault.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
size_t col(const SeriesTable& t, const std::string& name) {
  return static_cast<size_t>(std::find(t.columns.begin(), t.columns.end(), name) - t.columns.begin());
}
}  // namespace

TEST(Faults, KillRestartAndPauseShowInErrorsRolesAndKeys) {
  const char* text = R"({"cachelab": 1, "name": "f", "duration_s": 20, "seed": 8,
    "cluster": {"masters": 3},
    "workload": {"keys": 5000, "read_fraction": 0.95, "arrival": {"rate_per_s": 10000}},
    "clients": {"timeout_ms": 200},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": [{"at_s": 5, "action": "kill", "node": "master-2"},
               {"at_s": 10, "action": "restart", "node": "master-2"},
               {"at_s": 14, "action": "pause", "node": "master-3"},
               {"at_s": 16, "action": "resume", "node": "master-3"}]})";
  const RunOutput out = simulate(load_scenario_text(text, "f.json"));
  const auto& t = out.series;
  const size_t role = col(t, "master-2.role"), keys = col(t, "master-2.keys"), conn = col(t, "errors_connection"),
               tmo = col(t, "errors_timeout"), hit = col(t, "hit_ratio");
  for (const auto& row : t.rows) {
    const double at = std::stod(row[0]);
    if (at > 5 && at <= 10) {
      if (at < 10) {
        EXPECT_EQ(row[role], "down") << at;
      }  // the restart at exactly 10 s is inside the row ending at 10
      EXPECT_NE(row[conn], "0") << at;
    }
    if (at == 11) {
      EXPECT_LT(std::stod(row[keys]), 1000) << "a restarted node is empty, then refills";
    }
    if (at > 11 && at <= 14) {
      EXPECT_EQ(row[conn], "0") << at;
    }
    if (at > 14 && at <= 16) {
      EXPECT_NE(row[tmo], "0") << at;
    }
    if (at > 17) {
      EXPECT_EQ(row[tmo], "0") << at;
    }
  }
  EXPECT_EQ(out.summary["failed_requests"], 0) << "reads fall back to the origin";
  EXPECT_EQ(out.summary["invariants"]["violations"], 0) << out.summary["invariants"].dump();
  EXPECT_GT(std::stod(t.rows[4][hit]), std::stod(t.rows[7][hit])) << "the hit ratio drops while a master is down";
  int kills = 0;
  for (const auto& e : out.events) kills += e["type"] == "fault" && e["action"] == "kill";
  EXPECT_EQ(kills, 1);
}

TEST(Faults, UnknownNodeIsRefused) {
  const char* text = R"({"cachelab": 1, "name": "f", "duration_s": 20,
    "workload": {"arrival": {"rate_per_s": 100}},
    "faults": [{"at_s": 5, "action": "kill", "node": "master-4"}]})";
  try {
    load_scenario_text(text, "f.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.issues().at(0).pointer, "/faults/0/node");
  }
}

// The node lists of partition and link: names between commas, empty ones dropped, nothing trimmed (a name with a
// space is then refused by the node-name check).
TEST(Faults, NodeListSplitsOnCommas) {
  EXPECT_EQ(split_node_list("master-1,replica-1-1"), (std::vector<std::string>{"master-1", "replica-1-1"}));
  EXPECT_EQ(split_node_list(",master-2,,"), (std::vector<std::string>{"master-2"}));
  EXPECT_EQ(split_node_list("a, b"), (std::vector<std::string>{"a", " b"}));
  EXPECT_TRUE(split_node_list("").empty());
}

// A paused master answers nothing: its clients see only timeouts, never a MOVED. After its replica is promoted, a
// client must still find the new master, so a timeout also triggers a slot-map reload from another node, as
// redis-py's RedisCluster does (ConnectionError/TimeoutError -> nodes_manager.initialize()) and Jedis does once a
// command's connection attempts fail. Without it the clients would time out until the old master resumed.
TEST(Faults, ClientsFollowAFailoverOfAPausedMasterThroughTimeouts) {
  const char* text = R"({"cachelab": 1, "name": "f", "duration_s": 40, "seed": 3,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 2000},
    "workload": {"keys": 5000, "read_fraction": 0.95, "arrival": {"rate_per_s": 5000}},
    "clients": {"timeout_ms": 200},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": [{"at_s": 5, "action": "pause", "node": "master-1"},
               {"at_s": 35, "action": "resume", "node": "master-1"}]})";
  const RunOutput out = simulate(load_scenario_text(text, "f.json"));
  ASSERT_EQ(out.summary["failovers"].size(), 1u) << out.summary["failovers"].dump();
  const double promoted = out.summary["failovers"][0]["t_promoted_s"].get<double>();
  ASSERT_LT(promoted, 15.0);
  const auto& t = out.series;
  const size_t tmo = col(t, "errors_timeout");
  // One refresh per client instance is enough once the new master owns the slots; give the cluster 3 s to settle
  // (the 2 s writable delay and the CLUSTER SLOTS round trips), then nothing may time out before the resume.
  for (const auto& row : t.rows) {
    const double at = std::stod(row[0]);
    if (at > 5 && at < promoted - 1) {
      EXPECT_NE(row[tmo], "0") << at;
    }
    if (at > promoted + 3 && at <= 35) {
      EXPECT_EQ(row[tmo], "0") << at;
    }
  }
}
