// A metric declared in one place (a RunMetric registered with the run session) shows in both modes' summary.json
// and in compare: the simulator and live mode run the same session, so nothing else has to be written for it. Its
// own executable: the registration adds a key to every summary this process writes. Starts its own redis-server
// processes on loopback (cachelab live --spawn, in process).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "../../run_metric/completed_requests.hpp"
#include "../lab_helpers.hpp"
#include "cachelab/results/compare.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "live/replay/driver.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& tag) {
  const fs::path d = fs::temp_directory_path() / ("cachelab-metric-parity-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

TEST(MetricParity, AThrowawayMetricShowsInBothModesAndInCompare) {
  CACHELAB_REQUIRE_REDIS();
  const std::string file = std::string(CACHELAB_LIVE_SCENARIOS) + "/small-evict.json";
  const fs::path sim_dir = fresh_dir("sim"), live_dir = fresh_dir("live");

  const Scenario s = load_scenario_file(file, {"/warmup_s=0"});
  const RunOutput sim = simulate(s);
  write_run_dir(sim_dir, make_run_json(s, sim, "sim", utc_now_iso()), sim.summary, sim.series, sim.events);

  LiveOptions o;
  o.file = file;
  o.sets = {"/warmup_s=0"};
  o.spawn = true;
  o.out = live_dir.string();
  ASSERT_EQ(run_live(o), 0);
  const results::Run live = results::load_run(live_dir);
  ASSERT_TRUE(live.summary.raw.contains("throwaway_completed_requests"));
  EXPECT_GT(live.summary.requests, 1000);
  EXPECT_EQ(live.summary.raw.at("throwaway_completed_requests").get<double>(), live.summary.requests);
  EXPECT_EQ(sim.summary.at("throwaway_completed_requests"), sim.summary.at("requests"));

  const nlohmann::json verdict = compare::compare_runs(sim_dir, live_dir, compare::default_tolerances());
  const nlohmann::json* row = nullptr;
  for (const auto& r : verdict.at("metrics"))
    if (r.at("name") == "throwaway_completed_requests") row = &r;
  ASSERT_NE(row, nullptr) << verdict.dump(2);
  EXPECT_EQ(row->at("a").get<double>(), sim.summary.at("throwaway_completed_requests").get<double>());
  EXPECT_EQ(row->at("b").get<double>(), live.summary.requests);
  fs::remove_all(sim_dir);
  fs::remove_all(live_dir);
}

}  // namespace
}  // namespace cachelab::live
