// A connection's waiting commands are read together (docs/redis-reference.md §9.1): with
// StoreConfig::coalesce_client_reads a command that reached the node before the node read its connection (its client
// instance, and with a pool the pooled connection CacheCommand::conn) for an earlier command costs
// kPipelinedCommandShare of a service time; the order stays arrival order.
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
  explicit CoalesceNode(bool coalesce, uint32_t pool = 1) {
    StoreConfig cfg;
    cfg.cluster_mode = false;
    cfg.coalesce_client_reads = coalesce;
    cfg.connections_per_instance = pool;
    node = std::make_unique<Node>("master-1", 0, cfg, sim.stream("e"), *service, sim.stream("s"));
  }
  // A GET (or a SET of `value_bytes`) from `client` arriving at `arrival_us`: its completion in ns.
  int64_t run(uint16_t client, double arrival_us, uint32_t value_bytes = 0, uint16_t conn = 0) {
    CacheCommand c;
    c.conn = conn;
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

// With a pool, a connection is (instance, pooled connection): two pooled connections of one instance are read apart,
// and two commands waiting on the same pooled connection are read together. Pool of 2: A (instance 0, conn 0) at 0
// runs 0-10; B (0, 1) at 1 is a read of its own (10-20); C (0, 1) at 2 waited for the same read as B (20-20.5); D (1,
// 1) at 3 is another instance's connection (20.5-30.5); E (0, 0) at 4: connection 0 was read at 0, a new read
// (30.5-40.5).
TEST(NodeReadCoalescing, PooledConnectionsAreReadApart) {
  CoalesceNode on(true, 2);
  EXPECT_EQ(on.run(0, 0, 0, 0), 10000);
  EXPECT_EQ(on.run(0, 1, 0, 1), 20000);
  EXPECT_EQ(on.run(0, 2, 0, 1), 20500);
  EXPECT_EQ(on.run(1, 3, 0, 1), 30500);
  EXPECT_EQ(on.run(0, 4, 0, 0), 40500);
}

// The loader turns it on and tells the node the pool's size; in a closed loop of 4 instances x 16 sessions on one
// node, one shared connection per instance gets several times the throughput of one connection per session (a pool
// of 16 per instance, pipeline 1: a pooled connection never has a second command waiting), as live mode measured
// (README.md, Measured: pipelining as batching). A pool of 4 connections with 4 commands in flight on each (the same
// 16 in flight per instance) lies between: what waits on one connection is read together.
TEST(NodeReadCoalescing, OneConnectionPerInstanceLetsTheNodeBatchWhatWaits) {
  auto text = [](int pool, int pipeline) {
    return R"({"cachelab": 1, "name": "coalesce", "seed": 4, "duration_s": 2, "warmup_s": 1,
      "cluster": {"mode": "standalone", "masters": 1}, "network": {"rtt_us": {"dist": "fixed", "value": 50}},
      "workload": {"keys": 100, "read_fraction": 1, "arrival": {"dist": "closed", "sessions_per_instance": 16}},
      "clients": {"instances": 4, "pool_size": )" +
           std::to_string(pool) + R"(, "pipeline": )" + std::to_string(pipeline) +
           R"(}, "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})";
  };
  for (const int pool : {0, 1, 16}) {
    const StoreConfig store = load_scenario_text(text(pool, 1), "c.json").cluster.store;
    EXPECT_TRUE(store.coalesce_client_reads) << pool;
    EXPECT_EQ(store.connections_per_instance, pool > 1 ? static_cast<uint32_t>(pool) : 1u) << pool;
  }
  auto throughput = [&](int pool, int pipeline) {
    return simulate(load_scenario_text(text(pool, pipeline), "c.json")).summary.at("throughput_per_s").get<double>();
  };
  const double shared = throughput(0, 1), pooled = throughput(16, 1), pipelined = throughput(4, 4);
  EXPECT_GT(shared, 3 * pooled) << shared << " " << pooled;
  EXPECT_GT(pipelined, 1.5 * pooled) << pipelined << " " << pooled;
  EXPECT_LT(pipelined, shared) << pipelined << " " << shared;
}
