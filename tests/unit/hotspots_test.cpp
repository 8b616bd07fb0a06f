// Hot keys with Space-Saving (metrics/space_saving.hpp) against exact counts computed independently, and hot slots
// in a simulated run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "cachelab/cluster/slots.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/metrics/space_saving.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

namespace cachelab {
namespace {

TEST(SpaceSaving, FindsTheTrueTopKeysOfAZipfStreamWithinTheBound) {
  const size_t k = 512;
  const uint64_t n = 2'000'000;
  ZipfSampler zipf(10'000'000, 0.99);
  Rng rng(123);
  SpaceSaving ss(k);
  std::unordered_map<uint64_t, uint64_t> exact;
  for (uint64_t i = 0; i < n; ++i) {
    // Scatter ranks over the key space so that hot keys are not small numbers.
    const uint64_t key = zipf.sample(rng) * 0x9E3779B97F4A7C15ull;
    ss.add(key);
    ++exact[key];
  }
  std::vector<std::pair<uint64_t, uint64_t>> truth(exact.begin(), exact.end());
  std::sort(truth.begin(), truth.end(), [](auto& a, auto& b) { return a.second > b.second; });
  const auto top = ss.top(10);
  ASSERT_EQ(top.size(), 10u);
  for (size_t i = 0; i < 10; ++i) {
    // Same keys in the same order (the top ranks of Zipf 0.99 are far apart at 2M samples), and the guarantee
    // true <= estimate <= true + error, error <= n/k.
    EXPECT_EQ(top[i].item, truth[i].first) << "rank " << i;
    const uint64_t t = exact[top[i].item];
    EXPECT_LE(t, top[i].count);
    EXPECT_LE(top[i].count - top[i].error, t);
    EXPECT_LE(top[i].error, n / k);
  }
  // Every key above n/k is monitored.
  const auto all = ss.top(k);
  for (const auto& [key, c] : truth) {
    if (c <= n / k) break;
    // The key is copied into the lambda: Clang 14 (make sanitize) cannot capture a structured binding.
    EXPECT_TRUE(std::any_of(all.begin(), all.end(), [item = key](const auto& e) { return e.item == item; })) << key;
  }
  EXPECT_EQ(ss.total(), n);
}

TEST(SpaceSaving, ExactWhileDistinctItemsFit) {
  SpaceSaving ss(8);
  for (int r = 0; r < 5; ++r)
    for (uint64_t i = 1; i <= 8; ++i)
      for (uint64_t j = 0; j < i; ++j) ss.add(i);
  const auto top = ss.top(8);
  ASSERT_EQ(top.size(), 8u);
  for (size_t i = 0; i < 8; ++i) {
    EXPECT_EQ(top[i].item, 8 - i);
    EXPECT_EQ(top[i].count, 5 * (8 - i));
    EXPECT_EQ(top[i].error, 0u);
  }
}

TEST(HotSpots, SummaryAndSeriesNameTheHottestKeyAndSlot) {
  const char* text = R"({"cachelab": 1, "name": "hot", "duration_s": 10, "warmup_s": 1, "seed": 3,
    "cluster": {"masters": 3},
    "workload": {"keys": 100000, "popularity": {"dist": "zipf", "alpha": 1.2}, "arrival": {"rate_per_s": 20000}},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}}})";
  const RunOutput out = simulate(load_scenario_text(text, "hot.json"));
  const auto& s = out.summary;
  ASSERT_GE(s["hot_keys"].size(), 3u);
  ASSERT_GE(s["hot_slots"].size(), 3u);
  // The hottest key of Zipf 1.2 takes 1/H(100000, 1.2) of the requests (about 20 %); its slot at least as much.
  double h = 0;
  for (int r = 1; r <= 100000; ++r) h += std::pow(r, -1.2);
  const double key_share = s["hot_keys"][0]["share"];
  EXPECT_NEAR(key_share, 1 / h, 0.02);  // the sketch sees 1 operation in 16: ~11k samples here
  EXPECT_GE(s["hot_slots"][0]["share"].get<double>(), key_share - 0.02);
  EXPECT_EQ(s["hot_keys_counters"], 512);
  EXPECT_EQ(s["hot_keys_sample_every"], 16);
  // The hottest slot is the hottest key's slot (a fifth of the load on one key dominates any slot).
  EXPECT_EQ(s["hot_slots"][0]["slot"], key_hash_slot(s["hot_keys"][0]["key"].get<std::string>()));
  double share = 0;
  for (auto& [name, v] : s["node_ops_share"].items()) share += v.get<double>();
  EXPECT_NEAR(share, 1.0, 1e-9);
  const auto& cols = out.series.columns;
  const auto c = std::find(cols.begin(), cols.end(), "hot_slot_share") - cols.begin();
  ASSERT_LT(static_cast<size_t>(c), cols.size());
  for (const auto& row : out.series.rows) EXPECT_GT(std::stod(row[static_cast<size_t>(c)]), 0.1);
}

}  // namespace
}  // namespace cachelab
