// The `link` and `slow_node` faults (issue 5 "Faults on the timeline"), and the flat mesh they act on: hosts do not
// relay, so a slowed or downed direct link is not bypassed through a third node.
#include <gtest/gtest.h>

#include "cachelab/faults/fault.hpp"
#include "cachelab/net/topology.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
const nlohmann::json kFixed100 = {{"dist", "fixed"}, {"value", 100}};
const nlohmann::json kFixed5000 = {{"dist", "fixed"}, {"value", 5000}};
}  // namespace

TEST(TopologyLinks, FlatMeshKeepsTheDirectLinkWhenItIsSlowedOrDown) {
  Topology t = Topology::flat(4, kFixed100);
  Rng rng = Rng::stream(1, "t");
  EXPECT_TRUE(t.change_link(0, 1, &kFixed5000, nullptr));
  EXPECT_DOUBLE_EQ(t.mean_latency_us(0, 1), 5000);  // not 200 via host 2
  EXPECT_EQ(t.sample(0, 1, kChannelBus, rng).delay, Time::us(5000));
  EXPECT_EQ(t.sample(1, 0, kChannelBus, rng).delay, Time::us(100));  // one direction only
  const double all_lost = 1.0;
  EXPECT_TRUE(t.change_link(1, 0, nullptr, &all_lost));
  EXPECT_FALSE(t.sample(1, 0, kChannelBus, rng).delivered);
  EXPECT_DOUBLE_EQ(t.mean_latency_us(1, 0), 100);  // latency kept when only the loss changes
  t.set_link_up(2, 3, false);
  EXPECT_FALSE(t.reachable(2, 3, kChannelBus));
  EXPECT_FALSE(t.sample(2, 3, kChannelBus, rng).delivered);
}

TEST(FaultsLinkSlow, RegisteredAndCheckedWithPointers) {
  ASSERT_NE(FaultRegistry::instance().find("link"), nullptr);
  ASSERT_NE(FaultRegistry::instance().find("slow_node"), nullptr);
  const char* text = R"({"cachelab": 1, "name": "f", "duration_s": 5, "seed": 8,
    "cluster": {"masters": 3, "replicas_per_master": 1},
    "workload": {"keys": 1000, "arrival": {"rate_per_s": 1000}},
    "faults": [{"at_s": 1, "action": "link", "nodes": "master-1"}]})";
  try {
    load_scenario_text(text, "f.json");
    FAIL() << "a link fault that changes nothing must be refused";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("/faults/0/latency_us"), std::string::npos) << e.what();
  }
}

TEST(FaultsLinkSlow, SlowNodeRaisesLatencyUntilItsEndAndLinkLossDelaysNothingWithoutFaults) {
  auto run = [](const std::string& faults) {
    const std::string text = R"({"cachelab": 1, "name": "f", "duration_s": 30, "seed": 3,
      "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 2000,
                  "service_us": {"dist": "fixed", "value": 50}},
      "workload": {"keys": 2000, "read_fraction": 0.9, "arrival": {"rate_per_s": 2000}},
      "faults": )" + faults + "}";
    return simulate(load_scenario_text(text, "f.json"));
  };
  const RunOutput base = run("[]");
  const RunOutput slow = run(R"([{"at_s": 5, "action": "slow_node", "node": "master-1", "factor": 40, "duration_s": 10},
                                  {"at_s": 8, "action": "link", "nodes": "master-2", "latency_us": {"dist": "fixed", "value": 20000}}])");
  EXPECT_GT(slow.summary.at("latency_us").at("p99").get<double>(),
            base.summary.at("latency_us").at("p99").get<double>());
  int slow_rows = 0, link_rows = 0;
  for (const auto& e : slow.events) {
    if (e.at("type") == "slow_node") ++slow_rows;
    if (e.at("type") == "link") ++link_rows;
  }
  EXPECT_EQ(slow_rows, 2);  // start, and end after 10 s
  EXPECT_EQ(link_rows, 1);
  // 20 ms one-way on master-2's links is far below node_timeout: no failover.
  EXPECT_TRUE(slow.summary.at("failovers").empty());
  // The invariant checkers run with the control plane (cluster/control/invariants.hpp).
  EXPECT_EQ(base.summary.at("invariants").at("violations"), 0);
  EXPECT_EQ(slow.summary.at("invariants").at("violations"), 0) << slow.summary.at("invariants").dump();
}
