// Asynchronous replication (docs/redis-reference.md §6): replicas apply the master's stream in order after a
// delay; offsets count RESP bytes; acknowledged writes beyond a replica's offset are what a promotion would lose.
#include <gtest/gtest.h>

#include "cachelab/cluster/replication.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

TEST(Replication, OffsetsCountRespBytes) {
  // *3\r\n $3\r\nSET\r\n $1\r\nk\r\n $3\r\nabc\r\n = 4 + 9 + 7 + 9, counted by hand.
  EXPECT_EQ(Replication::resp_bytes(ReplOp{ReplOp::Kind::Set, 0, 1, 3, -1, 0}), 29u);
  // *2\r\n $3\r\nDEL\r\n $1\r\nk\r\n = 4 + 9 + 7.
  EXPECT_EQ(Replication::resp_bytes(ReplOp{ReplOp::Kind::Del, 0, 1, 0, -1, 0}), 20u);
  // SET k abc PXAT 1700000000000: + $4\r\nPXAT\r\n (10) + $13\r\n1700000000000\r\n (20).
  EXPECT_EQ(Replication::resp_bytes(ReplOp{ReplOp::Kind::Set, 0, 1, 3, 1700000000000, 0}), 59u);
}

TEST(Replication, ReplicaAppliesTheStreamInOrderAndPromotionLossIsTheUnappliedTail) {
  Simulation sim(1);
  auto svc = make_dist({{"dist", "fixed"}, {"value", 5}});
  StoreConfig cfg;
  StoreConfig rcfg = cfg;
  rcfg.master = false;
  std::vector<Node> nodes;
  nodes.reserve(2);
  nodes.emplace_back("master-1", 0, cfg, sim.stream("a"), *svc, sim.stream("b"));
  nodes.emplace_back("replica-1-1", 1, rcfg, sim.stream("c"), *svc, sim.stream("d"));
  nodes[1].make_replica_of(0);
  for (int s = 0; s < 16384; ++s) nodes[0].set_owner(s, 0);
  // A wide delay spread: without FIFO delivery a DEL could overtake its SET.
  Network link({{"dist", "uniform"}, {"min", 100}, {"max", 20000}}, sim.stream("link"));
  Replication repl(sim, nodes, link);
  nodes[0].attach_replication(&repl);
  CacheReply reply;
  for (uint64_t k = 0; k < 1000; ++k) {
    CacheCommand set{.key = k, .ttl_ms = -1, .value_bytes = 100, .cmd = CacheCmd::Set};
    nodes[0].execute(set, 8, Time::us(static_cast<int64_t>(k)), reply);
    ASSERT_EQ(reply.kind, ReplyKind::Ok);
    if (k % 2) {
      CacheCommand del{.key = k, .ttl_ms = -1, .cmd = CacheCmd::Del};
      nodes[0].execute(del, 8, Time::us(static_cast<int64_t>(k)), reply);
    }
  }
  // Nothing delivered yet: a promotion now would lose every acknowledged write (1000 SETs + 500 DELs).
  EXPECT_EQ(repl.lost_if_promoted(0, 1), 1500u);
  sim.run_until(Time::s(1));
  EXPECT_EQ(repl.lost_if_promoted(0, 1), 0u);
  EXPECT_EQ(nodes[1].repl_offset(), nodes[0].repl_offset());
  EXPECT_EQ(nodes[1].store().keys(), 500u);
  EXPECT_EQ(nodes[1].store().keys(), nodes[0].store().keys());
  for (uint64_t k = 0; k < 1000; ++k) EXPECT_EQ(nodes[1].store().exists(k, Time::s(1)), k % 2 == 0) << k;
}

