// Connection pools per node (clients.pool_size, clients.pipeline) and cache warming (clients.warm). Expectations
// come from queueing formulas and counts, never from a run's output: with one pooled connection a command occupies
// the connection for rtt + service (deterministic, D), so Poisson requests queue at the client as in M/D/1
// (docs/validation.md §1.7: Pollaczek-Khinchine, Wq = rho D / (2 (1 - rho))) and a saturated pool completes
// pool_size / D commands per second.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/workload/generator.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

// One key read over and over (after the warm-up every read is one GET, a hit), one client instance, one master.
RunOutput one_key(double rate, int pool, int pipeline, double rtt_us, double service_us, double duration_s,
                  double warmup_s = 2) {
  const std::string text =
      R"({"cachelab": 1, "name": "pool", "seed": 7, "duration_s": )" + std::to_string(duration_s) +
      R"(, "warmup_s": )" + std::to_string(warmup_s) + R"(, "metrics_interval_ms": 1000, "cluster": {"masters": 1,
      "service_us": {"dist": "fixed", "value": )" +
      std::to_string(service_us) + R"(}},
    "network": {"rtt_us": {"dist": "fixed", "value": )" +
      std::to_string(rtt_us) + R"(}},
    "workload": {"keys": 1, "popularity": {"dist": "uniform"}, "read_fraction": 1.0,
                 "arrival": {"dist": "poisson", "rate_per_s": )" +
      std::to_string(rate) + R"(}},
    "clients": {"instances": 1, "pool_size": )" +
      std::to_string(pool) + R"(, "pipeline": )" + std::to_string(pipeline) + R"(, "timeout_ms": 1000000},
    "origin": {"servers": 4, "service_ms": {"dist": "fixed", "value": 1}}})";
  return simulate(load_scenario_text(text, "pool.json"));
}

double mean_latency_s(const RunOutput& out) { return out.summary.at("latency_us").at("mean").get<double>() * 1e-6; }

}  // namespace

// A slow node behind a pool of one connection: the wait moves to the client and follows M/D/1 with D = rtt + service.
TEST(Pool, OneConnectionQueuesLikeMD1) {
  const double rtt = 100e-6, service = 1900e-6, D = rtt + service;
  for (double rho : {0.3, 0.6}) {
    const double lambda = rho / D;
    const RunOutput out = one_key(lambda, 1, 1, rtt * 1e6, service * 1e6, 400);
    const double expected = D + rho * D / (2 * (1 - rho));
    EXPECT_NEAR(mean_latency_s(out) / expected, 1.0, 0.03) << "rho " << rho;
    EXPECT_EQ(out.summary.at("hit_ratio").get<double>(), 1.0);
    EXPECT_GT(out.summary.at("clients").at("pool").at("queued").get<double>(), 0);
  }
}

// Without a pool the same load queues at the node instead, on the instance's one connection, so the commands that
// wait there are read together (docs/redis-reference.md §9.1): each after the first of a read costs the node 5% of a
// service time. The mean latency is then above the trip and one service (some commands wait) and below M/D/1 with
// the node's full service time for every command (what a pool of one connection per command would see at the
// node); the node is busy less than rho.
TEST(Pool, NoPoolQueuesAtTheNode) {
  const double rtt = 100e-6, service = 1900e-6, lambda = 0.6 / (rtt + service);
  const double rho = lambda * service;
  const RunOutput out = one_key(lambda, 0, 1, rtt * 1e6, service * 1e6, 400);
  const double md1 = rtt + service + rho * service / (2 * (1 - rho));
  EXPECT_GT(mean_latency_s(out), rtt + service);
  EXPECT_LT(mean_latency_s(out), 0.9 * md1);
  EXPECT_LT(out.summary.at("nodes").at(0).at("utilization").get<double>(), 0.9 * rho);
  EXPECT_FALSE(out.summary.at("clients").contains("pool"));
}

// Saturated: a pool completes pool_size * pipeline / D commands per second, whatever the offered load. No warm-up:
// the summary counts requests due after it, and an overloaded warm-up leaves a backlog that would eat the window.
TEST(Pool, ThroughputCappedAtPoolOverServiceTime) {
  const double rtt = 1900e-6, service = 100e-6, D = rtt + service;  // the node itself could do 10000/s
  for (auto [pool, pipeline] : {std::pair{1, 1}, std::pair{2, 1}, std::pair{1, 2}}) {
    const RunOutput out = one_key(3000, pool, pipeline, rtt * 1e6, service * 1e6, 30, 0);
    const double cap = pool * pipeline / D;
    EXPECT_NEAR(out.summary.at("throughput_per_s").get<double>() / cap, 1.0, 0.02) << pool << "x" << pipeline;
  }
  // Unbounded: the offered 3000/s get through.
  const RunOutput free = one_key(3000, 0, 1, rtt * 1e6, service * 1e6, 30, 0);
  EXPECT_NEAR(free.summary.at("throughput_per_s").get<double>() / 3000, 1.0, 0.03);
}

