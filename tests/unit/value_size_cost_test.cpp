// Value size costs time (issue 16 part 3, docs/redis-reference.md §12): node time per value byte (a GET's reply,
// a SET's request: cluster.get_ns_per_reply_byte, set_ns_per_request_byte) and transfer time on each leg (value
// bytes x 8 / Gbit/s over the path's links: network.nic_gbps, network.topology.*_link_gbps), with the node's NIC
// sending one reply at a time; a value over 64 KB travels in slices that overlap the node's work and each link
// (net/transfer.hpp, §12.3).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "cachelab/cache/value_cost.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/net/placement.hpp"
#include "cachelab/net/transfer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;
using nlohmann::json;

// One node: service 10 µs, GET 0.5 ns and SET 0.25 ns per value byte. A GET that finds a 1 MB value takes
// 10 µs + 524,288 ns; one that misses, or a SET's nil, only the service; a SET of 1 MB 10 µs + 262,144 ns whatever
// it replies; an MSET of 4 x 1 KB pays for 4 KB, an MGET that finds 3 of 4 1 KB values for 3 KB.
TEST(ValueSizeCost, NodeTimeIsServicePlusBytesTimesTheCommandsCost) {
  Simulation sim(1);
  const auto service = make_dist(json{{"dist", "fixed"}, {"value", 10}});
  StoreConfig cfg;
  cfg.cluster_mode = false;
  cfg.get_ns_per_reply_byte = 0.5;
  cfg.set_ns_per_request_byte = 0.25;
  Node node("master-1", 0, cfg, sim.stream("e"), *service, sim.stream("s"));
  Time t = Time::s(1);
  auto run = [&](CacheCmd cmd, uint64_t key, uint32_t value_bytes, uint32_t keys = 1) {
    CacheCommand c;
    c.cmd = cmd;
    c.key = key;
    c.value_bytes = value_bytes;
    c.key_count = keys;
    c.ttl_ms = -1;
    CacheReply reply;
    const Time arrival = t + Time::ms(1);  // the node idle at each arrival
    t = node.execute(c, 8, arrival, reply, false);
    return std::make_pair(t - arrival, reply);
  };
  EXPECT_EQ(run(CacheCmd::Get, 1, 0).first, Time::us(10));  // a miss: no value copied
  EXPECT_EQ(run(CacheCmd::Set, 1, 1 << 20).first, Time::us(10) + Time::ns(262144));
  const auto [get_time, get_reply] = run(CacheCmd::Get, 1, 0);
  EXPECT_EQ(get_reply.kind, ReplyKind::Value);
  EXPECT_EQ(get_reply.value_bytes, 1u << 20);
  EXPECT_EQ(get_time, Time::us(10) + Time::ns(524288));
  EXPECT_EQ(run(CacheCmd::MSet, 100, 1024, 3).first, Time::us(10) + Time::ns(768));
  EXPECT_EQ(run(CacheCmd::MGet, 100, 0, 4).first, Time::us(10) + Time::ns(1536));  // keys 100-102 of 100-103
  // Zero costs: the service time alone, as before the model had them.
  StoreConfig free_cfg = cfg;
  free_cfg.get_ns_per_reply_byte = free_cfg.set_ns_per_request_byte = 0;
  Node free_node("master-2", 1, free_cfg, sim.stream("e2"), *service, sim.stream("s2"));
  CacheCommand set;
  set.cmd = CacheCmd::Set;
  set.key = 1;
  set.value_bytes = 1 << 20;
  set.ttl_ms = -1;
  CacheReply r;
  EXPECT_EQ(free_node.execute(set, 8, Time::s(1), r, false), Time::s(1) + Time::us(10));
}

