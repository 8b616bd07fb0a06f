// Failover timing, sim against live (issue 16 part 7): a few masters of a spawned 3 + 3 lab at node timeout 1 s are
// SIGKILLed in turn (live/lab/failover_timing.hpp) and each kill -> promotion time must look like a draw from the
// simulator's distribution of the same set-up (scenarios/validation/failover-timing.json over 200 seeds, the kill
// at a random phase of the second as tools/failover_timing_sim.cpp does). Loose on purpose, to stay stable with 5
// samples: the live median within the simulated 5-95 % range (if live and simulated times come from one
// distribution, 3 of 5 land above its 95th percentile with probability 0.12 %, below the 5th as often; the 10-90 %
// range this test had fails 1.7 % of honest runs), every sample within the simulated range widened by 0.25 s.
// The test runs alone (tests/live/CMakeLists.txt): a CI run beside other live tests on 2 cores saw 4 of 5 at
// 2.60-2.90 s against 2.17-2.60 s in nine earlier runs (sim median 2.33 s). The full comparison (25 failovers per
// node timeout, medians within 5 %, two-sample KS p > 0.05) is
// `cachelab-live failover-timing` + `cachelab_failover_sim` + tools/failover_timing.py (README "Measured").
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

#include "cachelab/core/rng.hpp"
#include "cachelab/io/input_file.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "lab_helpers.hpp"
#include "live/lab/failover_timing.hpp"

namespace cachelab::live {
namespace {

std::vector<double> simulated_promotions(int64_t nt_ms, int seeds) {
  const std::string file = std::string(CACHELAB_SOURCE_DIR) + "/scenarios/validation/failover-timing.json";
  const std::string text = io::read_regular_file(file, 1 << 20, "scenario");
  std::vector<double> out;
  for (int k = 1; k <= seeds; ++k) {
    const double at = 20.0 + Rng::stream(static_cast<uint64_t>(k), "failover-timing/kill-phase").uniform01();
    const Scenario s = load_scenario_text(text, file,
                                          {"/cluster/node_timeout_ms=" + std::to_string(nt_ms),
                                           "/seed=" + std::to_string(k), "/faults/0/at_s=" + std::to_string(at)});
    const RunOutput run = simulate(s);
    const auto& f = run.summary.at("failovers").at(0);
    out.push_back(f.at("t_promoted_s").get<double>() - f.at("t_kill_s").get<double>());
  }
  std::sort(out.begin(), out.end());
  return out;
}

double quantile(const std::vector<double>& sorted, double q) {
  return sorted[static_cast<size_t>(q * static_cast<double>(sorted.size() - 1))];
}

TEST(FailoverTimingLive, PromotionTimesLookLikeTheSimulatorsAtNodeTimeout1s) {
  CACHELAB_REQUIRE_REDIS();
  const std::vector<double> sim = simulated_promotions(1000, 200);
  FailoverTimingOptions o;
  o.lab = testing::cluster_config(3, 1);
  o.lab.control.node_timeout_ms = 1000;
  o.runs = 5;
  o.seed = 16;
  const std::vector<FailoverSample> live = measure_failovers(o);
  ASSERT_EQ(live.size(), 5u);
  std::vector<double> t;
  std::string fail_to_promotion;
  for (const auto& s : live) {
    ASSERT_TRUE(s.promoted_s && s.replica_fail_s) << s.victim;
    t.push_back(*s.promoted_s);
    char one[32];
    std::snprintf(one, sizeof one, " %.3f", *s.promoted_s - *s.replica_fail_s);
    fail_to_promotion += one;
    // Redis's own chain (docs/redis-reference.md §5.6): FAIL before promotion, then 500 + U[0, 500) ms and cron waits.
    EXPECT_GT(*s.promoted_s - *s.replica_fail_s, 0.45) << s.victim;
    EXPECT_LT(*s.promoted_s - *s.replica_fail_s, 1.4) << s.victim;
  }
  std::sort(t.begin(), t.end());
  const double live_median = t[2];
  std::printf(
      "[ figures  ] NT 1 s: live promotion %.3f %.3f %.3f %.3f %.3f s (FAIL seen to promotion, in kill order:%s s); "
      "sim (200 seeds) p5 %.3f median %.3f p95 %.3f\n",
      t[0], t[1], t[2], t[3], t[4], fail_to_promotion.c_str(), quantile(sim, 0.05), quantile(sim, 0.5),
      quantile(sim, 0.95));
  EXPECT_GE(live_median, quantile(sim, 0.05));
  EXPECT_LE(live_median, quantile(sim, 0.95));
  EXPECT_GE(t.front(), sim.front() - 0.25);
  EXPECT_LE(t.back(), sim.back() + 0.25);
}

}  // namespace
}  // namespace cachelab::live
