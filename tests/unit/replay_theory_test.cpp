// Replay policies against theory under IRM Zipf requests with unit sizes (docs/validation.md §1.1-1.3):
// LRU vs Che's approximation (C >= 100), FIFO and RANDOM vs the exact product form, within 3 standard errors
// (batch means) + 0.0005; perfect LFU as an upper bound for in-cache LFU; Belady above every policy.
// Each configuration draws its own trace from its own seed (a shared stream biased everything, docs/validation.md §A′).
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/simulator.hpp"

using cachelab::derive_seed;
using cachelab::Rng;
using cachelab::ZipfSampler;
using namespace cachelab::replay;

namespace {

constexpr uint64_t kWarmupBatches = 4, kBatches = 20, kBatchRequests = 60'000;

std::vector<double> zipf_pmf(size_t n, double alpha) {
  std::vector<double> p(n);
  double z = 0;
  for (size_t i = 0; i < n; ++i) z += p[i] = std::pow(static_cast<double>(i + 1), -alpha);
  for (double& x : p) x /= z;
  return p;
}

// Solves sum_i fill(p_i T) = C for T by bisection.
template <class Fill>
double characteristic_time(const std::vector<double>& p, double C, Fill fill) {
  auto filled = [&](double T) {
    double s = 0;
    for (double x : p) s += fill(x * T);
    return s;
  };
  double lo = 0, hi = 1;
  while (filled(hi) < C) hi *= 2;
  for (int i = 0; i < 200; ++i) {
    const double mid = (lo + hi) / 2;
    (filled(mid) < C ? lo : hi) = mid;
  }
  return lo;
}

// Che (§1.1): h = sum_i p_i (1 - exp(-p_i T_C)).
double che_hit_ratio(const std::vector<double>& p, double C) {
  const double T = characteristic_time(p, C, [](double x) { return 1 - std::exp(-x); });
  double h = 0;
  for (double x : p) h += x * (1 - std::exp(-x * T));
  return h;
}

// Exact FIFO/RANDOM (§1.2): h = 1 - (C+1) P(K=C+1) / (s P(K=C)), K Poisson-binomial with q_i = s p_i / (1 + s p_i).
double product_form_hit_ratio(const std::vector<double>& p, size_t C) {
  const double s = characteristic_time(p, static_cast<double>(C), [](double x) { return x / (1 + x); });
  std::vector<double> dist(C + 2, 0.0);
  dist[0] = 1;
  for (double x : p) {
    const double q = s * x / (1 + s * x);
    for (size_t k = C + 1; k > 0; --k) dist[k] = dist[k] * (1 - q) + dist[k - 1] * q;
    dist[0] *= 1 - q;
  }
  return 1 - (C + 1) * dist[C + 1] / (s * dist[C]);
}

// §1.3: the C most popular items.
double perfect_lfu_hit_ratio(const std::vector<double>& p, size_t C) {
  double h = 0;
  for (size_t i = 0; i < C; ++i) h += p[i];
  return h;
}

Trace zipf_trace(uint64_t n, double alpha, const std::string& stream) {
  Rng rng = Rng::stream(20240501, stream);
  ZipfSampler zipf(n, alpha);
  Trace t;
  t.objects = static_cast<uint32_t>(n);
  t.has_time = false;
  const uint64_t len = (kWarmupBatches + kBatches) * kBatchRequests;
  t.requests.resize(len);
  for (auto& r : t.requests) {
    r.obj = static_cast<uint32_t>(zipf.sample(rng) - 1);
    r.size_bytes = 1;
  }
  t.requested_bytes = len;
  t.working_set_bytes = n;
  compute_next_access(t);
  return t;
}

struct Measured {
  double hit_ratio, se;
};

Measured measure(const Trace& t, const std::string& policy, uint64_t capacity) {
  ReplayConfig cfg;
  cfg.policy = policy;
  cfg.capacity_bytes = capacity;
  cfg.unit_size = true;
  cfg.batch_requests = kBatchRequests;
  cfg.seed = derive_seed(7, policy);
  const ReplayResult r = replay(t, cfg);
  std::vector<double> hits;
  for (size_t b = kWarmupBatches; b < r.batch_misses.size(); ++b)
    hits.push_back(1 - static_cast<double>(r.batch_misses[b]) / kBatchRequests);
  double mean = 0, var = 0;
  for (double h : hits) mean += h / hits.size();
  for (double h : hits) var += (h - mean) * (h - mean) / (hits.size() - 1);
  return {mean, std::sqrt(var / hits.size())};
}

struct Config {
  double alpha;
  uint64_t n, capacity;
};
std::string config_name(const Config& c) {
  // Appended piece by piece: gcc 12 flags `"a" + std::to_string(...)` with a false -Wrestrict.
  std::string s = "a";
  s += std::to_string(static_cast<int>(c.alpha * 100));
  s += "_N";
  s += std::to_string(c.n);
  s += "_C";
  s += std::to_string(c.capacity);
  return s;
}

}  // namespace

