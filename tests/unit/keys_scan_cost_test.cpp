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

// With the default cost (cluster.keys_ns_per_key null) a node's KEYS takes the measured cost for its size, the names'
// length (the key the command was drawn for) and whether any key has a TTL: 10,000 keys of 12-byte names, of 72-byte
// names, and the same with one key given a TTL.
TEST(KeysScanCost, TheNodeTakesTheNamesLengthAndItsTtlsIntoTheDefaultCost) {
  Simulation sim(1);
  const auto service = make_dist(json{{"dist", "fixed"}, {"value", 10}});
  StoreConfig cfg;
  cfg.cluster_mode = false;
  Node node("master-1", 0, cfg, sim.stream("e"), *service, sim.stream("s"));
  Time t = Time::s(1);
  auto run = [&](const CacheCommand& c, uint32_t key_len) {
    CacheReply reply;
    const Time arrival = t;
    t = node.execute(c, key_len, arrival, reply, false);
    return t - arrival;
  };
  CacheCommand set;
  set.cmd = CacheCmd::Set;
  set.value_bytes = 16;
  for (uint64_t k = 0; k < 10000; ++k) {
    set.key = k;
    run(set, 12);
  }
  CacheCommand keys;
  keys.cmd = CacheCmd::Keys;
  auto expected = [](uint32_t bytes, bool ttl) {
    return Time::us(10) +
           Time::saturated_ns(measured_walk_ns_per_key(WalkCommand::Keys, 10000, bytes, ttl) * 10000 + 0.5);
  };
  EXPECT_EQ(run(keys, 12), expected(12, false));
  EXPECT_EQ(run(keys, 72), expected(72, false));
  EXPECT_GT(expected(72, false), expected(12, false) + Time::us(500));  // 157 against 84 ns per key
  set.key = 7;
  set.ttl_ms = 3600000;
  run(set, 12);
  ASSERT_EQ(node.store().volatile_keys(), 1u);
  EXPECT_EQ(run(keys, 12), expected(12, true));
  EXPECT_GT(expected(12, true), expected(12, false) + Time::us(500));  // 146 against 84 ns per key
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

// The default cost per key is the measurement's at 10k, 100k and 1M keys, for names of 12, 32 and 72 bytes, with and
// without TTLs: the median of the measurement file's runs of each point (docs/measurements/keys-scan-cost-redis-7.0.csv,
// its cpu_ns_per_key column; the --match rows are not used), read here from the file so that a new measurement and the
// code cannot drift apart; in between it is interpolated, outside it is the nearest measured value.
struct KeysScanPoint {
  std::string command;
  uint32_t name_bytes;
  bool ttl;
  uint64_t keys;
  auto operator<=>(const KeysScanPoint&) const = default;
};
std::map<KeysScanPoint, double> keys_scan_cost_medians() {
  std::ifstream f(std::string(CACHELAB_SOURCE_DIR) + "/docs/measurements/keys-scan-cost-redis-7.0.csv");
  std::string line;
  std::getline(f, line);
  EXPECT_EQ(line,
            "command,name_bytes,match,ttl,keys,count,calls,usec_per_call,ns_per_key,wall_ms_median,cpu_us_per_call,"
            "cpu_ns_per_key");
  std::map<KeysScanPoint, std::vector<double>> runs;
  while (std::getline(f, line)) {
    std::vector<std::string> cells;
    std::stringstream ss(line);
    for (std::string cell; std::getline(ss, cell, ',');) cells.push_back(cell);
    EXPECT_EQ(cells.size(), 12u) << line;
    if (cells.size() != 12 || cells[2] != "0") continue;
    runs[{cells[0], static_cast<uint32_t>(std::stoul(cells[1])), cells[3] == "1", std::stoull(cells[4])}].push_back(
        std::stod(cells[11]));
  }
  std::map<KeysScanPoint, double> medians;
  for (auto& [point, v] : runs) {
    std::sort(v.begin(), v.end());
    EXPECT_GE(v.size(), 3u) << point.command << " " << point.keys << ": at least three runs per point";
    medians[point] = v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
  }
  return medians;
}

TEST(KeysScanCost, TheDefaultCostFollowsTheMeasurementBySizeNameAndTtl) {
  const auto m = keys_scan_cost_medians();
  ASSERT_EQ(m.size(), 24u);  // 2 commands x (3 name lengths + TTL) x 3 sizes
  for (const auto& [cmd, name] : {std::pair{WalkCommand::Keys, "keys"}, {WalkCommand::Scan, "scan"}})
    for (const uint64_t keys : kWalkKeys) {
      for (const uint32_t bytes : kWalkNameBytes)
        EXPECT_NEAR(measured_walk_ns_per_key(cmd, keys, bytes), m.at({name, bytes, false, keys}), 1e-9)
            << name << " " << keys << " " << bytes;
      EXPECT_NEAR(measured_walk_ns_per_key(cmd, keys, 12, true), m.at({name, 12, true, keys}), 1e-9) << name << keys;
    }
  // Outside the measured sizes: the nearest one; shorter names: the 12-byte cost.
  EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Keys, 100), m.at({"keys", 12, false, 10000}));
  EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Keys, 50000000), m.at({"keys", 12, false, 1000000}));
  EXPECT_DOUBLE_EQ(measured_walk_ns_per_key(WalkCommand::Keys, 10000, 5), m.at({"keys", 12, false, 10000}));
  // Half-way in log10 between 10k and 100k (31,623 keys): half-way in cost.
  EXPECT_NEAR(measured_walk_ns_per_key(WalkCommand::Keys, 31623),
              (m.at({"keys", 12, false, 10000}) + m.at({"keys", 12, false, 100000})) / 2, 0.1);
  // Half-way between 12 and 32 bytes: half-way in cost; past 72 bytes the 32-72 slope goes on.
  EXPECT_NEAR(measured_walk_ns_per_key(WalkCommand::Keys, 100000, 22),
              (m.at({"keys", 12, false, 100000}) + m.at({"keys", 32, false, 100000})) / 2, 1e-9);
  const double slope = (m.at({"keys", 72, false, 100000}) - m.at({"keys", 32, false, 100000})) / 40;
  EXPECT_NEAR(measured_walk_ns_per_key(WalkCommand::Keys, 100000, 112), m.at({"keys", 72, false, 100000}) + 40 * slope,
              1e-9);
  // A TTL on a 32-byte name adds the 12-byte names' TTL difference.
  EXPECT_NEAR(measured_walk_ns_per_key(WalkCommand::Keys, 10000, 32, true),
              m.at({"keys", 32, false, 10000}) + m.at({"keys", 12, true, 10000}) - m.at({"keys", 12, false, 10000}),
              1e-9);
  double last = 0;
  for (uint64_t k = 1000; k <= 10000000; k *= 2) {
    const double v = measured_walk_ns_per_key(WalkCommand::Keys, k);
    EXPECT_GE(v, last) << k;
    last = v;
  }
}

