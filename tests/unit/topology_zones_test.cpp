// network.topology (net/placement.hpp): zones -> racks -> hosts. A client command's legs are sums of one sample per
// link of its path, so the mean round trip is the analytic sum of the links' means; partitions take client instances
// (a blocked command ends as the client's timeout); a minority zone's acknowledged writes are lost after the majority
// fails over; the flat layout is today's model byte for byte; bad topology input exits 2 naming the JSON pointer.
#include <gtest/gtest.h>

#include <cmath>

#include "cachelab/net/network.hpp"
#include "cachelab/net/placement.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

namespace cachelab {
namespace {

using nlohmann::json;

constexpr double kZ99 = 2.3263478740408408;

// A lognormal given by median and p99, as the scenario says it: its mean and variance.
struct Moments {
  double mean = 0, var = 0;
};
Moments lognormal(double median, double p99) {
  const double mu = std::log(median), s = std::log(p99 / median) / kZ99;
  return {std::exp(mu + s * s / 2), (std::exp(s * s) - 1) * std::exp(2 * mu + s * s)};
}

const Moments kHost = lognormal(25, 100), kRack = lognormal(10, 50), kZone = lognormal(200, 800);

std::string zoned(const std::string& extra_network = "", const std::string& clients = R"("instances": 6)",
                  const std::string& faults = "[]", const std::string& cluster = R"("masters": 3)",
                  double duration_s = 10, const std::string& read_fraction = "0.9") {
  return R"({"cachelab": 1, "name": "z", "duration_s": )" + std::to_string(duration_s) + R"(, "seed": 5,
    "cluster": {)" +
         cluster + R"(},
    "network": {"topology": {"layout": "zones", "zones": "a,b,c", "racks_per_zone": 2,
      "host_link_us": {"dist": "lognormal", "median": 25, "p99": 100},
      "rack_link_us": {"dist": "lognormal", "median": 10, "p99": 50},
      "zone_link_us": {"dist": "lognormal", "median": 200, "p99": 800})" +
         extra_network + R"(}},
    "workload": {"keys": 20000, "popularity": {"dist": "uniform"}, "read_fraction": )" +
         read_fraction + R"(,
                 "arrival": {"rate_per_s": 4000}},
    "clients": {)" +
         clients + R"(, "timeout_ms": 200},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "faults": )" +
         faults + "}";
}

// The analytic one-way mean and variance of the path between a client and a node, from where they sit.
Moments path_moments(const Placement& p, int client, int node) {
  Moments m{2 * kHost.mean, 2 * kHost.var};  // up from the client's host, down to the node's
  if (p.client_zone[client] != p.node_zone[node] || p.client_rack[client] != p.node_rack[node]) {
    m.mean += 2 * kRack.mean;
    m.var += 2 * kRack.var;
  }
  if (p.client_zone[client] != p.node_zone[node]) {
    m.mean += 2 * kZone.mean;
    m.var += 2 * kZone.var;
  }
  return m;
}

TEST(TopologyZones, PlacementSpreadsReplicasAwayFromTheirMasters) {
  const Scenario s =
      load_scenario_text(zoned("", R"("instances": 7)", "[]", R"("masters": 4, "replicas_per_master": 2)"), "z.json");
  const Placement p = place(s.resolved);
  ASSERT_TRUE(p.zoned);
  ASSERT_EQ(p.node_zone.size(), 12u);
  for (int m = 0; m < 4; ++m) {
    EXPECT_EQ(p.node_zone[m], m % 3);
    for (int r = 0; r < 2; ++r) {
      const int replica = 4 + m * 2 + r;
      EXPECT_NE(p.node_zone[replica], p.node_zone[m]) << "replica " << replica;
    }
    EXPECT_NE(p.node_zone[4 + m * 2], p.node_zone[4 + m * 2 + 1]);  // two replicas, two other zones
  }
  for (int c = 0; c < 7; ++c) EXPECT_EQ(p.client_zone[c], c % 3);
  // Explicit placements and clients.zone.
  const Scenario e = load_scenario_text(
      zoned(R"(, "nodes": [{"node": "master-2", "zone": "a", "rack": 1}])", R"("instances": 4, "zone": "c,b")"),
      "z.json");
  const Placement q = place(e.resolved);
  EXPECT_EQ(q.node_zone[1], 0);
  EXPECT_EQ(q.node_rack[1], 1);
  EXPECT_EQ(q.client_zone, (std::vector<int>{2, 1, 2, 1}));
}

// The mean round trip of each (client, node) pair is the sum of the means of the links on the path there and back,
// within sampling error (5 standard errors of the sampled mean).
TEST(TopologyZones, MeanRoundTripIsTheSumOfThePathsLinkMeans) {
  const Scenario s = load_scenario_text(zoned(), "z.json");
  const auto map = build_network(s, 3, false);
  Network net(s.network.rtt_us, Rng(11), map);
  const Placement& p = map->placement;
  const int n = 40000;
  int same_rack = 0, same_zone = 0, cross = 0;
  for (int c = 0; c < 6; ++c)
    for (int node = 0; node < 3; ++node) {
      double sum = 0, there_sum = 0;
      for (int k = 0; k < n; ++k) {
        const Network::Trip t = net.sample_trip(static_cast<uint16_t>(c), static_cast<uint32_t>(node));
        sum += (t.there + t.back).micros();
        there_sum += t.there.micros();
      }
      const Moments one = path_moments(p, c, node);
      const double se_rtt = std::sqrt(2 * one.var / n), se_one = std::sqrt(one.var / n);
      EXPECT_NEAR(sum / n, 2 * one.mean, 5 * se_rtt + 0.01) << "client " << c << " node " << node;
      EXPECT_NEAR(there_sum / n, one.mean, 5 * se_one + 0.01) << "client " << c << " node " << node;
      if (p.client_zone[c] != p.node_zone[node])
        ++cross;
      else if (p.client_rack[c] == p.node_rack[node])
        ++same_rack;
      else
        ++same_zone;
    }
  EXPECT_GT(same_rack, 0);  // every kind of path was exercised
  EXPECT_GT(same_zone, 0);
  EXPECT_GT(cross, 0);
  EXPECT_TRUE(net.client_cut(0, 0) == false);
}

// End to end: summary.json `network` reports the sampled round trips per (client zone, node zone); cross-zone ones
// average 4 host + 4 rack + 4 zone link means.
TEST(TopologyZones, SummaryShowsSameZoneAndCrossZoneRoundTrips) {
  const RunOutput out =
      simulate(load_scenario_text(zoned("", R"("instances": 6)", "[]", R"("masters": 3)", 10, "1.0"), "z.json"));
  const json& net = out.summary.at("network");
  ASSERT_EQ(net.at("layout"), "zones");
  const double cross = net.at("cross_zone_rtt_us_mean").get<double>();
  const double expected = 4 * kHost.mean + 4 * kRack.mean + 4 * kZone.mean;
  double n = 0;
  for (const auto& row : net.at("rtt_us_by_zone"))
    if (row.at("client_zone") != row.at("node_zone")) n += row.at("round_trips").get<double>();
  const double se = std::sqrt(2 * (2 * kHost.var + 2 * kRack.var + 2 * kZone.var) / n);
  EXPECT_NEAR(cross, expected, 5 * se);
  const double same = net.at("same_zone_rtt_us_mean").get<double>();
  EXPECT_GT(same, 4 * kHost.mean * 0.95);
  EXPECT_LT(same, (4 * kHost.mean + 4 * kRack.mean) * 1.05);
  EXPECT_EQ(out.summary.at("errors").at("timeout"), 0);
}

// Clients in a zone that is cut off time out on the nodes of the other zones (2 of 3 masters), and clients of another
// zone on the cut-off zone's master (1 of 3): twice as many. Nothing times out before the cut or after the heal.
// node_timeout is long, so no failover changes the routes meanwhile.
TEST(TopologyZones, ClientsInAPartitionedZoneTimeOut) {
  const std::string faults = R"([{"at_s": 4, "action": "partition", "zones": "a"}, {"at_s": 10, "action": "heal"}])";
  const std::string cluster = R"("masters": 3, "replicas_per_master": 1, "node_timeout_ms": 60000)";
  auto timeouts = [&](const std::string& zone) {
    const RunOutput out = simulate(load_scenario_text(
        zoned("", R"("instances": 2, "zone": ")" + zone + "\"", faults, cluster, 14, "1.0"), "z.json"));
    const auto& cols = out.series.columns;
    const size_t c = static_cast<size_t>(std::find(cols.begin(), cols.end(), "errors_timeout") - cols.begin());
    if (c >= cols.size()) {
      ADD_FAILURE() << "no errors_timeout column";
      return 0.0;
    }
    double during = 0;
    for (const auto& row : out.series.rows) {
      const double t = std::stod(row[0]);
      if (t <= 4 || t > 11) {
        EXPECT_EQ(row[c], "0") << "zone " << zone << " at " << t;
      }
      if (t > 5 && t <= 10) during += std::stod(row[c]);
    }
    EXPECT_EQ(out.summary.at("failovers").size(), 0u);
    return during;
  };
  const double a = timeouts("a"), b = timeouts("b");
  EXPECT_GT(b, 0);
  EXPECT_GT(a / b, 1.7) << a << " vs " << b;
  EXPECT_LT(a / b, 2.3) << a << " vs " << b;
}

// The Jepsen case: zone a (master-1 and replica-3-1) is cut off with its clients. They keep writing to master-1, which
// acknowledges until it sees it lost the majority (its cluster state turns fail); the majority promotes replica-1-1,
// and every write master-1 acknowledged after the cut is lost and counted. With no client in zone a nobody writes to
// master-1 after the cut: nothing is lost.
TEST(TopologyZones, MinoritySideAcknowledgedWritesAreLost) {
  const std::string faults = R"([{"at_s": 6, "action": "partition", "zones": "a"}, {"at_s": 20, "action": "heal"}])";
  const std::string cluster = R"("masters": 3, "replicas_per_master": 1, "node_timeout_ms": 2000)";
  // Writes only, SET on write: every request is one replicated write to its key's master.
  const std::string workload = "0.0";
  auto run = [&](const std::string& clients) {
    std::string text = zoned("", clients, faults, cluster, 25, workload);
    text.replace(text.find(R"("timeout_ms": 200)"), 17, R"("timeout_ms": 200, "on_write": "update")");
    return simulate(load_scenario_text(text, "z.json"));
  };
  const RunOutput jepsen = run(R"("instances": 6)");  // 2 of 6 instances in zone a
  ASSERT_EQ(jepsen.summary.at("failovers").size(), 1u) << jepsen.summary.at("failovers").dump();
  EXPECT_EQ(jepsen.summary.at("failovers")[0].at("node"), "master-1");
  EXPECT_EQ(jepsen.summary.at("failovers")[0].at("new_master"), "replica-1-1");
  // When master-1 itself turned fail: from then on it refuses (CLUSTERDOWN).
  double down_at = -1;
  for (const auto& e : jepsen.events)
    if (e.at("type") == "cluster_state" && e.value("node", "") == "master-1" && e.value("state", "") == "fail" &&
        down_at < 0)
      down_at = e.at("t_s").get<double>();
  ASSERT_GT(down_at, 6);
  // Zone a's clients send a third of the 4000 writes/s, a third of those to master-1's slots.
  const double expected = 4000.0 / 3 / 3 * (down_at - 6);
  const double lost = jepsen.summary.at("writes_lost").get<double>();
  EXPECT_GT(lost, 0.8 * expected) << "lost " << lost << " expected ~" << expected;
  EXPECT_LT(lost, 1.2 * expected) << "lost " << lost << " expected ~" << expected;
  EXPECT_EQ(jepsen.summary.at("invariants").at("violations"), 0);

  const RunOutput no_minority_clients = run(R"("instances": 6, "zone": "b,c")");
  EXPECT_LT(no_minority_clients.summary.at("writes_lost").get<double>(), 0.01 * lost);
}

// A client list on a flat layout (client instances become hosts without links) cuts those clients too, and a
// partition without `clients` leaves every client reaching both sides, as before.
TEST(TopologyZones, FlatLayoutPartitionsCanNameClients) {
  const std::string base = R"({"cachelab": 1, "name": "f", "duration_s": 12, "seed": 3,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 60000},
    "workload": {"keys": 20000, "popularity": {"dist": "uniform"}, "read_fraction": 1.0, "arrival": {"rate_per_s": 3000}},
    "clients": {"instances": 4, "timeout_ms": 200},
    "faults": [{"at_s": 4, "action": "partition", "nodes": "master-1,replica-2-1")";
  const RunOutput plain = simulate(load_scenario_text(base + R"(}, {"at_s": 10, "action": "heal"}]})", "f.json"));
  EXPECT_EQ(plain.summary.at("errors").at("timeout"), 0);
  const RunOutput with =
      simulate(load_scenario_text(base + R"(, "clients": "0"}, {"at_s": 10, "action": "heal"}]})", "f.json"));
  EXPECT_GT(with.summary.at("errors").at("timeout").get<double>(), 0);
  EXPECT_FALSE(with.summary.contains("network"));  // no zones: no per-zone round trips
}

// No topology and an explicit flat one are the same model, byte for byte.
TEST(TopologyZones, FlatLayoutIsTodaysModel) {
  const std::string text = test::read_file(test::source_dir() + "/scenarios/lessons/failover.json");
  Scenario a = load_scenario_text(text, "failover.json", {"/duration_s=70"});
  Scenario b = load_scenario_text(text, "failover.json", {"/duration_s=70", R"(/network/topology={"layout": "flat"})"});
  ASSERT_TRUE(a.network.topology.is_null());
  ASSERT_FALSE(b.network.topology.is_null());
  const RunOutput x = simulate(a), y = simulate(b);
  EXPECT_EQ(x.summary.dump(), y.summary.dump());
  EXPECT_EQ(x.series.rows, y.series.rows);
  EXPECT_EQ(x.events.size(), y.events.size());
}

// Bad topology input: exit 2 and the JSON pointer of the problem.
TEST(TopologyZones, BadTopologyInputExits2WithThePointer) {
  const auto dir = test::temp_dir("zones-bad");
  struct Case {
    std::string text, pointer, words;
  };
  const std::vector<Case> cases = {
      {zoned("", R"("instances": 6, "zone": "a,x")"), "/clients/zone", "\"x\""},
      {zoned(R"(, "racks": 2)"), "/network/topology/racks", "racks_per_zone"},
      {zoned(R"(, "zones": "a,a")"), "/network/topology/zones", "distinct"},
      {zoned(R"(, "nodes": [{"node": "master-9", "zone": "a"}])"), "/network/topology/nodes/0/node", "master-9"},
      {zoned(R"(, "nodes": [{"node": "master-1", "zone": "a", "rack": 2}])"), "/network/topology/nodes/0/rack",
       "racks_per_zone"},
      {zoned("", R"("instances": 6)", R"([{"at_s": 1, "action": "partition", "clients": "0-9"}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/clients", "not below clients.instances (6)"},
      {zoned("", R"("instances": 6)", R"([{"at_s": 1, "action": "partition", "zones": "d"}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/zones", "\"d\""},
      {zoned("", R"("instances": 6)", R"([{"at_s": 1, "action": "partition", "zones": "a,b,c"}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/zones", "strict subset"},
      {zoned("", R"("instances": 6)", R"([{"at_s": 1, "action": "partition", "clients": "5-2"}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/clients", "backwards"},
      {zoned("", R"("instances": 6)",
             R"([{"at_s": 1, "action": "partition", "nodes": "master-1", "clients": "0", "bus_only": true}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/bus_only", "bus-only"},
      {zoned("", R"("instances": 6)", R"([{"at_s": 1, "action": "partition"}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/nodes", "at least one"},
      {zoned("", R"("instances": 6)", R"([{"at_s": 1, "action": "link", "nodes": "master-1", "loss": 0.1}])",
             R"("masters": 3, "replicas_per_master": 1)"),
       "/faults/0/action", "zones"},
  };
  int i = 0;
  for (const auto& c : cases) {
    const std::string file = test::write_file(dir / ("bad" + std::to_string(i++) + ".json"), c.text);
    const auto r = test::run_command(test::cachelab() + " validate " + file);
    EXPECT_EQ(r.exit_code, 2) << c.pointer << "\n" << r.out;
    EXPECT_NE(r.out.find(c.pointer), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(c.words), std::string::npos) << r.out;
  }
  // Flat layouts do not place anything, and topology needs its layout.
  const std::string flat =
      R"({"cachelab": 1, "name": "f", "duration_s": 5, "workload": {"keys": 10, "arrival": {"rate_per_s": 10}},
    "network": {"topology": {"layout": "flat"}}, "clients": {"zone": "a"}})";
  auto r = test::run_command(test::cachelab() + " validate " + test::write_file(dir / "flat.json", flat));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/clients/zone"), std::string::npos) << r.out;
  const std::string nolayout =
      R"({"cachelab": 1, "name": "f", "duration_s": 5, "workload": {"keys": 10, "arrival": {"rate_per_s": 10}},
    "network": {"topology": {}}})";
  r = test::run_command(test::cachelab() + " validate " + test::write_file(dir / "nolayout.json", nolayout));
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("/network/topology/layout"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// Time of the first event of `type` for `node` at or after `from_s`; -1 if none.
double first_event_s(const RunOutput& out, const std::string& type, const std::string& node, double from_s) {
  for (const json& e : out.events)
    if (e.at("type") == type && e.value("node", "") == node && e.at("t_s").get<double>() >= from_s)
      return e.at("t_s").get<double>();
  return -1;
}

// scenarios/zones.json's description, claim by claim. The bounds come from the scenario's own settings: zone
// round trips of 0.15 and 1.1 ms (its topology), the cut at 30 s and healed at 60 s (its faults), node timeout 5 s.
TEST(TopologyZones, BundledZonesScenarioDoesWhatItsDescriptionSays) {
  const std::string file = test::source_dir() + "/scenarios/zones.json";
  const RunOutput out = simulate(load_scenario_file(file));
  EXPECT_EQ(out.summary.at("invariants").at("violations"), 0);
  // "a client reaches a node of its own zone in about 0.15 ms and one of another zone in about 1.1 ms"
  const json& net = out.summary.at("network");
  EXPECT_NEAR(net.at("same_zone_rtt_us_mean").get<double>(), 150, 15);
  EXPECT_NEAR(net.at("cross_zone_rtt_us_mean").get<double>(), 1100, 110);
  // "two thirds of its commands pay the cross-zone price": 4 of 6 nodes, and 2 of 3 masters, are in other zones.
  // Counted on the same scenario without its fault (the failover moves a master into zone b).
  const RunOutput calm = simulate(load_scenario_file(file, {"/faults=[]"}));
  double cross = 0, all = 0;
  for (const json& z : calm.summary.at("network").at("rtt_us_by_zone")) {
    all += z.at("round_trips").get<double>();
    if (z.at("client_zone") != z.at("node_zone")) cross += z.at("round_trips").get<double>();
  }
  ASSERT_GT(all, 0);
  EXPECT_NEAR(cross / all, 2.0 / 3, 0.02);
  // "every command across the cut ends as a timeout"
  EXPECT_GT(out.summary.at("errors").at("timeout").get<double>(), 0);
  // "acknowledges them until it sees it has lost the majority (about 7 s later; then it answers CLUSTERDOWN)"
  const double cut_s = 30;
  const double minority_s = first_event_s(out, "cluster_state", "master-1", cut_s) - cut_s;
  EXPECT_NEAR(minority_s, 7.0, 0.5);
  EXPECT_GT(out.summary.at("errors").at("clusterdown").get<double>(), 0);
  // "the majority marks master-1 FAIL and promotes replica-1-1: every write master-1 acknowledged after the cut is
  // lost (writes_lost; the writes_lost_max SLO fails)"
  ASSERT_EQ(out.summary.at("failovers").size(), 1u);
  const double promoted_s = first_event_s(out, "promoted", "replica-1-1", cut_s);
  EXPECT_GT(promoted_s, cut_s);
  EXPECT_LT(promoted_s, 60);
  const double lost = out.summary.at("writes_lost").get<double>();
  EXPECT_GT(lost, 0);
  bool slo_failed = false;
  for (const json& c : out.summary.at("slo"))
    if (c.at("name") == "writes_lost_max") slo_failed = !c.at("pass").get<bool>();
  EXPECT_TRUE(slo_failed);
  // "At t=60 s the cut heals and master-1 comes back as a replica after a full sync."
  const double rejoined_s = first_event_s(out, "role_changed", "master-1", 60);
  EXPECT_GE(rejoined_s, 60);
  EXPECT_LT(rejoined_s, 61);
  EXPECT_GT(first_event_s(out, "full_sync_done", "master-1", 60), rejoined_s);
  // "Try --set /cluster/min_replicas_to_write=1 --set /cluster/min_replicas_max_lag_s=1 (master-1 stops accepting
  // writes within a second or two)": writes are then acknowledged for at most ~2 s of the 7.7 s, so at most about a
  // quarter of the default's are lost.
  const RunOutput guarded =
      simulate(load_scenario_file(file, {"/cluster/min_replicas_to_write=1", "/cluster/min_replicas_max_lag_s=1"}));
  EXPECT_GT(guarded.summary.at("errors").at("noreplicas").get<double>(), 0);
  EXPECT_LT(guarded.summary.at("writes_lost").get<double>(), lost * 2.0 / 7.7);
}

}  // namespace
}  // namespace cachelab
