// The origin alone under Poisson load is M/M/c: its mean response time matches Erlang C within 2%
// (docs/validation.md §1.7 and table 5; Erlang C is computed here).
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <vector>

#include "cachelab/core/samplers.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/origin/origin.hpp"

using namespace cachelab;

namespace {

double erlang_c_mean_response_s(double lambda, double mu, int c) {
  const double a = lambda / mu;
  double term = 1, sum = 0;  // sum_{k<c} a^k/k!
  for (int k = 0; k < c; ++k) {
    if (k > 0) term *= a / k;
    sum += term;
  }
  const double top = term * a / c * c / (c - a);  // a^c/c! * c/(c-a)
  const double C = top / (sum + top);
  return C / (c * mu - lambda) + 1 / mu;
}

struct Arrivals final : EventHandler {
  Simulation& sim;
  Origin& origin;
  Rng rng;
  double rate;
  uint64_t left;
  std::vector<Time> issued;
  Arrivals(Simulation& s, Origin& o, double r, uint64_t n)
      : sim(s), origin(o), rng(s.stream("arrivals")), rate(r), left(n) {}
  void on_event(Time now, uint64_t) override {
    issued.push_back(now);
    origin.query(false, 0, static_cast<uint32_t>(issued.size() - 1));
    if (--left) sim.at(now + Time::from_seconds(sample_exponential(rng, 1 / rate)), this, 0);
  }
};

double simulate_mean_response_s(double lambda, double mu, int c, uint64_t customers, uint64_t seed) {
  Simulation sim(seed);
  OriginConfig cfg;
  cfg.servers = c;
  cfg.service_ms = {{"dist", "exponential"}, {"mean", 1000.0 / mu}};
  cfg.timeout_ms = 1e9;
  Origin origin(sim, cfg, nullptr, sim.stream("origin"));
  Arrivals arr(sim, origin, lambda, customers);
  double total = 0;
  uint64_t done = 0;
  const uint64_t warm = customers / 10;
  origin.on_reply([&](uint32_t tag, OriginOutcome o) {
    ASSERT_EQ(o, OriginOutcome::Ok);
    if (tag >= warm) {
      total += (sim.now() - arr.issued[tag]).seconds();
      ++done;
    }
  });
  sim.at(Time::ns(0), &arr, 0);
  sim.run_until(Time::s(1000000));
  EXPECT_EQ(done, customers - warm);
  return total / static_cast<double>(done);
}

}  // namespace

TEST(ErlangC, ReferenceValues) {
  EXPECT_NEAR(erlang_c_mean_response_s(900, 100, 10) * 1000, 16.6873, 1e-3);
  EXPECT_NEAR(erlang_c_mean_response_s(500, 100, 8) * 1000, 10.5576, 1e-3);
  EXPECT_NEAR(erlang_c_mean_response_s(90, 100, 1) * 1000, 100.0, 1e-9);
}

struct Case {
  double lambda, mu;
  int c;
};
class OriginMmc : public ::testing::TestWithParam<Case> {};
TEST_P(OriginMmc, MeanResponseMatchesErlangC) {
  const Case k = GetParam();
  const double w = simulate_mean_response_s(k.lambda, k.mu, k.c, 2000000, 77);
  const double theory = erlang_c_mean_response_s(k.lambda, k.mu, k.c);
  EXPECT_NEAR(w / theory, 1.0, 0.02) << "sim " << w * 1000 << " ms, Erlang C " << theory * 1000 << " ms";
}
INSTANTIATE_TEST_SUITE_P(
    Loads, OriginMmc, ::testing::Values(Case{900, 100, 10}, Case{500, 100, 8}, Case{50, 100, 1}, Case{3000, 100, 40}),
    [](const auto& info) {
      return "lambda" + std::to_string(static_cast<int>(info.param.lambda)) + "_c" + std::to_string(info.param.c);
    });

TEST(Origin, TimeoutsAndRejectionsUnderOverload) {
  Simulation sim(3);
  OriginConfig cfg;
  cfg.servers = 1;
  cfg.service_ms = {{"dist", "fixed"}, {"value", 10}};
  cfg.timeout_ms = 25;
  cfg.queue_limit = 3;
  Origin origin(sim, cfg, nullptr, sim.stream("origin"));
  std::vector<std::pair<uint32_t, OriginOutcome>> got;
  std::vector<Time> when;
  origin.on_reply([&](uint32_t tag, OriginOutcome o) {
    got.emplace_back(tag, o);
    when.push_back(sim.now());
  });
  for (uint32_t i = 0; i < 6; ++i) origin.query(false, 0, i);  // all at t=0
  sim.run_until(Time::s(1));
  // Job 0 is served at once (done at 10 ms); 1, 2, 3 wait; 4 and 5 find the queue full.
  // Job 1 starts at 10 ms and ends at 20 ms (< 25 ms: ok). Job 2 would end at 30 ms: it times out at 25 ms while
  // in service. Job 3 is still queued at 25 ms: timeout too.
  std::map<uint32_t, OriginOutcome> by_tag(got.begin(), got.end());
  EXPECT_EQ(by_tag[4], OriginOutcome::Rejected);
  EXPECT_EQ(by_tag[5], OriginOutcome::Rejected);
  EXPECT_EQ(by_tag[0], OriginOutcome::Ok);
  EXPECT_EQ(by_tag[1], OriginOutcome::Ok);
  EXPECT_EQ(by_tag[2], OriginOutcome::Timeout);
  EXPECT_EQ(by_tag[3], OriginOutcome::Timeout);
  for (size_t i = 0; i < got.size(); ++i)
    if (got[i].second == OriginOutcome::Timeout) {
      EXPECT_EQ(when[i], Time::ms(25));
    }
  EXPECT_EQ(got.size(), 6u);
}
