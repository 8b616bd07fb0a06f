// The live validation suite (issue 7 item 8, issue 4's live tests): each scenario of scenarios/validation/live runs
// on servers the test spawns (`cachelab-live live FILE --spawn --compare`), the simulator runs the same scenario and
// seed into <dir>-sim, and compare's verdict on the metrics that scenario validates must be "within". Tolerances are
// the issues' numbers: hit ratio 0.01 absolute, evicted keys 3%, kept keys 2%, promotion time 15%; expired keys 3%
// (the evicted-keys tolerance, for a counter of the same kind). Latency is not validated here: the simulator's RTT and
// service time are modelled, live ones are this shared CI machine's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <filesystem>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cachelab/results/compare.hpp"
#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

std::string validation_scenario_file(const std::string& name) {
  return std::string(CACHELAB_SOURCE_DIR) + "/scenarios/validation/live/" + name + ".json";
}

struct Validation {
  fs::path live, sim;
  CliRun run;
  nlohmann::json verdict;  // compare_runs(live, sim, the scenario's tolerances)
  std::string table;       // the whole verdict, for failure messages
};

// Runs FILE live with --compare (the CLI path users run) and then compares the two run directories again with only
// the tolerances this scenario validates.
Validation validate(const std::string& name, const compare::Tolerances& tol, const std::string& extra = "") {
  Validation v;
  v.live = fs::temp_directory_path() / ("cachelab-validation-" + name + "-" + std::to_string(::getpid()));
  v.sim = v.live.string() + "-sim";
  fs::remove_all(v.live);
  fs::remove_all(v.sim);
  v.run =
      run_live("live " + validation_scenario_file(name) + " --spawn --compare --out " + v.live.string() + " " + extra);
  if (fs::exists(v.live / "summary.json") && fs::exists(v.sim / "summary.json")) {
    v.verdict = compare::compare_runs(v.live, v.sim, tol);
    v.table = compare::format_verdict(v.verdict);
  }
  return v;
}

const nlohmann::json* row(const Validation& v, const std::string& metric) {
  for (const auto& r : v.verdict.at("metrics"))
    if (r.at("name") == metric) return &r;
  return nullptr;
}

void expect_within(const Validation& v, const std::string& metric) {
  const auto* r = row(v, metric);
  ASSERT_NE(r, nullptr) << metric << " missing\n" << v.table;
  // Both sides' numbers in the test log, passing or not: the suite's figures for the notes.
  std::cout << "[ measured ] " << metric << ": live " << r->at("a") << ", sim " << r->at("b") << "\n";
  EXPECT_TRUE(r->at("within").get<bool>()) << metric << ": live " << r->at("a") << ", sim " << r->at("b") << "\n"
                                           << v.table;
}

void cleanup(const Validation& v) {
  fs::remove_all(v.live);
  fs::remove_all(v.sim);
}

// `--compare` itself must pass: each scenario declares what it validates (its "compare" section, the same
// tolerances the tests below hold), and the command exits 0 only when all of them hold.
#define ASSERT_RAN(v)                                                                \
  do {                                                                               \
    ASSERT_FALSE((v).verdict.is_null()) << "no run directories\n" << (v).run.output; \
    EXPECT_EQ((v).run.exit_code, 0) << (v).run.output;                               \
  } while (0)

void eviction(const std::string& name) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate(name, {{"hit_ratio", {0.01, false}}});
  ASSERT_RAN(v);
  const auto* ev = row(v, "evicted_keys");
  ASSERT_NE(ev, nullptr);
  EXPECT_GT(ev->at("a").get<double>(), 0) << "live must evict in this scenario\n" << v.table;
  EXPECT_GT(ev->at("b").get<double>(), 0) << "the simulator must evict in this scenario\n" << v.table;
  expect_within(v, "hit_ratio");
  cleanup(v);
}

TEST(LiveValidation, EvictionAllkeysLruHitRatioWithin001) { eviction("evict-lru"); }
TEST(LiveValidation, EvictionAllkeysLfuHitRatioWithin001) { eviction("evict-lfu"); }
TEST(LiveValidation, EvictionAllkeysRandomHitRatioWithin001) { eviction("evict-random"); }

TEST(LiveValidation, KeysKeptUnderMaxmemoryWithin2Percent) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("kept-keys", {{"keys", {0.02, true}}, {"evicted_keys", {0.03, true}}});
  ASSERT_RAN(v);
  expect_within(v, "keys");
  expect_within(v, "evicted_keys");
  cleanup(v);
}