// Lesson 25's text (its explanation and its scenario's description) says what one KEYS costs its node: 400,000 keys
// of key:<n> names (10-11 bytes: the 12-byte row) with a TTL, about 0.39 us per key, 0.35 of them without the TTL,
// about 0.16 s a call. The numbers follow the model.
TEST(KeysScanCost, LessonTwentyFiveStatesTheModelsCost) {
  const double with_ttl = measured_walk_ns_per_key(WalkCommand::Keys, 400000, 11, true);
  const double without = measured_walk_ns_per_key(WalkCommand::Keys, 400000, 11, false);
  EXPECT_NEAR(with_ttl / 1000, 0.39, 0.005);
  EXPECT_NEAR(without / 1000, 0.35, 0.005);
  EXPECT_NEAR((with_ttl - without) / 1000, 0.04, 0.005);
  EXPECT_NEAR(with_ttl * 400000 / 1e9, 0.16, 0.005);
  auto text = [](const std::string& file) {
    std::ifstream f(std::string(CACHELAB_SOURCE_DIR) + "/scenarios/lessons/" + file);
    return std::string(std::istreambuf_iterator<char>(f), {});
  };
  const std::string lesson = text("25-keys-vs-scan.lesson.json");
  EXPECT_NE(lesson.find("about 0.39 us of CPU per key"), std::string::npos);
  EXPECT_NE(lesson.find("0.35 us for the walk and the reply, 0.04 us because the keys have a TTL"), std::string::npos);
  EXPECT_NE(lesson.find("holds the node for about 0.16 s"), std::string::npos);
  EXPECT_NE(text("keys-scan.json").find("about 0.16 s of node time"), std::string::npos);
}
