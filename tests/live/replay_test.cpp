// Live replay end to end: cachelab-live runs small scenarios on spawned servers and writes run directories the
// results reader loads; the request stream is the simulator's; refusals and bad input exit 2; compare's verdicts.
#include "cli_run.hpp"
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <string>

#include "cachelab/results/reader.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "lab_helpers.hpp"
#include "cachelab/results/compare.hpp"
#include "live/client/control_connection.hpp"
#include "live/lab/free_port.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

std::string scenario(const char* name) { return std::string(CACHELAB_LIVE_SCENARIOS) + "/" + name; }

fs::path fresh_dir(const std::string& tag) {
  const fs::path d = fs::temp_directory_path() / ("cachelab-live-test-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// Every server a run spawned is gone: its client and bus ports are free again (run.json names them).
void expect_nothing_left(const results::Run& run) {
  for (const auto& n : run.info.raw.at("host").at("redis_nodes")) {
    const Endpoint ep = parse_endpoint(n.at("address").get<std::string>());
    EXPECT_TRUE(loopback_port_free(ep.port)) << ep.str() << " still taken after the run";
    EXPECT_TRUE(loopback_port_free(ep.port + kClusterBusPortOffset)) << "bus port of " << ep.str();
  }
}

// One live run of the eviction scenario shared by the tests below (a run costs ~5 s).
class LiveReplay : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (find_in_path("redis-server").empty() || find_in_path("redis-cli").empty()) return;
    dir_ = new fs::path(fresh_dir("evict"));
    result_ = new CliRun(run_live(scenario("small-evict.json") + " --spawn --out " + dir_->string()));
  }
  static void TearDownTestSuite() {
    if (dir_) fs::remove_all(*dir_);
    delete dir_;
    delete result_;
    dir_ = nullptr;
    result_ = nullptr;
  }
  void SetUp() override {
    CACHELAB_REQUIRE_REDIS();
    ASSERT_EQ(result_->exit_code, 0) << result_->output;
  }
  static fs::path* dir_;
  static CliRun* result_;
};
fs::path* LiveReplay::dir_ = nullptr;
CliRun* LiveReplay::result_ = nullptr;

TEST_F(LiveReplay, WritesARunDirectoryTheReaderLoadsWithTheSimulatorsColumns) {
  const results::Run live = results::load_run(*dir_);
  EXPECT_EQ(live.info.mode, "live");
  EXPECT_EQ(live.summary.mode, "live");
  const RunOutput sim = simulate(load_scenario_file(scenario("small-evict.json")));
  // Same columns, in the same order, so compare and the GUI line them up.
  std::vector<std::string> sim_cols = sim.series.columns;
  EXPECT_EQ(live.series.header, sim_cols);
  EXPECT_EQ(live.series.rows(), sim.series.rows.size());
  EXPECT_FALSE(live.info.raw.at("host").at("redis_nodes").at(0).at("redis_version").get<std::string>().empty());
  expect_nothing_left(live);
}

TEST_F(LiveReplay, ReplaysExactlyTheSimulatorsRequestStream) {
  const results::Run live = results::load_run(*dir_);
  const RunOutput sim = simulate(load_scenario_file(scenario("small-evict.json")));
  // The generator is shared: the same requests become due. Live mode drains at the end, so every one of them is
  // accounted for (the simulator stops at duration_s with a few still in flight).
  const uint64_t sim_offered = sim.summary.at("offered").get<uint64_t>();
  EXPECT_EQ(live.summary.raw.at("offered").get<uint64_t>(), sim_offered);
  EXPECT_EQ(static_cast<uint64_t>(live.summary.requests), sim_offered);
  EXPECT_EQ(live.summary.raw.at("failed_requests").get<uint64_t>(), 0u);
  EXPECT_NEAR(live.summary.requests, sim.summary.at("requests").get<double>(), 10);
}

