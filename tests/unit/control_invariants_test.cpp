// The invariant checkers the runner installs with the control plane (cluster/control/invariants.hpp), the
// CLUSTERDOWN windows and the per-interval cluster-bus columns.
#include <gtest/gtest.h>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
size_t col(const SeriesTable& t, const std::string& name) {
  return static_cast<size_t>(std::find(t.columns.begin(), t.columns.end(), name) - t.columns.begin());
}
std::string scenario(int replicas, double duration_s, const std::string& faults) {
  return R"({"cachelab": 1, "name": "inv", "duration_s": )" + std::to_string(duration_s) + R"(, "seed": 5,
    "cluster": {"masters": 3, "replicas_per_master": )" +
         std::to_string(replicas) + R"(, "node_timeout_ms": 1000},
    "workload": {"keys": 5000, "read_fraction": 0.8, "arrival": {"rate_per_s": 2000}},
    "clients": {"timeout_ms": 300},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": )" +
         faults + "}";
}
}  // namespace

// A default manual failover, kill + restart, pause + resume (of the new master) and a partition + heal, each
// followed by a failover: no two masters ever claim a slot with one configEpoch, and once everything healed and
// stayed quiet (max(4 x 1 s, 4 s) + 2 s = 6 s) each slot has exactly one master and every node's table agrees.
TEST(ControlInvariants, HoldThroughKillPausePartitionAndManualFailover) {
  const RunOutput out = simulate(load_scenario_text(scenario(1, 40, R"([
      {"at_s": 2, "action": "failover", "node": "replica-2-1"},
      {"at_s": 3, "action": "kill", "node": "master-1"},
      {"at_s": 8, "action": "restart", "node": "master-1"},
      {"at_s": 10, "action": "pause", "node": "replica-2-1"},
      {"at_s": 13, "action": "resume", "node": "replica-2-1"},
      {"at_s": 15, "action": "partition", "nodes": "master-3"},
      {"at_s": 19, "action": "heal"}])"),
                                                    "inv.json"));
  const auto& inv = out.summary["invariants"];
  ASSERT_TRUE(inv.is_object()) << out.summary.dump();
  EXPECT_EQ(inv["violations"], 0) << inv.dump();
  EXPECT_TRUE(inv["ok"].get<bool>());
  EXPECT_GT(inv["epoch_checks"].get<int>(), 300);
  // Healed at 19 s: checked from 25 s on, once a second, plus the end.
  EXPECT_GE(inv["coverage_checks"].get<int>(), 12) << inv.dump();
  EXPECT_GE(out.summary["failovers"].size(), 4u) << out.summary["failovers"].dump();
}

// TAKEOVER bumps the configEpoch without agreement (docs/redis-reference.md §5.4): two replicas of one master, each on
// its own side of a partition, both taking over at once, claim the same slots with the same new epoch. That is the
// split brain the first checker exists for, so it must report it.
TEST(ControlInvariants, TwoTakeoversOnBothSidesOfAPartitionAreReported) {
  const RunOutput out = simulate(load_scenario_text(scenario(2, 12, R"([
      {"at_s": 3, "action": "partition", "nodes": "replica-1-1"},
      {"at_s": 4, "action": "failover", "node": "replica-1-1", "mode": "takeover"},
      {"at_s": 4, "action": "failover", "node": "replica-1-2", "mode": "takeover"}])"),
                                                    "inv.json"));
  const auto& inv = out.summary["invariants"];
  ASSERT_GE(inv["violations"].get<int>(), 1) << inv.dump();
  EXPECT_FALSE(inv["ok"].get<bool>());
  EXPECT_EQ(inv["first"][0]["invariant"], "two_masters_one_epoch");
  EXPECT_GE(inv["first"][0]["slot"].get<int>(), 0);
  EXPECT_LE(inv["first"][0]["slot"].get<int>(), 5460);  // master-1's slots (ref. §1.4)
  bool logged = false;
  for (const auto& e : out.events) logged = logged || e["type"] == "invariant_violation";
  EXPECT_TRUE(logged);
}

// A killed master with replicas: every live master turns CLUSTERDOWN once FAIL spreads (full coverage, ref. §4.5)
// and back after the promotion; summary.clusterdown_windows shows per-node and whole-cluster windows inside
// [t_fail, t_ok]. The bus columns carry the gossip rate.
TEST(ControlInvariants, ClusterDownWindowsAndBusTrafficPerInterval) {
  const RunOutput out = simulate(
      load_scenario_text(scenario(1, 15, R"([{"at_s": 3, "action": "kill", "node": "master-1"}])"), "inv.json"));
  const auto& s = out.summary;
  ASSERT_EQ(s["failovers"].size(), 1u);
  const double t_fail = s["failovers"][0]["t_fail_s"].get<double>(), t_ok = s["failovers"][0]["t_ok_s"].get<double>();
  bool cluster = false;
  for (const auto& w : s["clusterdown_windows"]) {
    ASSERT_FALSE(w["end_s"].is_null()) << w.dump();
    EXPECT_GE(w["start_s"].get<double>(), t_fail - 1e-9) << w.dump();
    // t_ok is when the last live master is ok; a replica hears the promoted node's broadcast PONG a bus delay later.
    EXPECT_LE(w["end_s"].get<double>(), t_ok + 0.1) << w.dump();
    EXPECT_NEAR(w["duration_s"].get<double>(), w["end_s"].get<double>() - w["start_s"].get<double>(), 1e-9);
    cluster = cluster || w["node"] == "cluster";
  }
  EXPECT_TRUE(cluster) << s["clusterdown_windows"].dump();
  EXPECT_EQ(s["invariants"]["violations"], 0);
  const size_t msgs = col(out.series, "bus_messages_per_s"), bytes = col(out.series, "bus_bytes_per_s");
  ASSERT_LT(bytes, out.series.columns.size());
  double total = 0;
  for (const auto& row : out.series.rows) {
    EXPECT_GT(std::stod(row[msgs]), 0);
    EXPECT_GT(std::stod(row[bytes]), std::stod(row[msgs]) * 100);  // a PING/PONG is over 2 KB with its header
    total += std::stod(row[msgs]);
  }
  const double per_s = s["cluster_bus"]["messages_per_s"].get<double>();
  EXPECT_NEAR(total / static_cast<double>(out.series.rows.size()), per_s, 0.01 * per_s);
}

// Without the control plane the columns exist and are zero, and there is nothing to check.
TEST(ControlInvariants, NoControlPlaneMeansZeroBusColumnsAndNoChecks) {
  const RunOutput out = simulate(load_scenario_text(scenario(0, 3, "[]"), "inv.json"));
  const size_t msgs = col(out.series, "bus_messages_per_s"), bytes = col(out.series, "bus_bytes_per_s");
  ASSERT_LT(bytes, out.series.columns.size());
  for (const auto& row : out.series.rows) {
    EXPECT_EQ(row[msgs], "0");
    EXPECT_EQ(row[bytes], "0");
  }
  EXPECT_TRUE(out.summary["invariants"].is_null());
  EXPECT_TRUE(out.summary["clusterdown_windows"].empty());
  EXPECT_EQ(out.summary["errors"]["noreplicas"], 0);
}