TEST(LiveValidation, TtlExpiryCountsAndHitRatio) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("ttl-expiry", {{"expired_keys", {0.03, true}}, {"hit_ratio", {0.01, false}}});
  ASSERT_RAN(v);
  EXPECT_GT(row(v, "expired_keys")->at("a").get<double>(), 1000) << v.table;
  // Lazy expiry decides hits, and it agrees.
  expect_within(v, "hit_ratio");
  // The active expire cycle reclaims as Redis's does. (It once reclaimed 17% fewer: the simulator walked its keys in
  // insertion order, so runs of fresh keys ended cycles at the 10%-stale rule; then ~2.4% more: a permutation fixed
  // per pass never met keys set during the pass, so its samples were staler than Redis's bucket walk. It now keeps
  // the keys in hashed order, store.cpp vol_add; 9 live runs: 58,583-59,755 against the simulator's 58,781.)
  expect_within(v, "expired_keys");
  cleanup(v);
}

// `relative_tol`: the scenario's own (see its description): a mean of three live failovers against a mean of three
// simulated ones differs by about 20% (1 sigma) at NT 2 s and 10% at NT 5 s, so 35% and 25%; the simulator's
// 200-seed means against Redis's measured ones are the tight checks (unit tests, within 15%).
void failover(const std::string& name, double relative_tol) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate(name, {{"failovers.promotion_s", {relative_tol, true}}});
  ASSERT_RAN(v);
  const results::Run live = results::load_run(v.live);
  ASSERT_EQ(live.summary.failovers.size(), 3u) << v.table;
  for (const auto& f : live.summary.failovers) {
    // Read from the servers: every step of the chain was seen, in order.
    EXPECT_TRUE(std::isfinite(f.t_promoted_s)) << f.node << " was not promoted\n" << v.table;
    EXPECT_LE(f.t_kill_s, f.t_pfail_s) << f.node;
    EXPECT_LE(f.t_pfail_s, f.t_fail_s) << f.node;
    EXPECT_LE(f.t_fail_s, f.t_promoted_s) << f.node;
    EXPECT_LE(f.t_promoted_s, f.t_ok_s) << f.node;
    EXPECT_FALSE(f.new_master.empty()) << f.node;
  }
  expect_within(v, "failovers.promotion_s");
  cleanup(v);
}

TEST(LiveValidation, FailoverAtNodeTimeout2sPromotionTimeWithin35Percent) { failover("failover-nt2000", 0.35); }
TEST(LiveValidation, FailoverAtNodeTimeout5sPromotionTimeWithin25Percent) { failover("failover-nt5000", 0.25); }

TEST(LiveValidation, KeySlotsRangesAndKeysPerNode) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("key-slots", {{"errors.moved", {0, false}}, {"errors.ask", {0, false}}});
  ASSERT_RAN(v);
  expect_within(v, "errors.moved");
  expect_within(v, "errors.ask");
  const results::Run live = results::load_run(v.live), sim = results::load_run(v.sim);
  ASSERT_EQ(live.summary.nodes.size(), sim.summary.nodes.size());
  for (size_t i = 0; i < live.summary.nodes.size(); ++i) {
    const auto& l = live.summary.nodes[i];
    const auto& s = sim.summary.nodes[i];
    EXPECT_EQ(l.name, s.name);
    EXPECT_EQ(l.slot_ranges, s.slot_ranges) << l.name;
    // The same keys land on the same node; only requests the simulator leaves in flight at duration_s differ.
    EXPECT_NEAR(l.keys, s.keys, 0.005 * s.keys) << l.name;
  }
  EXPECT_EQ(live.summary.raw.at("hot_slots").at(0).at("slot"), sim.summary.raw.at("hot_slots").at(0).at("slot"));
  cleanup(v);
}