namespace {

std::string warm_scenario(int top_keys, double rate) {
  return R"({"cachelab": 1, "name": "warm", "seed": 3, "duration_s": 3, "metrics_interval_ms": 1000,
    "cluster": {"masters": 3},
    "workload": {"keys": 20000, "popularity": {"dist": "zipf", "alpha": 1.0}, "read_fraction": 1.0,
                 "arrival": {"dist": "poisson", "rate_per_s": )" +
         std::to_string(rate) + R"(}},
    "clients": {"instances": 4, "warm": {"top_keys": )" +
         std::to_string(top_keys) + R"(, "concurrency": 32}},
    "origin": {"servers": 64, "service_ms": {"dist": "fixed", "value": 2}}})";
}

double first_interval_hit_ratio(const RunOutput& out) {
  const auto& cols = out.series.columns;
  const size_t c = static_cast<size_t>(std::find(cols.begin(), cols.end(), "hit_ratio") - cols.begin());
  EXPECT_LT(c, cols.size());
  return std::stod(out.series.rows.at(0).at(c));
}

}  // namespace

// Warming the top keys raises the hit ratio of the first interval (the cold start is where the misses are).
TEST(Warm, RaisesTheFirstIntervalHitRatio) {
  const RunOutput cold = simulate(load_scenario_text(warm_scenario(0, 5000), "warm.json"));
  const RunOutput warm = simulate(load_scenario_text(warm_scenario(2000, 5000), "warm.json"));
  EXPECT_GT(first_interval_hit_ratio(warm), first_interval_hit_ratio(cold) + 0.05);
  EXPECT_EQ(warm.summary.at("clients").at("warm").at("loads").get<int>(), 2000);
  // The same request stream: warming draws from its own stream.
  EXPECT_EQ(warm.requests_issued, cold.requests_issued);
}

// Exactly K origin loads and K keys in the cache, nothing else, when no traffic comes.
TEST(Warm, LoadsExactlyTopKeysFromTheOrigin) {
  const RunOutput out = simulate(load_scenario_text(warm_scenario(1500, 0.001), "warm.json"));
  ASSERT_EQ(out.requests_issued, 0u);
  EXPECT_EQ(out.summary.at("origin").at("requests").get<int>(), 1500);
  const json& w = out.summary.at("clients").at("warm");
  EXPECT_EQ(w.at("loads").get<int>(), 1500);
  EXPECT_EQ(w.at("filled").get<int>(), 1500);
  uint64_t keys = 0;
  for (const auto& n : out.summary.at("nodes")) keys += n.at("keys").get<uint64_t>();
  EXPECT_EQ(keys, 1500u);
}

// The warm list follows the popularity's order.
TEST(Warm, TopKeysFollowThePopularity) {
  // latest: the newest loaded keys first; zipf: keys 0, 1, ...
  Scenario s = load_scenario_text(R"({"cachelab": 1, "name": "w", "duration_s": 1,
    "workload": {"keys": 100, "popularity": {"dist": "latest", "loaded_keys": 50}, "arrival": {"rate_per_s": 1}}})",
                                  "w.json");
  WorkloadGenerator g(s);
  Rng rng(1);
  const auto top = g.warm_requests(3, rng);
  ASSERT_EQ(top.size(), 3u);
  EXPECT_EQ(top[0].key, 49u);
  EXPECT_EQ(top[2].key, 47u);
}

// The XFetch reader skips its draw further than kXFetchReach * delta * beta before expiry: no u the Rng can return
// (>= 2^-53) fires the rule there, so skipping changes nothing but the cost.
TEST(XFetchReach, NoDrawCanFireBeyondTheReach) {
  const double u_min = 0x1.0p-53, delta = 3, beta = 1.5;
  EXPECT_GT(kXFetchReach, -std::log(u_min));
  EXPECT_FALSE(xfetch_triggers(0, delta, beta, kXFetchReach * delta * beta, u_min));
  EXPECT_TRUE(xfetch_triggers(0, delta, beta, 36.7 * delta * beta, u_min));  // inside: the smallest u still fires
}