TEST(Replication, EvictionsReachReplicasAsDeletes) {
  const char* text = R"({"cachelab": 1, "name": "repl", "duration_s": 10, "seed": 2,
    "cluster": {"masters": 3, "replicas_per_master": 1, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": 100000, "read_fraction": 0.9, "arrival": {"rate_per_s": 20000}},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}}})";
  const RunOutput out = simulate(load_scenario_text(text, "repl.json"));
  const auto& nodes = out.summary["nodes"];
  ASSERT_EQ(nodes.size(), 6u);
  EXPECT_GT(out.summary["evicted_keys"].get<uint64_t>(), 0u);
  EXPECT_EQ(out.summary["invariants"]["violations"], 0);  // the control plane runs with replicas
  for (int m = 0; m < 3; ++m) {
    const auto& master = nodes[m];
    const auto& replica = nodes[3 + m];
    EXPECT_EQ(replica["role"], "replica");
    EXPECT_EQ(replica["master"], master["name"]);
    EXPECT_EQ(replica["evicted_keys"], 0) << "replicas do not evict by themselves";
    // At the end only the last few milliseconds of the stream are in flight.
    EXPECT_NEAR(replica["keys"].get<double>(), master["keys"].get<double>(), 60);
    EXPECT_LT(replica["repl_lag_bytes"].get<double>(), 64 * 1024.0);
  }
}

// A master whose slots were taken over (its replica promoted with a newer epoch) may still acknowledge writes until it
// learns so; it then rejoins through a full resync that discards them (§2.5, §6, §6.1), so each one is lost.
TEST(Replication, WritesASupersededMasterAcknowledgesAreCountedUntilItIsDemoted) {
  Simulation sim(1);
  auto svc = make_dist({{"dist", "fixed"}, {"value", 5}});
  StoreConfig cfg;
  std::vector<Node> nodes;
  nodes.reserve(2);
  nodes.emplace_back("master-1", 0, cfg, sim.stream("a"), *svc, sim.stream("b"));
  nodes.emplace_back("master-2", 1, cfg, sim.stream("c"), *svc, sim.stream("d"));
  for (int s = 0; s < 16384; ++s) nodes[0].set_owner(s, 0);
  Network link({{"dist", "fixed"}, {"value", 100}}, sim.stream("link"));
  Replication repl(sim, nodes, link);
  nodes[0].attach_replication(&repl);
  CacheReply reply;
  auto write = [&](uint64_t k) {
    CacheCommand set{.key = k, .ttl_ms = -1, .value_bytes = 100, .cmd = CacheCmd::Set};
    nodes[0].execute(set, 8, Time::us(static_cast<int64_t>(k)), reply);
    ASSERT_EQ(reply.kind, ReplyKind::Ok);
  };
  for (uint64_t k = 0; k < 10; ++k) write(k);
  EXPECT_EQ(repl.acked_while_superseded(), 0u);
  repl.superseded(0);
  for (uint64_t k = 10; k < 17; ++k) write(k);
  EXPECT_EQ(repl.acked_while_superseded(), 7u);
  nodes[0].make_replica_of(1);  // the UPDATE arrived: it follows the new master and accepts no more writes
  repl.rebuild();
  EXPECT_EQ(repl.acked_while_superseded(), 7u);
}

// End to end: CLUSTER FAILOVER (default) pauses the master's clients until the replica has its offset, so nothing is
// lost (§5.4); TAKEOVER promotes at once, without the master's agreement, so writes in flight and those the old
// master acknowledges before the UPDATE reaches it are lost.
TEST(Replication, ManualFailoverDefaultLosesNothingTakeoverLosesWrites) {
  auto run = [](const std::string& mode) {
    const std::string text = R"({"cachelab": 1, "name": "mf", "duration_s": 20, "seed": 5,
      "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 2000},
      "workload": {"keys": 20000, "read_fraction": 0.5, "arrival": {"rate_per_s": 20000}},
      "clients": {"pattern": "write-through"},
      "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
      "faults": [{"at_s": 10, "action": "failover", "node": "replica-1-1", "mode": ")" +
                             mode + R"("}]})";
    return simulate(load_scenario_text(text, "mf.json")).summary;
  };
  const auto dflt = run("default");
  const auto takeover = run("takeover");
  ASSERT_EQ(dflt["failovers"].size(), 1u);
  ASSERT_EQ(takeover["failovers"].size(), 1u);
  EXPECT_EQ(dflt["writes_lost"], 0) << dflt["failovers"].dump();
  EXPECT_GT(takeover["writes_lost"].get<int>(), 0) << takeover["failovers"].dump();
}
