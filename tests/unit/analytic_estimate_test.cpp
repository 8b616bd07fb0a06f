// The estimate's pieces against the simulator's own accounting, and its shape: the memory -> keys conversion must
// give the number of keys a full simulated node holds (same memory model), and the estimate must take milliseconds.
#include <gtest/gtest.h>

#include "cachelab/analytic/estimate.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
// maxmemory: the 2100kb this test had, plus what a cluster node now holds besides keys (9 latency histograms, one
// peer, docs/redis-reference.md §7.8), so the node is again just full.
const char* kFull = R"({"cachelab": 1, "name": "est", "seed": 3, "duration_s": 3, "warmup_s": 1,
  "cluster": {"masters": 2, "maxmemory": 2385000, "maxmemory_policy": "allkeys-lru"},
  "workload": {"keys": 2000, "popularity": {"dist": "zipf", "alpha": 0.8}, "value_bytes": {"dist": "fixed", "value": 100},
               "read_fraction": 1, "arrival": {"rate_per_s": 20000}},
  "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
  "slo": {"hit_ratio_min": 0.5, "origin_requests_per_s_max": 100000}})";
}  // namespace

TEST(Estimate, CapacityMatchesAFullSimulatedNode) {
  const Scenario s = load_scenario_text(kFull, "est.json");
  const analytic::Estimate e = analytic::estimate(s);
  const RunOutput out = simulate(s);
  for (const auto& n : out.summary["nodes"]) {
    ASSERT_GT(n["evicted_keys"].get<uint64_t>(), 0u) << "the node must be full for the comparison";
    // Within 0.5%: the estimate prices every key at one typical name length, while "key:7" is shorter than
    // "key:1234" and can fall in a smaller jemalloc class; a node can also hold one key more right after a fill.
    EXPECT_NEAR(static_cast<double>(n["keys"].get<uint64_t>()), static_cast<double>(e.capacity_keys_per_node),
                1.0 + 0.005 * static_cast<double>(e.capacity_keys_per_node));
  }
  EXPECT_LT(e.wall_ms, 1000.0);
  ASSERT_EQ(e.slo.size(), 2u);
  EXPECT_EQ(e.slo[0].name, "hit_ratio_min");
  // Origin load = reads x (1 - h) with no writes.
  EXPECT_NEAR(e.origin_mean_per_s, 20000 * (1 - e.hit.hit_ratio), 1e-6);
}
