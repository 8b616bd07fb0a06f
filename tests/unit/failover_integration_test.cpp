// The control plane driving the data plane (docs/redis-reference.md §4-§6): a killed master is failed over to
// its replica within Redis's timing bounds, clients follow the new master, the cluster refuses commands while a
// slot has no master (full coverage), writes in the replication window are lost, and a restarted node comes back
// as a replica after a full sync.
#include <gtest/gtest.h>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
size_t col(const SeriesTable& t, const std::string& name) {
  return static_cast<size_t>(std::find(t.columns.begin(), t.columns.end(), name) - t.columns.begin());
}
std::string scenario(int nt_ms, const std::string& rtt, double read_fraction, int seed,
                     const std::string& faults = R"([{"at_s": 10, "action": "kill", "node": "master-1"},
               {"at_s": 35, "action": "restart", "node": "master-1"}])") {
  return R"({"cachelab": 1, "name": "fo", "duration_s": 45, "warmup_s": 2, "seed": )" + std::to_string(seed) + R"(,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": )" +
         std::to_string(nt_ms) + R"(},
    "network": {"rtt_us": )" +
         rtt + R"(},
    "workload": {"keys": 20000, "read_fraction": )" +
         std::to_string(read_fraction) + R"(,
                 "arrival": {"rate_per_s": 10000}},
    "clients": {"timeout_ms": 500},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": )" +
         faults + "}";
}
}  // namespace

TEST(FailoverIntegration, KilledMasterIsReplacedWithinRedisTimingAndClientsFollow) {
  const int nt = 5000;
  const RunOutput out = simulate(
      load_scenario_text(scenario(nt, R"({"dist": "lognormal", "median": 250, "p99": 900})", 0.9, 3), "fo.json"));
  const auto& s = out.summary;
  ASSERT_EQ(s["failovers"].size(), 1u) << s["failovers"].dump();
  const auto& f = s["failovers"][0];
  EXPECT_EQ(f["node"], "master-1");
  EXPECT_EQ(f["new_master"], "replica-1-1");
  const double promoted = f["t_promoted_s"].get<double>() - f["t_kill_s"].get<double>();
  // PFAIL needs node_timeout; then FAIL by a majority, then 500-1000 ms of election delay (ref. §4, §5.1, §5.6).
  EXPECT_GE(promoted, nt / 1000.0 + 0.5);
  EXPECT_LE(promoted, 2 * nt / 1000.0 + 1.3);
  EXPECT_LE(f["t_pfail_s"].get<double>(), f["t_fail_s"].get<double>());
  EXPECT_LE(f["t_fail_s"].get<double>(), f["t_promoted_s"].get<double>());
  // While master-1's slots have no master, full coverage stops the cluster: CLUSTERDOWN, then recovery.
  EXPECT_GT(s["errors"]["clusterdown"].get<int>(), 0);
  EXPECT_GT(s["errors"]["connection"].get<int>(), 0);
  const auto& t = out.series;
  const size_t conn = col(t, "errors_connection"), down = col(t, "errors_clusterdown");
  const double t_ok = f["t_ok_s"].get<double>();
  for (const auto& row : t.rows) {
    const double at = std::stod(row[0]);
    if (at > t_ok + 2 && at < 35) {
      EXPECT_EQ(row[conn], "0") << "clients still use the dead master at " << at;
      EXPECT_EQ(row[down], "0") << at;
    }
  }
  // The restarted master rejoins as a replica of its replacement and is filled by a full sync.
  const auto& m1 = s["nodes"][0];
  EXPECT_EQ(m1["role"], "replica");
  EXPECT_EQ(m1["master"], "replica-1-1");
  EXPECT_GT(m1["keys"].get<int>(), 0);
  EXPECT_EQ(s["nodes"][3]["role"], "master");
  EXPECT_EQ(s["nodes"][3]["slots"], 5461);
  EXPECT_EQ(s["failed_requests"], 0) << "reads fall back to the origin during the outage";
  bool synced = false;
  for (const auto& e : out.events) synced = synced || (e["type"] == "full_sync_done" && e["node"] == "master-1");
  EXPECT_TRUE(synced);
  EXPECT_GT(s["cluster_bus"]["messages"].get<int>(), 0);
  // Availability: the share of requests the cache answered. From the kill to FAIL only master-1's third of the
  // keyspace is unreachable; from FAIL until the cluster is ok again, every request gets CLUSTERDOWN.
  const double degraded = 1.0 - s["availability"].get<double>();
  const double t_fail = f["t_fail_s"].get<double>();
  const double expected = ((t_fail - 10.0) / 3.0 + (t_ok - t_fail)) / s["measured_s"].get<double>();
  EXPECT_NEAR(degraded, expected, 0.35 * expected) << "degraded " << degraded << " expected about " << expected;
  EXPECT_EQ(s["invariants"]["violations"], 0) << s["invariants"].dump();
}