namespace {
// One standalone node, `sessions` closed-loop sessions reading 16 keys of `bytes` bytes (all hits after the first
// 16), round trip 40 µs, service 10 µs.
json value_size_cost_scenario(uint32_t bytes, int sessions, double nic_gbps, double get_ns_per_byte) {
  return json::parse(R"({"cachelab": 1, "name": "bytes", "seed": 3, "duration_s": 4, "warmup_s": 1,
    "cluster": {"mode": "standalone", "masters": 1, "service_us": {"dist": "fixed", "value": 10}},
    "network": {"rtt_us": {"dist": "fixed", "value": 40}},
    "workload": {"keys": 16, "popularity": {"dist": "uniform"}, "read_fraction": 1,
                 "value_bytes": {"dist": "fixed", "value": 100}, "arrival": {"dist": "closed", "sessions_per_instance": 1}},
    "clients": {"instances": 1, "timeout_ms": 1000},
    "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 0.1}}})")
      .patch(json::array({{{"op", "replace"}, {"path", "/workload/value_bytes/value"}, {"value", bytes}},
                          {{"op", "replace"}, {"path", "/workload/arrival/sessions_per_instance"}, {"value", sessions}},
                          {{"op", "add"}, {"path", "/network/nic_gbps"}, {"value", nic_gbps}},
                          {{"op", "add"}, {"path", "/cluster/get_ns_per_reply_byte"}, {"value", get_ns_per_byte}}}));
}
double value_size_cost_throughput(const json& scenario) {
  return simulate(load_scenario_text(scenario.dump(), "bytes.json")).summary.at("throughput_per_s").get<double>();
}
}  // namespace

namespace {
// The slice pipeline written out (the flow shop net/transfer.hpp has a closed form for): n = ceil(bytes / 64 KB)
// equal slices pass stage after stage, stage j taking slice x rates[j] ns, starting no earlier than ready[j]; a slice
// enters a stage when the stage has finished the previous slice and the previous stage has finished this one.
// Returns when the last slice leaves the last stage, and when it left stage `probe`.
struct ValueSizeCostFlow {
  double end = 0, probe_end = 0;
};
ValueSizeCostFlow value_size_cost_flow(uint64_t bytes, const std::vector<double>& rates,
                                       const std::vector<double>& ready, size_t probe) {
  const uint64_t n = std::max<uint64_t>(1, (bytes + 65535) / 65536);
  const double slice = static_cast<double>(bytes) / static_cast<double>(n);
  std::vector<double> done(rates.size(), 0.0);  // when each stage finished its previous slice
  for (size_t j = 0; j < rates.size(); ++j) done[j] = ready[j];
  for (uint64_t k = 0; k < n; ++k) {
    double prev = -1e300;  // this slice left the previous stage
    for (size_t j = 0; j < rates.size(); ++j) {
      done[j] = std::max(done[j], prev) + slice * rates[j];
      prev = done[j];
    }
  }
  return {done.back(), done[probe]};
}
}  // namespace

// The closed form against the slice pipeline written out: a reply through the node's copy, its NIC (a queue, busy
// until some time) and up to four more links; a request through the links into the node's reading. One slice (up to
// 64 KB) is store-and-forward: the node's time, then bytes x the path's ns per byte.
TEST(ValueSizeCost, SlicesOverlapTheNodesWorkAndEachLink) {
  const std::vector<std::vector<double>> links = {
      {1.0}, {0.1}, {0.8, 0.08, 0.8}, {0.8, 0.08, 0.2, 0.2, 0.08, 0.8}, {0.2, 3.0, 0.2}};
  for (const uint64_t bytes : {100ull, 65536ull, 65537ull, 100000ull, 1000000ull, 1048576ull, 7654321ull})
    for (const double node : {0.0, 0.165, 0.5, 2.0})
      for (const auto& path : links)
        for (const double busy_us : {0.0, 50.0, 5000.0}) {
          double sum = 0, slowest = 0;
          for (double l : path) sum += l, slowest = std::max(slowest, l);
          const Time start = Time::ms(1);
          const Time copy = Time::saturated_ns(node * static_cast<double>(bytes) + 0.5);
          Time nic_free = start + Time::saturated_ns(busy_us * 1000);
          // The node's copy into the reply block, whole, before its write joins the pipeline (§12.1).
          const double before_ns = kReplyCopyBeforeWriteShare * node * static_cast<double>(bytes);
          std::vector<double> rates = {node * (1 - kReplyCopyBeforeWriteShare)},
                              ready = {static_cast<double>(start.nanos()) + before_ns};
          for (size_t i = 0; i < path.size(); ++i) {
            rates.push_back(path[i]);
            ready.push_back(i == 0 ? static_cast<double>(nic_free.nanos()) : -1e300);
          }
          const ValueSizeCostFlow flow = value_size_cost_flow(bytes, rates, ready, 1);
          const Time at = sliced_reply_arrival(start + copy, copy, bytes, path[0], sum, slowest, &nic_free);
          // The node's rate is recovered from its rounded copy time: a few ns over a whole value.
          EXPECT_NEAR(static_cast<double>(at.nanos()), flow.end, 3 + 1e-6 * flow.end)
              << bytes << " B, node " << node << ", path " << path.size() << " links, busy " << busy_us;
          EXPECT_NEAR(static_cast<double>(nic_free.nanos()), flow.probe_end, 3 + 1e-6 * flow.probe_end) << bytes;
          // A request: the links then the node reading; the lead is when the node may start so that its whole
          // per-byte time ends with the pipeline.
          std::vector<double> req = path;
          std::reverse(req.begin(), req.end());
          req.push_back(node);
          const double end = value_size_cost_flow(bytes, req, std::vector<double>(req.size(), 0.0), 0).end;
          const Time lead = sliced_request_lead(bytes, sum, slowest, node);
          EXPECT_NEAR(static_cast<double>((lead + copy).nanos()), std::max(end, static_cast<double>(copy.nanos())),
                      3 + 1e-6 * end)
              << bytes;
          if (bytes <= kValueSliceBytes) {  // one slice: the sum, as store-and-forward
            EXPECT_NEAR(flow.end - static_cast<double>(start.nanos()),
                        std::max(static_cast<double>(bytes) * node, busy_us * 1000) + static_cast<double>(bytes) * sum,
                        1e-6 * flow.end);
          }
        }
}

