// Topology: shortest paths by mean latency, sampled per link; partitions (groups, one-way, bus-only) and heal.
#include <gtest/gtest.h>

#include "cachelab/net/topology.hpp"

namespace cachelab {
namespace {

nlohmann::json fixed_us(double v) { return {{"dist", "fixed"}, {"value", v}}; }

TEST(Topology, ShortestPathByMeanLatency) {
  Topology t(3);
  t.add_link(0, 1, fixed_us(100));
  t.add_link(1, 2, fixed_us(100));
  t.add_link(0, 2, fixed_us(500));
  Rng rng(1);
  EXPECT_DOUBLE_EQ(t.mean_latency_us(0, 2), 200.0);
  EXPECT_EQ(t.sample_delay(0, 2, rng), Time::us(200));
  EXPECT_EQ(t.path(0, 2), (std::vector<int>{0, 1, 2}));
  // Taking the middle link down leaves the direct one.
  t.set_link_up(1, 2, false);
  EXPECT_EQ(t.sample_delay(0, 2, rng), Time::us(500));
  t.set_link_up(1, 2, true);
  EXPECT_EQ(t.sample_delay(2, 0, rng), Time::us(200));
}

TEST(Topology, RackedPathsCrossSwitches) {
  // Hosts 0,1 in rack 0 and host 2 in rack 1; racks in zones 0 and 1.
  Topology t = Topology::racked({0, 0, 1}, {0, 1}, fixed_us(10), fixed_us(20), fixed_us(100));
  Rng rng(2);
  EXPECT_EQ(t.sample_delay(0, 1, rng), Time::us(20));                             // host-rack-host
  EXPECT_EQ(t.sample_delay(0, 2, rng), Time::us(10 + 20 + 100 + 100 + 20 + 10));  // up to the core and down
}

TEST(Topology, FlatSamplesTheDistributionPerMessage) {
  Topology t = Topology::flat(4, {{"dist", "uniform"}, {"min", 100}, {"max", 300}});
  Rng rng(3);
  double sum = 0;
  for (int k = 0; k < 2000; ++k) {
    const Delivery d = t.sample(1, 3, kChannelBus, rng);
    ASSERT_TRUE(d.delivered);
    ASSERT_GE(d.delay, Time::us(100));
    ASSERT_LE(d.delay, Time::us(300));
    sum += d.delay.micros();
  }
  EXPECT_NEAR(sum / 2000, 200.0, 5.0);
}

TEST(Topology, PartitionBlocksAndHealRestores) {
  Topology t = Topology::flat(4, fixed_us(50));
  t.partition({{0, 1}, {2, 3}});
  EXPECT_TRUE(t.reachable(0, 1, kChannelBus));
  EXPECT_FALSE(t.reachable(0, 2, kChannelBus));
  EXPECT_FALSE(t.reachable(3, 1, kChannelClient));
  Rng rng(4);
  EXPECT_FALSE(t.sample(0, 3, kChannelReplication, rng).delivered);
  t.heal();
  EXPECT_TRUE(t.reachable(0, 2, kChannelBus));
  EXPECT_TRUE(t.sample(0, 3, kChannelReplication, rng).delivered);
}

TEST(Topology, OneWayAndBusOnlyCuts) {
  Topology t = Topology::flat(3, fixed_us(50));
  t.cut({0}, {1}, kChannelAll);
  EXPECT_FALSE(t.reachable(0, 1, kChannelBus));
  EXPECT_TRUE(t.reachable(1, 0, kChannelBus));
  t.heal();
  t.partition({{0}, {1, 2}}, kChannelBus);
  EXPECT_FALSE(t.reachable(0, 2, kChannelBus));
  EXPECT_TRUE(t.reachable(0, 2, kChannelClient));
  EXPECT_TRUE(t.reachable(2, 0, kChannelReplication));
}

TEST(Topology, LossDropsThatShareOfMessages) {
  Topology t(2);
  t.add_link(0, 1, fixed_us(50), 0.25);
  Rng rng(5);
  int delivered = 0;
  for (int k = 0; k < 4000; ++k) delivered += t.sample(0, 1, kChannelBus, rng).delivered;
  EXPECT_NEAR(delivered / 4000.0, 0.75, 0.03);
}

TEST(Topology, NoPathIsUnreachable) {
  Topology t(3);
  t.add_link(0, 1, fixed_us(10));
  EXPECT_FALSE(t.reachable(0, 2, kChannelBus));
  Rng rng(6);
  EXPECT_EQ(t.sample_delay(0, 2, rng), Time::max());
}

TEST(Topology, UngroupedHostsAreCutOnlyWhenListed) {
  // Nodes 0..2, then two client machines: a partition of the nodes leaves the clients reaching both sides, unless it
  // lists them.
  Topology t = Topology::flat(3, fixed_us(50));
  const int c0 = t.add_host("client-0", false), c1 = t.add_host("client-1", false);
  t.partition({{0}});
  EXPECT_FALSE(t.reachable(0, 1, kChannelBus));
  EXPECT_FALSE(t.cut_blocks(c0, 0, kChannelClient));
  EXPECT_FALSE(t.cut_blocks(c1, 2, kChannelClient));
  t.heal();
  t.partition({{0, c0}, {1, 2, c1}}, kChannelClient);
  EXPECT_FALSE(t.cut_blocks(c0, 0, kChannelClient));
  EXPECT_TRUE(t.cut_blocks(c0, 1, kChannelClient));
  EXPECT_TRUE(t.cut_blocks(2, c0, kChannelClient));
  EXPECT_TRUE(t.cut_blocks(c1, 0, kChannelClient));
  EXPECT_FALSE(t.cut_blocks(c1, 0, kChannelBus));  // only the client channel was cut
  EXPECT_FALSE(t.cut_blocks(0, 1, kChannelBus));
}

TEST(Topology, HostsAddedAfterACutJoinItsRestGroup) {
  Topology t(2);
  t.add_link(0, 1, fixed_us(10));
  t.partition({{0}});
  const int h = t.add_host("late");  // grouped: with the unlisted host 1
  const int u = t.add_host("late-client", false);
  t.add_link(h, 1, fixed_us(10));
  EXPECT_TRUE(t.cut_blocks(0, h, kChannelBus));
  EXPECT_FALSE(t.cut_blocks(1, h, kChannelBus));
  EXPECT_FALSE(t.cut_blocks(0, u, kChannelBus));
  t.cut({1}, {0});  // one-way cuts extend too
  const int v = t.add_host("later");
  EXPECT_FALSE(t.cut_blocks(1, v, kChannelBus));
}

TEST(Topology, PathDistsFollowTheShortestPathAndVersionTracksLinks) {
  Topology t = Topology::racked({0, 0, 1}, {0, 1}, fixed_us(10), fixed_us(20), fixed_us(100));
  auto means = [](const std::vector<const RealDist*>& d) {
    std::vector<double> m;
    for (const RealDist* x : d) m.push_back(x->mean());
    return m;
  };
  EXPECT_EQ(means(t.path_dists(0, 1)), (std::vector<double>{10, 10}));
  EXPECT_EQ(means(t.path_dists(0, 2)), (std::vector<double>{10, 20, 100, 100, 20, 10}));
  EXPECT_TRUE(t.path_dists(1, 1).empty());
  const uint64_t v = t.version();
  t.partition({{0}});
  EXPECT_EQ(t.version(), v);                          // cuts are not links
  t.change_link(0, 3 + 1 + 2 + 0, nullptr, nullptr);  // host 0's uplink to rack 0 (vertex hosts + 1 + zones + 0)
  EXPECT_GT(t.version(), v);
}

}  // namespace
}  // namespace cachelab