TEST(FailoverIntegration, WithoutFaultsEveryRequestIsAnswered) {
  std::string text = scenario(5000, R"({"dist": "lognormal", "median": 250, "p99": 900})", 0.9, 3, "[]");
  text.insert(text.rfind('}'), R"(, "slo": {"availability_min": 0.999})");
  const RunOutput out = simulate(load_scenario_text(text, "fo.json"));
  EXPECT_EQ(out.summary["availability"], 1.0);
  EXPECT_TRUE(out.summary["slo"][0]["pass"].get<bool>());
  EXPECT_EQ(out.summary["invariants"]["violations"], 0);
  EXPECT_GE(out.summary["invariants"]["coverage_checks"].get<int>(), 44) << "no fault: checked every second";
  EXPECT_TRUE(out.summary["clusterdown_windows"].empty());
  // With min-replicas-to-write on and healthy replicas that ACK every second, no write is ever refused.
  const std::string key = R"("replicas_per_master": 1,)";
  text.replace(text.find(key), key.size(), key + R"( "min_replicas_to_write": 1, "min_replicas_max_lag_s": 1,)");
  const RunOutput on = simulate(load_scenario_text(text, "fo.json"));
  EXPECT_EQ(on.summary["errors"]["noreplicas"], 0);
  EXPECT_EQ(on.summary["availability"], 1.0);
}

// A master cut off from the rest of the cluster (clients still reach it) keeps acknowledging writes until its own
// view turns to "cluster down" (node_timeout after the cut, minority side, ref. §4.5, §6.1); its replica on the
// majority side is promoted and never received those writes: they are lost. Bounded by master-1's write rate
// times that window.
TEST(FailoverIntegration, WritesAcknowledgedByAPartitionedMasterAreLost) {
  const int nt = 3000;
  const RunOutput out = simulate(load_scenario_text(
      scenario(nt, R"({"dist": "lognormal", "median": 250, "p99": 900})", 0.5, 4,
               R"([{"at_s": 10, "action": "partition", "nodes": "master-1"}, {"at_s": 30, "action": "heal"}])"),
      "fo.json"));
  const auto& s = out.summary;
  ASSERT_EQ(s["failovers"].size(), 1u) << s["failovers"].dump();
  EXPECT_EQ(s["failovers"][0]["new_master"], "replica-1-1");
  const double lost = s["writes_lost"].get<double>();
  const double writes_per_s = s["writes_acknowledged"].get<double>() / s["measured_s"].get<double>();
  EXPECT_GT(lost, writes_per_s / 3 * (nt / 1000.0) * 0.3) << "lost " << lost;
  EXPECT_LT(lost, writes_per_s / 3 * (1.5 * nt / 1000.0) * 1.5) << "lost " << lost;
  // After the heal the old master is demoted and resynchronised.
  EXPECT_EQ(s["nodes"][0]["role"], "replica");
  EXPECT_EQ(s["invariants"]["violations"], 0) << s["invariants"].dump();
  EXPECT_GT(s["invariants"]["coverage_checks"].get<int>(), 0) << "healed at 30 s, quiet from 44 s";
}