// One session: each request takes the round trip, the service, then the reply's bytes: up to 64 KB the node's copy
// and the transfer one after the other, beyond in 64 KB slices: the node's copy into the reply block (0.27 of its
// 0.3 ns per byte) whole, then its write (0.219 ns per byte) overlapping the link (the pipeline above). 100 KB at 8
// Gbit/s: two slices of 51,200 B, 40 + 10 + 8.29 + 51.2 x (0.219 + 1) + 51.2 x 1 µs (the serial sum would be
// 40 + 10 + 30.72 + 102.4 µs); 1 MB: 16 slices, the link bound, 40 + 10 + 84.93 + 65.536 x 0.219 + 1,048.576 µs.
TEST(ValueSizeCost, OneSessionPaysNodeTimeAndTransferTimePerByte) {
  for (const uint32_t bytes : {100u, 10240u, 65536u, 102400u, 1048576u}) {
    const double n = std::ceil(bytes / 65536.0), slice = bytes / n;
    const double before = n > 1 ? 0.27 * 0.3 * bytes : 0, write = 0.3 - before / bytes;
    const double bytes_us = (before + slice * (write + 1.0) + (n - 1) * slice * 1.0) / 1000;
    const double expected_us = 40 + 10 + bytes_us;
    EXPECT_NEAR(value_size_cost_throughput(value_size_cost_scenario(bytes, 1, 8, 0.3)), 1e6 / expected_us,
                0.01e6 / expected_us)
        << bytes;
  }
  // The two 100 KB figures of the comment: the pipeline's, and 5% faster than the serial sum.
  EXPECT_NEAR(40 + 10 + 8.2944 + (51.2 * 1.219 + 51.2), 171.9072, 1e-9);
  EXPECT_GT((40 + 10 + 30.72 + 102.4) / 171.9072, 1.05);
  EXPECT_DOUBLE_EQ(kReplyCopyBeforeWriteShare, 0.27);  // the comment's figures
}

// Many sessions: the node's thread and its NIC are two queues in a row, so throughput is the slower one's rate.
// 1 MB values: the thread takes 10 µs + 0.1 x 1,048,576 ns = 114.9 µs per GET; a 10 Gbit/s NIC 838.9 µs per reply,
// so the NIC bounds it at 1,192/s; at 400 Gbit/s (21 µs per reply) the node's thread does, at 8,705/s.
TEST(ValueSizeCost, ManySessionsHitTheSlowerOfNodeThreadAndNic) {
  const uint32_t mb = 1 << 20;
  const double nic_bound = 10e9 / 8 / mb;
  // A connection per session (pool_size 32): every GET is a read of its own and pays the whole 10 us
  // (docs/redis-reference.md §9.1).
  auto pooled = [](json s) {
    s["clients"]["pool_size"] = 32;
    return s;
  };
  EXPECT_NEAR(value_size_cost_throughput(pooled(value_size_cost_scenario(mb, 32, 10, 0.1))), nic_bound,
              0.01 * nic_bound);
  const double node_bound = 1e6 / (10 + 0.1e-3 * mb);
  EXPECT_NEAR(value_size_cost_throughput(pooled(value_size_cost_scenario(mb, 32, 400, 0.1))), node_bound,
              0.01 * node_bound);
}

