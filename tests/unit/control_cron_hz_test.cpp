// clusterCron's period follows hz as Redis 7.0 schedules it (docs/redis-reference.md §3.2: serverCron every 1000/hz
// ms, clusterCron under run_with_period(100)), and the live lab gets the same hz, so both modes detect failures on
// the same clock.
#include <gtest/gtest.h>

#include <string>

#include "cachelab/cluster/control/control_plane.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

// Worked from the macro in server.h:620: run_with_period(ms) fires when ms <= 1000/hz, else on every
// (ms / (1000/hz))-th serverCron loop, each loop 1000/hz ms (integer division throughout).
TEST(ClusterCronPeriod, FollowsRunWithPeriodOfServerCron) {
  EXPECT_EQ(control::cluster_cron_period_ms(10), 100);  // the default: 100 <= 100, every loop
  EXPECT_EQ(control::cluster_cron_period_ms(1), 1000);  // every 1 s loop
  EXPECT_EQ(control::cluster_cron_period_ms(4), 250);
  EXPECT_EQ(control::cluster_cron_period_ms(15), 66);    // 1000/15 = 66, 100/66 = 1: every loop
  EXPECT_EQ(control::cluster_cron_period_ms(20), 100);   // every 2nd 50 ms loop
  EXPECT_EQ(control::cluster_cron_period_ms(30), 99);    // every 3rd 33 ms loop
  EXPECT_EQ(control::cluster_cron_period_ms(500), 100);  // every 50th 2 ms loop
}

namespace {
double pfail_after_timeout_s(int hz, int seed) {
  const std::string text = R"({"cachelab": 1, "name": "hz", "duration_s": 30, "warmup_s": 1, "seed": )" +
                           std::to_string(seed) + R"(,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 2000, "hz": )" +
                           std::to_string(hz) + R"(},
    "workload": {"keys": 5000, "arrival": {"rate_per_s": 2000}},
    "faults": [{"at_s": 10, "action": "kill", "node": "master-1"}]})";
  const RunOutput out = simulate(load_scenario_text(text, "hz.json"));
  const auto& f = out.summary.at("failovers").at(0);
  return f.at("t_pfail_s").get<double>() - f.at("t_kill_s").get<double>() - 2.0;
}
}  // namespace

// A peer is marked PFAIL by the first clusterCron at which its oldest unanswered ping is older than node_timeout
// (§4.1); that ping went out at a cron once the peer's last pong was NT/2 old (or as the 1-in-10-crons random
// ping). Every period is a little longer than nominal (the event loop's lateness, §3.2), so the NT/2 rule and the PFAIL
// check fire on the call that ends the interval, not one later: detection follows the kill by NT minus up to one period
// (a ping already pending) to NT + NT/2 + one period (plus the lateness of those calls, under 1 ms each). Coarser crons
// make it no earlier on average: the ping after the kill waits for a call, and the random ping comes every 10 s at hz 1.
TEST(ClusterCronPeriod, FailureDetectionGranularityFollowsHz) {
  double sum_hz1 = 0, sum_hz10 = 0;
  const int seeds = 8;
  for (int seed = 1; seed <= seeds; ++seed) {
    const double d1 = pfail_after_timeout_s(1, seed), d10 = pfail_after_timeout_s(10, seed);
    EXPECT_GE(d1, -1.0) << seed;
    EXPECT_LE(d1, 1.0 + 1.0 + 0.01) << seed;
    EXPECT_GE(d10, -0.1) << seed;
    EXPECT_LE(d10, 1.0 + 0.1 + 0.03) << seed;
    sum_hz1 += d1;
    sum_hz10 += d10;
  }
  EXPECT_GT(sum_hz1 / seeds, sum_hz10 / seeds);
}