TEST_F(LiveReplay, HitRatioAndEvictionAgreeWithTheSimulator) {
  const results::Run live = results::load_run(*dir_);
  const RunOutput sim = simulate(load_scenario_file(scenario("small-evict.json")));
  // 0.05: the simulator's used_memory model and real Redis differ by a few hundred KB per node here (client
  // buffers, allocator slack: live keeps ~6% fewer keys at 6 MB), LRU sampling draws differ, and ~6000 requests
  // leave a sampling error of ~0.01 on the ratio. Measured difference: ~0.008.
  EXPECT_NEAR(live.summary.hit_ratio, sim.summary.at("hit_ratio").get<double>(), 0.05);
  EXPECT_GT(live.summary.evicted_keys, 0);
  EXPECT_GT(sim.summary.at("evicted_keys").get<double>(), 0);
}

// run.json live.driver_cpu_s: the driver's own CPU time over the run (its process, every thread), so a planner can
// tell a run bound by the load generator from one bound by Redis. It did work (over 0) and no process can use more
// than the wall time on every core.
TEST_F(LiveReplay, RecordsTheDriversOwnCpuTime) {
  const results::Run live = results::load_run(*dir_);
  const auto& cpu = live.info.raw.at("live").at("driver_cpu_s");
  ASSERT_TRUE(cpu.is_number()) << live.info.raw.at("live").dump();
  EXPECT_GT(cpu.get<double>(), 0);
  EXPECT_LE(cpu.get<double>(),
            live.info.raw.at("wall_s").get<double>() * live.info.raw.at("host").at("cores").get<double>());
}

TEST_F(LiveReplay, CompareRunWithItselfPasses) {
  CliRun r = run_cachelab("compare " + dir_->string() + " " + dir_->string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("all within tolerance"), std::string::npos) << r.output;
  const auto v = compare::compare_runs(*dir_, *dir_, compare::default_tolerances());
  EXPECT_TRUE(v.at("pass").get<bool>());
}