class ReplayLruVsChe : public ::testing::TestWithParam<Config> {};
TEST_P(ReplayLruVsChe, WithinThreeStandardErrors) {
  const Config c = GetParam();
  const Measured m = measure(zipf_trace(c.n, c.alpha, "lru/" + config_name(c)), "lru", c.capacity);
  const double che = che_hit_ratio(zipf_pmf(c.n, c.alpha), static_cast<double>(c.capacity));
  EXPECT_NEAR(m.hit_ratio, che, 3 * m.se + 0.0005) << "Che " << che << " replay " << m.hit_ratio << " se " << m.se;
}
INSTANTIATE_TEST_SUITE_P(ReplayZipf, ReplayLruVsChe,
                         ::testing::Values(Config{0.8, 10000, 1000}, Config{0.99, 10000, 100}, Config{1.2, 10000, 100}),
                         [](const auto& info) { return config_name(info.param); });

class ReplayProductForm : public ::testing::TestWithParam<std::tuple<std::string, Config>> {};
TEST_P(ReplayProductForm, FifoAndRandomWithinThreeStandardErrors) {
  const auto& [policy, c] = GetParam();
  const Measured m = measure(zipf_trace(c.n, c.alpha, policy + "/" + config_name(c)), policy, c.capacity);
  const double exact = product_form_hit_ratio(zipf_pmf(c.n, c.alpha), c.capacity);
  EXPECT_NEAR(m.hit_ratio, exact, 3 * m.se + 0.0005) << "exact " << exact << " replay " << m.hit_ratio;
}
INSTANTIATE_TEST_SUITE_P(
    ReplayZipf, ReplayProductForm,
    ::testing::Combine(::testing::Values("fifo", "random"),
                       ::testing::Values(Config{0.8, 10000, 1000}, Config{1.2, 10000, 100}, Config{0.99, 10000, 10})),
    [](const auto& info) { return std::get<0>(info.param) + "_" + config_name(std::get<1>(info.param)); });

// The analytic side itself against docs/validation.md table A, so a wrong formula cannot pass unnoticed.
TEST(ReplayTheory, AnalyticValuesMatchTableA) {
  EXPECT_NEAR(che_hit_ratio(zipf_pmf(10000, 0.8), 1000), 0.43666, 0.00001);
  EXPECT_NEAR(product_form_hit_ratio(zipf_pmf(10000, 0.8), 1000), 0.39422, 0.00001);
  EXPECT_NEAR(product_form_hit_ratio(zipf_pmf(10000, 1.2), 100), 0.60384, 0.00001);
  EXPECT_NEAR(perfect_lfu_hit_ratio(zipf_pmf(10000, 0.8), 1000), 0.57062, 0.00001);
}

// On one trace: Belady (optimal for unit sizes) is above every policy, and in-cache LFU, which forgets counts on
// eviction, stays below perfect LFU (docs/validation.md §1.3: an upper reference, not an expected value).
TEST(ReplayTheory, BeladyAboveAllAndLfuBelowPerfectLfu) {
  const Config c{0.8, 10000, 1000};
  const Trace t = zipf_trace(c.n, c.alpha, "bounds/" + config_name(c));
  const Measured belady = measure(t, "belady", c.capacity);
  for (const auto& k : cachelab::ObjectPolicyRegistry::instance().all()) {
    const Measured m = measure(t, k.name, c.capacity);
    EXPECT_GE(belady.hit_ratio, m.hit_ratio) << k.name;
    if (k.name == "lfu") {
      const double perfect = perfect_lfu_hit_ratio(zipf_pmf(c.n, c.alpha), c.capacity);
      EXPECT_LE(m.hit_ratio, perfect + 3 * m.se + 0.0005) << "perfect LFU " << perfect;
      // ... and it is still a frequency policy: better than LRU under IRM.
      EXPECT_GT(m.hit_ratio, measure(t, "lru", c.capacity).hit_ratio);
    }
  }
}
