// The client logic's stampede protection against real Redis: the same ClientLogic (SET {key}:lock NX PX, polls,
// fills with the value header) that the simulator runs, on spawned servers. One loader per key at a time, and an
// origin load comparable to the simulator's for the same scenario.
#include <gtest/gtest.h>

#include <filesystem>

#include "cachelab/results/reader.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

TEST(LiveStampede, LockAdmitsOneLoaderPerKeyAndMatchesTheSimulator) {
  CACHELAB_REQUIRE_REDIS();
  const std::string file = std::string(CACHELAB_LIVE_SCENARIOS) + "/stampede-lock.json";
  const fs::path dir = fs::temp_directory_path() / ("cachelab-live-stampede-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const CliRun r = run_live(file + " --spawn --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run live = results::load_run(dir);
  const auto& c = live.summary.raw.at("clients");
  EXPECT_EQ(c.at("max_concurrent_loads_per_key").get<int>(), 1);
  EXPECT_GT(c.at("lock_acquired").get<int>(), 0);
  EXPECT_GT(c.at("lock_contended").get<int>(), 0);  // others found the lock taken and polled

  const nlohmann::json sim = simulate(load_scenario_file(file)).summary;
  EXPECT_EQ(sim.at("clients").at("max_concurrent_loads_per_key").get<int>(), 1);
  const double live_loads = c.at("origin_loads").get<double>();
  const double sim_loads = sim.at("clients").at("origin_loads").get<double>();
  // About one load per key per TTL in both; wall-clock jitter moves live expiries a little.
  EXPECT_GT(live_loads, 0.5 * sim_loads) << "live " << live_loads << " sim " << sim_loads;
  EXPECT_LT(live_loads, 2.0 * sim_loads) << "live " << live_loads << " sim " << sim_loads;
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cachelab::live