// min-replicas-to-write 1 with a 1 s max lag (ref. §0, §6.1 item 4): once master-1's replica has not acknowledged
// for over a second (REPLCONF ACK every second, §6), master-1 answers writes with -NOREPLICAS instead of
// acknowledging them, so far fewer acknowledged writes are lost than with the knob off (where master-1 accepts them
// until it sees the cluster down, about node_timeout). The refused writes show up as `noreplicas` errors.
TEST(FailoverIntegration, MinReplicasToWriteCutsTheWritesAPartitionedMasterLoses) {
  const int nt = 3000;
  const std::string faults =
      R"([{"at_s": 10, "action": "partition", "nodes": "master-1"}, {"at_s": 30, "action": "heal"}])";
  const std::string rtt = R"({"dist": "lognormal", "median": 250, "p99": 900})";
  const std::string off_text = scenario(nt, rtt, 0.5, 4, faults);
  std::string on_text = off_text;
  const std::string key = R"("replicas_per_master": 1,)";
  on_text.replace(on_text.find(key), key.size(), key + R"( "min_replicas_to_write": 1, "min_replicas_max_lag_s": 1,)");
  const RunOutput off = simulate(load_scenario_text(off_text, "fo.json"));
  const RunOutput on = simulate(load_scenario_text(on_text, "fo.json"));
  const double lost_off = off.summary["writes_lost"].get<double>(), lost_on = on.summary["writes_lost"].get<double>();
  EXPECT_GT(lost_off, 0);
  EXPECT_LT(lost_on, 0.6 * lost_off) << "on " << lost_on << " off " << lost_off;
  EXPECT_EQ(off.summary["errors"]["noreplicas"], 0);
  const double refused = on.summary["errors"]["noreplicas"].get<double>();
  const double writes_per_s = on.summary["writes"].get<double>() / on.summary["measured_s"].get<double>();
  // At least master-1's share of the writes from ~2 s after the cut until its own view is CLUSTERDOWN (~NT).
  EXPECT_GT(refused, writes_per_s / 3 * (nt / 1000.0 - 2.0) * 0.5) << "refused " << refused;
  // Refusals are counted per interval too, and none happen before the partition.
  const size_t c = col(on.series, "errors_noreplicas");
  ASSERT_LT(c, on.series.columns.size());
  for (const auto& row : on.series.rows)
    if (std::stod(row[0]) <= 10) {
      EXPECT_EQ(row[c], "0") << row[0];
    }
  EXPECT_EQ(on.summary["invariants"]["violations"], 0);
  EXPECT_EQ(off.summary["invariants"]["violations"], 0);
}

TEST(FailoverIntegration, WritesLostSloFailsWhenWritesAreLost) {
  const int nt = 3000;
  std::string text =
      scenario(nt, R"({"dist": "lognormal", "median": 250, "p99": 900})", 0.5, 4,
               R"([{"at_s": 10, "action": "partition", "nodes": "master-1"}, {"at_s": 30, "action": "heal"}])");
  text.insert(text.rfind('}'), R"(, "slo": {"writes_lost_max": 0})");
  const RunOutput out = simulate(load_scenario_text(text, "fo.json"));
  ASSERT_EQ(out.summary["slo"].size(), 1u);
  EXPECT_EQ(out.summary["slo"][0]["name"], "writes_lost_max");
  EXPECT_FALSE(out.summary["slo"][0]["pass"].get<bool>());
  EXPECT_EQ(out.summary["slo"][0]["value"].get<double>(), out.summary["writes_lost"].get<double>());
}

TEST(FailoverIntegration, ReshardWithTheControlPlaneIsRefusedUpFront) {
  const std::string text = R"({"cachelab": 1, "name": "x", "duration_s": 20,
    "cluster": {"replicas_per_master": 1}, "workload": {"arrival": {"rate_per_s": 100}},
    "faults": [{"at_s": 5, "action": "reshard", "from": "master-1", "to": "master-2", "count": 10}]})";
  try {
    load_scenario_text(text, "x.json");
    FAIL();
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.issues().at(0).pointer, "/faults/0/action");
  }
}