// Zones: a leg's transfer time per byte is the sum over its path's links: two host links at the NIC's speed
// (host_link_gbps, else nic_gbps), and between racks two rack links, between zones two zone links as well.
TEST(ValueSizeCost, ZonesPathsSumTheirLinksTimePerByte) {
  const std::string text = R"({"cachelab": 1, "name": "z", "seed": 5, "duration_s": 1,
    "cluster": {"masters": 3},
    "network": {"nic_gbps": 8, "topology": {"layout": "zones", "zones": "a,b,c", "racks_per_zone": 2,
      "rack_link_gbps": 40, "zone_link_gbps": 16}},
    "workload": {"keys": 2000, "arrival": {"rate_per_s": 100}},
    "clients": {"instances": 6}})";
  const Scenario s = load_scenario_text(text, "z.json");
  const auto map = build_network(s, 3, false);
  Network net(s.network.rtt_us, Rng(11), map);
  const Placement& p = map->placement;
  EXPECT_DOUBLE_EQ(net.nic_ns_per_byte(), 1.0);
  int kinds[3] = {0, 0, 0};
  for (int c = 0; c < 6; ++c)
    for (int node = 0; node < 3; ++node) {
      double expected = 2 * 1.0;  // 8 / 8 Gbit/s at each end
      int kind = 0;
      if (p.client_zone[c] != p.node_zone[node]) {
        expected += 2 * 0.2 + 2 * 0.5;  // 8 / 40 and 8 / 16
        kind = 2;
      } else if (p.client_rack[c] != p.node_rack[node]) {
        expected += 2 * 0.2;
        kind = 1;
      }
      ++kinds[kind];
      EXPECT_NEAR(net.ns_per_byte(static_cast<uint16_t>(c), static_cast<uint32_t>(node)), expected, 1e-12)
          << "client " << c << " node " << node;
      // The slowest link sets a sliced value's pace (net/transfer.hpp): the 8 Gbit/s host links here.
      EXPECT_DOUBLE_EQ(net.max_ns_per_byte(static_cast<uint16_t>(c), static_cast<uint32_t>(node)), 1.0);
    }
  EXPECT_GT(kinds[2], 0);
  // host_link_gbps overrides the NIC speed.
  const Scenario h = load_scenario_text(
      json::parse(text)
          .patch(json::array({{{"op", "add"}, {"path", "/network/topology/host_link_gbps"}, {"value", 80}}}))
          .dump(),
      "z.json");
  Network hnet(h.network.rtt_us, Rng(11), build_network(h, 3, false));
  EXPECT_DOUBLE_EQ(hnet.nic_ns_per_byte(), 0.1);
  // Then a zone link (16 Gbit/s, 0.5 ns per byte) is the slowest of a path between zones.
  for (int c = 0; c < 6; ++c)
    for (int node = 0; node < 3; ++node)
      EXPECT_DOUBLE_EQ(hnet.max_ns_per_byte(static_cast<uint16_t>(c), static_cast<uint32_t>(node)),
                       p.client_zone[c] != p.node_zone[node]   ? 0.5
                       : p.client_rack[c] != p.node_rack[node] ? 0.2
                                                               : 0.1)
          << "client " << c << " node " << node;
}

// The knobs' defaults: the fitted per-byte costs (§12) and a 10 Gbit/s NIC; a NIC of 0 Gbit/s is refused.
TEST(ValueSizeCost, DefaultsAreTheFitAndTenGigabit) {
  const std::string text = R"({"cachelab": 1, "name": "d", "duration_s": 1,
    "workload": {"keys": 10, "arrival": {"rate_per_s": 10}}})";
  const Scenario s = load_scenario_text(text, "d.json");
  EXPECT_DOUBLE_EQ(s.cluster.store.get_ns_per_reply_byte, kFitGetNsPerReplyByte);
  EXPECT_DOUBLE_EQ(s.cluster.store.set_ns_per_request_byte, kFitSetNsPerRequestByte);
  EXPECT_DOUBLE_EQ(s.network.nic_gbps, 10);
  EXPECT_GT(kFitGetNsPerReplyByte, 0);
  EXPECT_GT(kFitSetNsPerRequestByte, 0);
  EXPECT_THROW(
      load_scenario_text(json::parse(text)
                             .patch(json::array({{{"op", "add"}, {"path", "/network"}, {"value", {{"nic_gbps", 0}}}}}))
                             .dump(),
                         "d.json"),
      ScenarioError);
}
