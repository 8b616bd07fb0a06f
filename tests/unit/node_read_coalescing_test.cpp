// A connection's waiting commands are read together (docs/redis-reference.md §9.1): with
// StoreConfig::coalesce_client_reads a command that reached the node before the node read its connection (its client
// instance) for an earlier command costs kPipelinedCommandShare of a service time; the order stays arrival order.
#include <gtest/gtest.h>

#include "cachelab/cluster/node.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

struct CoalesceNode {
  Simulation sim{1};
  std::unique_ptr<RealDist> service = make_dist(json{{"dist", "fixed"}, {"value", 10}});
  std::unique_ptr<Node> node;
  explicit CoalesceNode(bool coalesce) {
    StoreConfig cfg;
    cfg.cluster_mode = false;
    cfg.coalesce_client_reads = coalesce;
    node = std::make_unique<Node>("master-1", 0, cfg, sim.stream("e"), *service, sim.stream("s"));
  }
  // A GET (or a SET of `value_bytes`) from `client` arriving at `arrival_us`: its completion in ns.
  int64_t run(uint16_t client, double arrival_us, uint32_t value_bytes = 0) {
    CacheCommand c;
    c.cmd = value_bytes ? CacheCmd::Set : CacheCmd::Get;
    c.key = client;
    c.client = client;
    c.value_bytes = value_bytes;
    CacheReply reply;
    return node->execute(c, 8, Time::ns(static_cast<int64_t>(arrival_us * 1000)), reply).nanos();
  }
};

}  // namespace

// Service 10 us. A (client 0) at 0 runs 0-10; B (client 1) at 1 waits, the node reads client 1 at 10 and runs B
// 10-20; C (client 1) arrived at 2, before that read: it was in it and costs 5% (20-20.5); D (client 2) at 3 is a
// read of its own (20.5-30.5); E (client 1) at 15 came after the read at 10: a new read, the whole 10 us
// (30.5-40.5). Without coalescing every command costs 10 us.
TEST(NodeReadCoalescing, CommandsThatWaitedForTheSameReadCostABatchsShare) {
  CoalesceNode on(true), off(false);
  EXPECT_EQ(on.run(0, 0), 10000);
  EXPECT_EQ(on.run(1, 1), 20000);
  EXPECT_EQ(on.run(1, 2), 20500);
  EXPECT_EQ(on.run(2, 3), 30500);
  EXPECT_EQ(on.run(1, 15), 40500);
  EXPECT_EQ(off.run(0, 0), 10000);
  EXPECT_EQ(off.run(1, 1), 20000);
  EXPECT_EQ(off.run(1, 2), 30000);
  EXPECT_EQ(off.run(2, 3), 40000);
  EXPECT_EQ(off.run(1, 15), 50000);
}

// An idle node reads each command as it comes: nothing waits, nothing shares a read.
TEST(NodeReadCoalescing, AnIdleNodeReadsEachCommandAlone) {
  CoalesceNode on(true);
  EXPECT_EQ(on.run(1, 0), 10000);
  EXPECT_EQ(on.run(1, 20), 30000);
  EXPECT_EQ(on.run(1, 40), 50000);
}

// One read takes at most 16 KB (PROTO_IOBUF_LEN): two waiting SETs of 10 KB do not fit in one, so the second is a
// read of its own (10 us; a SET's bytes cost nothing here: the node's per-byte costs are 0 in a bare config).
TEST(NodeReadCoalescing, AReadTakesAtMostSixteenKilobytes) {
  CoalesceNode on(true);
  EXPECT_EQ(on.run(0, 0), 10000);
  EXPECT_EQ(on.run(1, 1, 10000), 20000);
  EXPECT_EQ(on.run(1, 2, 10000), 30000);
  EXPECT_EQ(on.run(1, 3, 1000), 30500);  // 10 KB + 1 KB of the second read: fits
}

// The loader turns it on when each client instance has one connection per node (clients.pool_size 0 or 1) and off
// with a larger pool (its connections are not known apart); and in a closed loop of 4 instances x 16 sessions on one
// node, one shared connection per instance gets several times the throughput of one connection per session (a pool
// of 16 per instance), as live mode measured (README.md, Measured: pipelining as batching).
TEST(NodeReadCoalescing, OneConnectionPerInstanceLetsTheNodeBatchWhatWaits) {
  auto text = [](int pool) {
    return R"({"cachelab": 1, "name": "coalesce", "seed": 4, "duration_s": 2, "warmup_s": 1,
      "cluster": {"mode": "standalone", "masters": 1}, "network": {"rtt_us": {"dist": "fixed", "value": 50}},
      "workload": {"keys": 100, "read_fraction": 1, "arrival": {"dist": "closed", "sessions_per_instance": 16}},
      "clients": {"instances": 4, "pool_size": )" +
           std::to_string(pool) + R"(}, "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})";
  };
  EXPECT_TRUE(load_scenario_text(text(0), "c.json").cluster.store.coalesce_client_reads);
  EXPECT_TRUE(load_scenario_text(text(1), "c.json").cluster.store.coalesce_client_reads);
  EXPECT_FALSE(load_scenario_text(text(16), "c.json").cluster.store.coalesce_client_reads);
  const double shared = simulate(load_scenario_text(text(0), "c.json")).summary.at("throughput_per_s").get<double>();
  const double pooled = simulate(load_scenario_text(text(16), "c.json")).summary.at("throughput_per_s").get<double>();
  EXPECT_GT(shared, 3 * pooled) << shared << " " << pooled;
}