// Value size (issue 16 part 3, docs/redis-reference.md §12): one node, one closed-loop session reading values of
// 100 B to 1 MB, throughput live against simulated. The client's own time per request is not modelled and this
// shared machine's load moves it (20k to 31k requests/s at 100 B in runs a minute apart), so each round starts with a
// 100 B run that sets the round trip (`network.rtt_us`: 1 / live throughput minus the simulator's own time); then
// 1 KB, 10 KB, 100 KB and 1 MB run in both modes with it and the scenario's loopback rate (network.nic_gbps 8, from
// the measurement of §12.3). The target, 15%, holds at 1 KB (the median of 3 rounds). Beyond, how fast the
// client takes a big reply off loopback while Redis writes it depends on the load (two cores overlapping or not:
// 0.4 to 1.0 ns per byte measured) and on the size (one write below 64 KB, slices above), which one rate per link
// cannot follow: the medians ran from 3% to 37% at 10 KB and 100 KB and 35% at 1 MB over five runs (§12.4). There the
// test holds the simulator within a factor of 2 of live at 10 KB and 100 KB. At 1 MB it holds no ratio: live ran
// 1,070-1,673/s under load and 2,291-3,623/s on an idle machine (the clean-clone CI run) against the simulator's
// 805/s, so the gap (sim 0.25-0.52 of live) is the model's, stated in §12.4, not a tolerance to fit. It checks that
// 1 MB costs over half of the 1 KB throughput live, and each step of size over half in the simulator (medians of the
// rounds): a model without any cost per byte is off by about 4x at 100 KB and 20x at 1 MB.
constexpr double kBigValuesMeasuredS = 2;  // big-values.json: duration 3 s, warm-up 1 s

double big_values_throughput(const Validation& v, const char* side) {
  return row(v, "requests")->at(side).get<double>() / kBigValuesMeasuredS;
}

TEST(LiveValidation, BigValuesThroughputLiveAgainstSimFrom1KBTo1MB) {
  CACHELAB_REQUIRE_REDIS();
  const compare::Tolerances tol{{"requests", {0.15, true}}};
  const std::vector<int> sizes = {1000, 10000, 100000, 1048576};
  std::map<int, std::vector<double>> ratios;           // sim / live
  std::map<int, std::vector<double>> live_at, sim_at;  // throughputs per round
  for (int round = 0; round < 3; ++round) {
    // The calibration run (its verdict may say "outside": the scenario's 40 us is not this machine's round trip now).
    const Validation small = validate("big-values", tol, "--set /workload/value_bytes/value=100");
    ASSERT_FALSE(small.verdict.is_null()) << small.run.output;
    const double rtt_us = 40 + (1e6 / big_values_throughput(small, "a") - 1e6 / big_values_throughput(small, "b"));
    cleanup(small);
    ASSERT_GT(rtt_us, 0) << small.table;
    char rtt[64];
    std::snprintf(rtt, sizeof rtt, "%.1f", rtt_us);
    std::cout << "[ measured ] round " << round << ": round trip " << rtt << " us\n";
    for (const int bytes : sizes) {
      const Validation v = validate(
          "big-values", tol,
          "--set /workload/value_bytes/value=" + std::to_string(bytes) + " --set /network/rtt_us/value=" + rtt);
      ASSERT_FALSE(v.verdict.is_null()) << v.run.output;
      const double live = big_values_throughput(v, "a"), sim = big_values_throughput(v, "b");
      std::cout << "[ measured ] " << bytes << " B: live " << live << "/s, sim " << sim << "/s\n";
      ratios[bytes].push_back(sim / live);
      live_at[bytes].push_back(live);
      sim_at[bytes].push_back(sim);
      cleanup(v);
    }
  }
  for (const int bytes : sizes) {
    std::sort(ratios[bytes].begin(), ratios[bytes].end());
    const double median = ratios[bytes][1];
    std::cout << "[ measured ] " << bytes << " B: median sim / live " << median << "\n";
    if (bytes == 1000) {
      EXPECT_NEAR(median, 1.0, 0.15) << "1 KB: median sim / live " << median;
    } else if (bytes < 500000) {
      EXPECT_TRUE(median > 0.5 && median < 2) << bytes << " B: median sim / live " << median;
    }
    std::sort(live_at[bytes].begin(), live_at[bytes].end());
    std::sort(sim_at[bytes].begin(), sim_at[bytes].end());
  }
  const auto med = [](const std::vector<double>& v) { return v[1]; };
  // Live, the throughput at 1 KB is bound by the round trip, which the machine's load moves from round to round
  // (10.7-43.5 us in one CI run), so only a gap no load hides is checked there: 1 MB under half of 1 KB. The
  // simulator is deterministic: each step of size costs over half the throughput.
  EXPECT_LT(med(live_at[1048576]), 0.5 * med(live_at[1000])) << "live: 1 MB against 1 KB";
  EXPECT_LT(med(sim_at[100000]), 0.5 * med(sim_at[1000])) << "sim: 100 KB against 1 KB";
  EXPECT_LT(med(sim_at[1048576]), 0.5 * med(sim_at[100000])) << "sim: 1 MB against 100 KB";
}

}  // namespace
}  // namespace cachelab::live
