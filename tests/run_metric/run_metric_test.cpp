// A metric declared in one place (a RunMetric registered with the run session) shows in the simulator's
// summary.json and in `cachelab compare`; tests/live/metric_parity/ checks the same metric in live mode. Its own
// executable: the registration (completed_requests.hpp) adds a key to every summary this process writes.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>

#include "completed_requests.hpp"
#include "cachelab/results/compare.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

namespace cachelab {
namespace {

namespace fs = std::filesystem;

std::string scenario(const char* name) { return std::string(CACHELAB_SOURCE_DIR) + "/" + name; }

fs::path write(const RunOutput& out, const Scenario& s, const std::string& tag) {
  const fs::path dir = fs::temp_directory_path() / ("cachelab-run-metric-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  write_run_dir(dir, make_run_json(s, out, "sim", utc_now_iso()), out.summary, out.series, out.events);
  return dir;
}

TEST(RunMetric, AppearsInTheSummaryWithTheValueTheRecorderCountsToo) {
  const Scenario s = load_scenario_file(scenario("tests/live/scenarios/small-evict.json"), {"/warmup_s=0"});
  const RunOutput out = simulate(s);
  ASSERT_TRUE(out.summary.contains("throwaway_completed_requests"));
  EXPECT_GT(out.summary.at("requests").get<uint64_t>(), 1000u);
  EXPECT_EQ(out.summary.at("throwaway_completed_requests"), out.summary.at("requests"));
}

TEST(RunMetric, ClosedLoopSessionsAreFedByTheSameCompletions) {
  // Closed loop: each session's next request is drawn when the client logic reports the previous one complete, so
  // the run issues requests only because completions arrive; every issued request completes or is in flight.
  const Scenario s = load_scenario_file(scenario("tests/live/scenarios/small-evict.json"),
                                        {"/warmup_s=0",
                                         "/workload/arrival={\"dist\": \"closed\", \"sessions_per_instance\": 2, "
                                         "\"think_time_ms\": {\"dist\": \"fixed\", \"value\": 5}}"});
  const RunOutput out = simulate(s);
  const auto completed = out.summary.at("throwaway_completed_requests").get<uint64_t>();
  EXPECT_GT(completed, 100u);
  EXPECT_EQ(completed, out.summary.at("requests").get<uint64_t>());
  EXPECT_LE(out.requests_issued - completed, 8u);  // 4 instances x 2 sessions: one in flight each at most
}

TEST(RunMetric, CompareLinesItUpByName) {
  const Scenario a = load_scenario_file(scenario("tests/live/scenarios/small-evict.json"), {"/warmup_s=0"});
  const Scenario b = load_scenario_file(scenario("tests/live/scenarios/small-evict.json"), {"/warmup_s=0", "/seed=8"});
  const RunOutput ra = simulate(a), rb = simulate(b);
  const fs::path da = write(ra, a, "a"), db = write(rb, b, "b");
  const nlohmann::json verdict = compare::compare_runs(da, db, compare::default_tolerances());
  const nlohmann::json* row = nullptr;
  for (const auto& r : verdict.at("metrics"))
    if (r.at("name") == "throwaway_completed_requests") row = &r;
  ASSERT_NE(row, nullptr) << verdict.dump(2);
  EXPECT_EQ(row->at("a").get<double>(), ra.summary.at("throwaway_completed_requests").get<double>());
  EXPECT_EQ(row->at("b").get<double>(), rb.summary.at("throwaway_completed_requests").get<double>());
  EXPECT_NE(row->at("a"), row->at("b"));  // two seeds: the row shows two runs, not one value twice
  fs::remove_all(da);
  fs::remove_all(db);
}

}  // namespace
}  // namespace cachelab
