// Replicas with TTLs (issue 21): a master's active expire cycle runs in serverCron, often while its command thread is
// idle, and propagates each expired key as a DEL to its replicas (docs/redis-reference.md §8.1-§8.2: expire.c
// activeExpireCycle -> deleteExpiredKeyAndPropagate). The DEL leaves at the cron's time, not at the end of the
// node's last command: scheduling it at the latter crashed every scenario with replicas and a TTL shorter than the
// run ("event scheduled in the past"). Every fault and feature that combines with replication runs here with TTLs.
#include <gtest/gtest.h>

#include <string>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {

std::string scenario(const std::string& ttl_s, const std::string& faults, const std::string& clients = "{}",
                     const std::string& cluster_extra = "") {
  return R"({"cachelab": 1, "name": "replicas-ttl", "duration_s": 40, "warmup_s": 2, "seed": 7,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 2000)" +
         cluster_extra + R"(},
    "workload": {"keys": 20000, "read_fraction": 0.8, "arrival": {"rate_per_s": 5000},
                 "ttl_s": )" +
         ttl_s + R"(},
    "clients": )" +
         clients + R"(,
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": )" +
         faults + "}";
}

const nlohmann::json& node(const RunOutput& out, const std::string& name) {
  for (const auto& n : out.summary.at("nodes"))
    if (n.at("name") == name) return n;
  throw std::runtime_error("no node " + name);
}

struct Case {
  Case(const char* n, std::string f, std::string c = "{}", std::string x = "")
      : name(n), faults(std::move(f)), clients(std::move(c)), cluster_extra(std::move(x)) {}
  const char* name;
  std::string faults, clients, cluster_extra;
};

}  // namespace

// The repro of the issue: lessons/failover.json with a fixed 60 s TTL crashed at t = 60.4 s.
TEST(ReplicasTtl, FailoverLessonWithSixtySecondTtlRuns) {
  Scenario s = load_scenario_file(std::string(CACHELAB_SOURCE_DIR) + "/scenarios/lessons/failover.json",
                                  {R"(/workload/ttl_s={"dist":"fixed","value":60})", "/duration_s=70"});
  const RunOutput out = simulate(s);
  EXPECT_GT(out.summary.at("requests").get<uint64_t>(), 0u);
  EXPECT_GT(out.summary.at("expired_keys").get<uint64_t>(), 0u);
}

// Without faults a replica follows its master: the master's expired keys reach it as DELs, so it holds what its
// master holds give or take the keys in flight (a replica never expires keys itself; without the DELs it would keep
// every key it was ever sent).
TEST(ReplicasTtl, ReplicasReceiveTheExpiryDels) {
  for (const char* ttl : {R"({"dist": "fixed", "value": 1})", R"({"dist": "fixed", "value": 5})",
                          R"({"dist": "uniform", "min": 1, "max": 10})"}) {
    SCOPED_TRACE(ttl);
    const RunOutput out = simulate(load_scenario_text(scenario(ttl, "[]"), "replicas-ttl.json"));
    EXPECT_GT(out.summary.at("expired_keys").get<uint64_t>(), 1000u);
    for (int m = 1; m <= 3; ++m) {
      const auto master_keys = node(out, "master-" + std::to_string(m)).at("keys").get<double>();
      const auto& replica = node(out, "replica-" + std::to_string(m) + "-1");
      const auto replica_keys = replica.at("keys").get<double>();
      // The last cron's DELs may still be on the wire at the end: repl_lag_bytes counts them (a DEL of a
      // "key:N" name is at least 15 bytes of RESP), plus 1% for SETs and DELs crossing.
      const double in_flight = replica.at("repl_lag_bytes").get<double>() / 15.0;
      EXPECT_GT(master_keys, 0);
      EXPECT_NEAR(replica_keys, master_keys, in_flight + 0.01 * master_keys + 2) << "master-" << m;
    }
  }
}

// Every fault and client feature that combines with replication, with a TTL of 2 s (shorter than the run): the run
// completes, keys expire, and the requests are answered.
TEST(ReplicasTtl, EveryFaultAndFeatureWithReplicationRuns) {
  const std::vector<Case> cases = {
      {"kill+restart", R"([{"at_s": 10, "action": "kill", "node": "master-1"},
                            {"at_s": 25, "action": "restart", "node": "master-1"}])"},
      {"kill replica", R"([{"at_s": 10, "action": "kill", "node": "replica-2-1"},
                           {"at_s": 20, "action": "restart", "node": "replica-2-1"}])"},
      {"pause+resume", R"([{"at_s": 10, "action": "pause", "node": "master-2"},
                           {"at_s": 16, "action": "resume", "node": "master-2"}])"},
      {"partition+heal", R"([{"at_s": 10, "action": "partition", "nodes": "master-1"},
                             {"at_s": 20, "action": "heal"}])"},
      {"failover default", R"([{"at_s": 10, "action": "failover", "node": "replica-1-1"}])"},
      {"failover force", R"([{"at_s": 10, "action": "failover", "node": "replica-1-1", "mode": "force"}])"},
      {"failover takeover", R"([{"at_s": 10, "action": "failover", "node": "replica-3-1", "mode": "takeover"}])"},
      {"slow_node", R"([{"at_s": 10, "action": "slow_node", "node": "master-1", "factor": 20, "duration_s": 5}])"},
      {"link", R"([{"at_s": 10, "action": "link", "nodes": "master-1", "loss": 0.05}])"},
      {"client_crash", R"([{"at_s": 10, "action": "client_crash", "instance": 0}])", R"({"pattern": "write-behind"})"},
      {"stampede lock", "[]", R"({"stampede": {"mode": "lock"}})"},
      {"xfetch", "[]", R"({"stampede": {"mode": "xfetch"}})"},
      {"write-through", "[]", R"({"pattern": "write-through"})"},
      {"min-replicas-to-write", R"([{"at_s": 10, "action": "kill", "node": "replica-1-1"}])", "{}",
       R"(, "min_replicas_to_write": 1)"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    RunOutput out;
    ASSERT_NO_THROW(
        out = simulate(load_scenario_text(
            scenario(R"({"dist": "fixed", "value": 2})", c.faults, c.clients, c.cluster_extra), "replicas-ttl.json")));
    EXPECT_GT(out.summary.at("requests").get<uint64_t>(), 150000u);
    EXPECT_GT(out.summary.at("expired_keys").get<uint64_t>(), 0u);
    EXPECT_GT(out.summary.at("hit_ratio").get<double>(), 0.0);
  }
}