TEST_F(LiveReplay, CompareWithAnotherWorkloadFailsWithExit1) {
  // The same scenario at a quarter of the memory: fewer hits and many more evictions.
  const fs::path other = fresh_dir("evict-small");
  CliRun r =
      run_live(scenario("small-evict.json") + " --spawn --set /cluster/maxmemory=\\\"2mb\\\" --out " + other.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  CliRun c = run_cachelab("compare " + dir_->string() + " " + other.string() + " --json");
  EXPECT_EQ(c.exit_code, 1) << c.output;
  EXPECT_NE(c.output.find("\"pass\": false"), std::string::npos) << c.output;
  // A tolerance given on the command line replaces the default.
  const auto v = compare::compare_runs(*dir_, other, {{"requests", {0, false}}});
  EXPECT_TRUE(v.at("pass").get<bool>());
  fs::remove_all(other);
}

TEST(LiveReplayFaults, KillShowsConnectionErrorsAndLeavesNothingRunning) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path dir = fresh_dir("kill");
  CliRun r = run_live(scenario("kill.json") + " --spawn --json --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(dir);
  EXPECT_GT(run.summary.errors.connection, 0);
  const auto* role = run.series.text_column("master-2.role");
  ASSERT_NE(role, nullptr);
  EXPECT_EQ(role->back(), "down");
  bool fault_logged = false;
  for (const auto& e : run.events) fault_logged |= e.type == "fault" && e.raw.value("action", "") == "kill";
  EXPECT_TRUE(fault_logged);
  expect_nothing_left(run);
  fs::remove_all(dir);
}

TEST(LiveReplayRefusals, PartitionIsRefusedUpFrontWithExit2) {
  CliRun r = run_live(scenario("partition.json") + " --spawn");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("partition"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("refused"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("starting"), std::string::npos) << "no server may start: " << r.output;
}

// Loopback cannot emulate per-link latencies, zones or client placement: a zones topology is refused up front, naming
// the key; a flat one is the default model and runs.
TEST(LiveReplayRefusals, ZonesTopologyIsRefusedUpFrontWithExit2) {
  CliRun r = run_live(scenario("small-evict.json") + " --spawn --set '/network/topology={\"layout\": \"zones\"}'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("network.topology"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("refused"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("starting"), std::string::npos) << "no server may start: " << r.output;
  // A partition that names client instances is a partition: refused like every partition.
  r = run_live(scenario("small-evict.json") +
               " --spawn --set '/cluster/replicas_per_master=1'"
               " --set '/faults/-={\"at_s\": 1, \"action\": \"partition\", \"clients\": \"0\"}'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("partition"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("starting"), std::string::npos) << "no server may start: " << r.output;
}

TEST(LiveReplayRefusals, BadScenarioExits2) {
  EXPECT_EQ(run_live("/nonexistent/scenario.json --spawn").exit_code, 2);
  CliRun r = run_live(scenario("small-evict.json") + " --spawn --set /cluster/masters=\\\"many\\\"");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_EQ(run_live(scenario("small-evict.json")).exit_code, 2);  // neither --spawn nor --redis
}

TEST(LiveReplayRefusals, CompareOfANonRunExits2) {
  EXPECT_EQ(run_cachelab("compare /nonexistent-a /nonexistent-b").exit_code, 2);
  compare::Tolerances t;
  EXPECT_THROW(compare::parse_tolerance("hit_ratio", t), std::invalid_argument);
  compare::parse_tolerance("evicted_keys=5%", t);
  EXPECT_TRUE(t.at("evicted_keys").relative);
  EXPECT_DOUBLE_EQ(t.at("evicted_keys").value, 0.05);
}

}  // namespace
}  // namespace cachelab::live

namespace cachelab::live {
namespace {

// --redis against a server the test itself started (standalone lab): keys under the prefix, nothing else touched,
// a non-empty target refused unless --allow-non-empty, a prefix in use refused, and the run's keys deleted after
// the run unless --keep-keys.
TEST(LiveReplayRedis, WritesOnlyUnderItsPrefixAndRefusesANonEmptyTarget) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(testing::standalone_config());
  lab.start();
  testing::ScopedEnv pw("CACHELAB_REDIS_PASSWORD", lab.password());
  const std::string addr = lab.nodes().at(0).endpoint.str();
  const fs::path dir = fresh_dir("redis");
  const std::string args =
      scenario("small-evict.json") + " --redis " + addr +
      " --set /cluster/mode=\\\"standalone\\\" --set /cluster/masters=1 --set /duration_s=1 --set /warmup_s=0 --out ";
  CliRun r = run_live(args + dir.string() + " --prefix t1: --keep-keys");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("--keep-keys"), std::string::npos) << r.output;
  Reply keys = control_command(lab.nodes().at(0).endpoint, {"KEYS", "*"}, 1000);
  ASSERT_GT(keys.size(), 0u);
  for (size_t i = 0; i < keys.size(); ++i) EXPECT_EQ(keys.element(i).str().substr(0, 3), "t1:");
  CliRun again = run_live(args + dir.string() + "-2 --prefix t2:");
  EXPECT_EQ(again.exit_code, 2) << again.output;
  EXPECT_NE(again.output.find("non-empty"), std::string::npos) << again.output;
  EXPECT_FALSE(fs::exists(dir.string() + "-2"));
  // The prefix of keys already there: refused even with --allow-non-empty (the clean-up would take them).
  CliRun same = run_live(args + dir.string() + "-4 --prefix t1: --allow-non-empty");
  EXPECT_EQ(same.exit_code, 2) << same.output;
  EXPECT_NE(same.output.find("already holds keys under the prefix 't1:'"), std::string::npos) << same.output;
  // A run next to them: its own keys are deleted afterwards (and counted), the others stay.
  CliRun next = run_live(args + dir.string() + "-3 --prefix t2: --allow-non-empty");
  EXPECT_EQ(next.exit_code, 0) << next.output;
  EXPECT_NE(next.output.find("deleted "), std::string::npos) << next.output;
  EXPECT_EQ(next.output.find("deleted 0 key"), std::string::npos) << next.output;
  Reply after = control_command(lab.nodes().at(0).endpoint, {"KEYS", "*"}, 1000);
  // (some t1: keys may have been evicted by the second run: maxmemory is small; none of t2: may be left)
  EXPECT_GT(after.size(), 0u);
  for (size_t i = 0; i < after.size(); ++i) EXPECT_EQ(after.element(i).str().substr(0, 3), "t1:");
  lab.teardown();
  for (const char* s : {"", "-2", "-3", "-4"}) fs::remove_all(dir.string() + s);
}

}  // namespace
}  // namespace cachelab::live
