// KEYS and SCAN cost node time per key walked (issue 16 part 8): KEYS * walks every key of the node, SCAN COUNT c
// about c of them; service = the sampled service time + per-key cost x keys walked (cluster.keys_ns_per_key,
// scan_ns_per_key; by default the cost measured for the node's size: docs/measurements/keys-scan-cost-redis-7.0.csv,
// cluster/walk_cost.hpp).
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cachelab/cluster/node.hpp"
#include "cachelab/cluster/walk_cost.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;
using nlohmann::json;

// A node with 0, 1000, 2000 and 4000 keys: KEYS takes 10 µs + 1000 ns per key, exactly, so its time is a line in
// the node's keys; SCAN COUNT 100 walks min(100, keys) keys at 500 ns each.
TEST(KeysScanCost, NodeTimeGrowsLinearlyWithTheKeysWalked) {
  Simulation sim(1);
  const auto service = make_dist(json{{"dist", "fixed"}, {"value", 10}});
  StoreConfig cfg;
  cfg.cluster_mode = false;
  cfg.keys_ns_per_key = 1000;
  cfg.scan_ns_per_key = 500;
  Node node("master-1", 0, cfg, sim.stream("e"), *service, sim.stream("s"));
  Time t = Time::s(1);
  auto run = [&](CacheCmd cmd, uint64_t key, uint32_t value_bytes, CacheReply& reply) {
    CacheCommand c;
    c.cmd = cmd;
    c.key = key;
    c.value_bytes = value_bytes;
    const Time arrival = t;
    t = node.execute(c, 8, arrival, reply, false);
    return t - arrival;
  };
  uint64_t loaded = 0;
  for (const uint64_t size : {0, 1000, 2000, 4000}) {
    for (CacheReply r; loaded < size; ++loaded) run(CacheCmd::Set, loaded, 16, r);
    ASSERT_EQ(node.store().keys(), size);
    CacheReply keys, scan;
    EXPECT_EQ(run(CacheCmd::Keys, 0, 0, keys), Time::us(10) + Time::ns(static_cast<int64_t>(1000 * size))) << size;
    EXPECT_EQ(keys.kind, ReplyKind::Value);
    EXPECT_EQ(keys.value_bytes, size);  // the keys returned
    const uint64_t walked = std::min<uint64_t>(100, size);
    EXPECT_EQ(run(CacheCmd::Scan, 0, 100, scan), Time::us(10) + Time::ns(static_cast<int64_t>(500 * walked))) << size;
    EXPECT_EQ(scan.value_bytes, walked);
  }
}

// In a run, a KEYS on a node holding its share of a loaded keyspace holds the node's thread: with the default cost,
// a node of about 33,000 keys is busy about 9 ms per KEYS (the measured cost at that size, walk_cost.hpp), and the
// requests queued behind it wait: the worst latency is at least one KEYS' time. Without keys ops the worst latency
// stays far below it.
TEST(KeysScanCost, AKeysCommandHoldsTheNodeThread) {
  auto run = [](const std::string& ops) {
    const std::string text = R"({"cachelab": 1, "name": "keys", "seed": 3, "duration_s": 4, "warmup_s": 2,
      "cluster": {"masters": 3}, "network": {"rtt_us": {"dist": "fixed", "value": 200}},
      "workload": {"keys": 100000, "popularity": {"dist": "uniform"}, "ops": )" +
                             ops + R"(, "arrival": {"rate_per_s": 40000}},
      "clients": {"instances": 4, "warm": {"top_keys": 100000, "concurrency": 512}},
      "origin": {"servers": 512, "service_ms": {"dist": "fixed", "value": 0.1}}})";
    return simulate(load_scenario_text(text, "keys.json"));
  };
  const RunOutput base = run(R"({"get": 1})");
  const RunOutput keys = run(R"({"get": 0.99995, "keys": 0.00005})");
  const double node_keys = 100000.0 / 3;  // a node's share of the keys
  const double keys_time_us =
      measured_walk_ns_per_key(WalkCommand::Keys, static_cast<uint64_t>(node_keys)) * 1e-3 * node_keys;
  EXPECT_GT(keys.summary.at("latency_us").at("max").get<double>(), 0.9 * keys_time_us);
  EXPECT_LT(base.summary.at("latency_us").at("max").get<double>(), 0.2 * keys_time_us);
}

// The default cost per key is the measurement's at 10k, 100k and 1M keys: the median of the measurement file's runs
// of each point (docs/measurements/keys-scan-cost-redis-7.0.csv, its cpu_ns_per_key column), read here from the
// file so that a new measurement and the code cannot drift apart; in between it grows with log10(keys), and outside
// it is the nearest measured value.
std::map<std::pair<std::string, uint64_t>, double> keys_scan_cost_medians() {
  std::ifstream f(std::string(CACHELAB_SOURCE_DIR) + "/docs/measurements/keys-scan-cost-redis-7.0.csv");
  std::string line;
  std::getline(f, line);
  EXPECT_EQ(line, "command,keys,count,calls,usec_per_call,ns_per_key,wall_ms_median,cpu_us_per_call,cpu_ns_per_key");
  std::map<std::pair<std::string, uint64_t>, std::vector<double>> runs;
  while (std::getline(f, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    if (cells.size() != 9) continue;
    runs[{cells[0], std::stoull(cells[1])}].push_back(std::stod(cells[8]));
  }
  std::map<std::pair<std::string, uint64_t>, double> medians;
  for (auto& [point, v] : runs) {
    std::sort(v.begin(), v.end());
    EXPECT_EQ(v.size() % 2, 1u) << point.first << " " << point.second << ": an odd number of runs has one median";
    medians[point] = v[v.size() / 2];
  }
  return medians;
}

TEST(KeysScanCost, TheDefaultCostFollowsTheMeasurementBySize) {
  const auto m = keys_scan_cost_medians();
  ASSERT_EQ(m.size(), 6u);
  for (const uint64_t keys : {10000, 100000, 1000000}) {
    EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Keys, keys), m.at({"keys", keys})) << keys;
    EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Scan, keys), m.at({"scan", keys})) << keys;
  }
  EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Keys, 100), m.at({"keys", 10000}));
  EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Keys, 50000000), m.at({"keys", 1000000}));
  // Half-way in log10 between 10k and 100k (31,623 keys): half-way in cost.
  EXPECT_NEAR(measured_walk_ns_per_key(WalkCommand::Keys, 31623), (m.at({"keys", 10000}) + m.at({"keys", 100000})) / 2,
              0.1);
  double last = 0;
  for (uint64_t k = 1000; k <= 10000000; k *= 2) {
    const double v = measured_walk_ns_per_key(WalkCommand::Keys, k);
    EXPECT_GE(v, last) << k;
    last = v;
  }
}
