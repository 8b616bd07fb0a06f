// Does Redis's bucket-walk sampling (dictGetSomeKeys, dict.c; docs/redis-reference.md §7.5) change hit ratios compared
// with uniform sampling? Issue 4 asks to measure it. Zipf(0.8) and Zipf(0.99) over 50k objects, 1M requests each
// (one per ms, so the 1 s LRU clock ticks as in replay_redis_test), a cache of 10% of the objects, allkeys-lru and
// allkeys-lfu with maxmemory-samples 5 and 10, both samplers on the same traces. Each configuration runs on
// kSeeds independent traces (and store seeds); the table printed gives both hit ratios, the mean paired difference
// and its standard error, so a difference can be told from noise. Measured when written: the walk's hit ratio is
// lower by 0.0001-0.0018 in every configuration, several standard errors (a real but small effect: an order below
// the 0.01 the live validation allows). The check below keeps that bound, so a regression in either sampler shows.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/simulator.hpp"

using namespace cachelab;
using namespace cachelab::replay;

namespace {
constexpr uint32_t kObjects = 50000;
constexpr size_t kRequests = 1000000;
constexpr int kSeeds = 4;

Trace zipf_trace(double alpha, uint64_t seed) {
  Rng rng = Rng::stream(seed, "sampling-hit-ratio/zipf");
  ZipfSampler zipf(kObjects, alpha);
  Trace t;
  t.objects = kObjects;
  t.has_time = true;
  t.requests.resize(kRequests);
  for (size_t i = 0; i < kRequests; ++i) {
    t.requests[i].obj = static_cast<uint32_t>(zipf.sample(rng) - 1);
    t.requests[i].size_bytes = 1;
    t.requests[i].time_s = static_cast<uint32_t>(i / 1000);
  }
  t.requested_bytes = kRequests;
  t.working_set_bytes = kObjects;
  return t;
}

double hit_ratio(const Trace& t, const std::string& policy, int samples, const std::string& sampling, uint64_t seed) {
  ReplayConfig c;
  c.policy = policy;
  c.capacity_bytes = kObjects / 10;
  c.maxmemory_samples = samples;
  c.sampling = sampling;
  c.seed = seed;
  return 1 - cachelab::replay::replay(t, c).miss_ratio();
}
}  // namespace

TEST(SamplingHitRatio, UniformVersusBucketWalk) {
  std::printf("%-6s %-12s %-8s %-10s %-10s %-10s %-8s\n", "zipf", "policy", "samples", "uniform", "buckets", "diff",
              "se");
  for (double alpha : {0.8, 0.99}) {
    std::vector<Trace> traces;
    for (int s = 0; s < kSeeds; ++s) traces.push_back(zipf_trace(alpha, 100 + s));
    for (const char* policy : {"allkeys-lru", "allkeys-lfu"}) {
      for (int samples : {5, 10}) {
        double su = 0, sb = 0, sd = 0, sdd = 0;
        for (int s = 0; s < kSeeds; ++s) {
          const double u = hit_ratio(traces[s], policy, samples, "uniform", 7 + s);
          const double b = hit_ratio(traces[s], policy, samples, "buckets", 7 + s);
          ASSERT_GT(u, 0.05);
          ASSERT_LT(u, 1.0);
          ASSERT_GT(b, 0.05);
          ASSERT_LT(b, 1.0);
          su += u, sb += b, sd += b - u, sdd += (b - u) * (b - u);
        }
        const double n = kSeeds, mean = sd / n;
        const double se = std::sqrt(std::max(0.0, (sdd - n * mean * mean) / (n - 1)) / n);
        std::printf("%-6.2f %-12s %-8d %-10.5f %-10.5f %+-10.5f %-8.5f\n", alpha, policy, samples, su / n, sb / n, mean,
                    se);
        EXPECT_LT(std::abs(mean), 0.005) << alpha << " " << policy << " " << samples;
      }
    }
  }
}
