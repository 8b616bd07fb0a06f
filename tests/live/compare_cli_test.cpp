// `cachelab-live live FILE --spawn --compare`: the exit code is compare's verdict (0 all within tolerance, 1 not),
// a malformed --tol is bad input (exit 2) refused before any server starts, and both run directories say which
// mode made them. Also noeviction's OOM error: the text a real server sends is the one cachelab knows.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cachelab/cluster/error_text.hpp"
#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

std::string small() { return std::string(CACHELAB_LIVE_SCENARIOS) + "/compare-small.json"; }

fs::path fresh(const std::string& tag) {
  const fs::path d = fs::temp_directory_path() / ("cachelab-compare-cli-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::remove_all(d.string() + "-sim");
  return d;
}

TEST(LiveCompareCli, ExitsZeroWithinToleranceAndRecordsBothModes) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path dir = fresh("ok");
  // This checks the exit-code path, not agreement: latency is not modelled for this machine's loopback (the
  // validation suite does not compare it either), so its tolerances are opened here and only here.
  CliRun r = run_live("live " + small() + " --spawn --compare --out " + dir.string() +
                      " --tol latency_us.p50=10000% --tol latency_us.p99=10000%");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("all within tolerance"), std::string::npos) << r.output;
  const results::Run live = results::load_run(dir), sim = results::load_run(dir.string() + "-sim");
  EXPECT_EQ(live.info.mode, "live");
  EXPECT_EQ(live.summary.mode, "live");
  EXPECT_EQ(sim.info.mode, "sim");
  EXPECT_EQ(live.info.seed, sim.info.seed);
  fs::remove_all(dir);
  fs::remove_all(dir.string() + "-sim");
}

TEST(LiveCompareCli, ExitsOneWhenAToleranceCannotHold) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path dir = fresh("differs");
  // A mean latency identical to the nanosecond in a simulation and on real servers does not happen.
  CliRun r =
      run_live("live " + small() + " --spawn --compare --json --out " + dir.string() + " --tol latency_us.mean=0");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("\"pass\": false"), std::string::npos) << r.output;
  fs::remove_all(dir);
  fs::remove_all(dir.string() + "-sim");
}

TEST(LiveCompareCli, BadToleranceExitsTwoBeforeAnythingRuns) {
  for (const char* bad : {"hit_ratio", "hit_ratio=", "hit_ratio=x", "hit_ratio=-1", "=0.1"}) {
    const fs::path dir = fresh("badtol");
    CliRun r = run_live("live " + small() + " --spawn --compare --out " + dir.string() + " --tol " + bad);
    EXPECT_EQ(r.exit_code, 2) << bad << ": " << r.output;
    EXPECT_NE(r.output.find("--tol"), std::string::npos) << bad << ": " << r.output;
    EXPECT_EQ(r.output.find("starting"), std::string::npos) << "no server may start: " << r.output;
    EXPECT_FALSE(fs::exists(dir)) << bad;
  }
}

// Issue 4: under noeviction a write that needs memory is refused with Redis' exact text, and both back-ends count
// those refusals as errors.oom on the same request stream.
TEST(LiveCompareCli, NoevictionOomTextIsRedisOwnAndBothSidesCountOom) {
  CACHELAB_REQUIRE_REDIS();
  LabConfig c = testing::standalone_config();
  c.store.maxmemory_bytes = 2 * 1024 * 1024;
  c.store.policy = "noeviction";
  Lab lab(c);
  lab.start();
  const Endpoint ep = lab.nodes().at(0).endpoint;
  ControlConnection conn(ep, 1000);
  const std::string value(1000, 'v');
  std::string error;
  for (int i = 0; i < 10000 && error.empty(); ++i) {
    Reply r = conn.command({"SET", "oom:" + std::to_string(i), value});
    if (r.is_error()) error = std::string(r.str());
  }
  lab.teardown();
  // hiredis strips the leading '-' of an error reply.
  EXPECT_EQ(error, redis_text::kOom);

  const fs::path dir = fresh("oom");
  CliRun r = run_live("live " + small() + " --spawn --compare --out " + dir.string() +
                      " --set /cluster/maxmemory=\\\"2mb\\\" --set /cluster/maxmemory_policy=\\\"noeviction\\\"");
  ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.output;
  const results::Run live = results::load_run(dir), sim = results::load_run(dir.string() + "-sim");
  EXPECT_GT(live.summary.errors.oom, 0) << r.output;
  EXPECT_GT(sim.summary.errors.oom, 0) << r.output;
  fs::remove_all(dir);
  fs::remove_all(dir.string() + "-sim");
}

}  // namespace
}  // namespace cachelab::live
