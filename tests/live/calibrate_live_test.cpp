// cachelab-live calibrate (live/calibrate/calibrate.hpp) against real redis-server processes it starts itself on
// 127.0.0.1: the file it writes is a calibration `cachelab run --calibration` applies, its knobs are this machine's
// order, and the simulator with them predicts a size it was not measured at.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cachelab/cache/value_cost.hpp"
#include "cachelab/scenario/calibration.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

using CalibrateLiveDir = testing::LiveTempDir;

double calibrate_live_knob(const nlohmann::json& doc, const char* pointer) {
  const nlohmann::json& v = doc.at("knobs").at(pointer);
  return v.is_object() ? v.at("value").get<double>() : v.get<double>();
}

}  // namespace

// Three rounds of 2-s runs (100 B with eight connections and with one session, 400 KB, and the check's 1 KB with one
// session, in each). What must hold, and why:
// - the file reads back as a calibration, with all four knobs, and `cachelab run --calibration` applies them;
// - Redis's CPU per 100-B GET while eight connections keep it busy (cluster.service_us) is the default's order,
//   within 3x of 8 us: redis-benchmark 7.0 measured 7.4 us per GET alone (docs/redis-reference.md §9), and on
//   2026-12-07 this 2-vCPU VM read 7.20-8.28 us idle and 7.18-7.97 us with a simulator busy on the other vCPU, while
//   one session's CPU per GET read 42.3-55.0 and 7.67-8.87 us (an idle VM's vCPU pays for every wake-up: that is
//   the round trip's, not the service time's). A calibration that took one session's figure for the service time
//   would be 6x off idle. Its CPU per reply byte is the fit's order (0.165 ns: within 5x; 0.24-0.41 ns measured, as
//   the big-value test holds it within 3x);
//   the round trip is positive and under 2 ms (loopback and the driver's own time per request), the link's rate
//   between 0.5 and 800 Gbit/s (the solver's bounds);
// - the simulator with these knobs predicts live's throughput at 1 KB, a size the calibration did not run, within
//   0.67-1.5: the difference from 100 B is a few hundred ns of copying, so what this checks is that the knobs compose
//   as the simulator uses them (a round trip of the wrong sign, or the service time counted twice, is off by more);
//   the band is the round trip's drift between two 3-s runs on this machine (50-73 us within one round of the
//   big-value test).
TEST(LiveCalibrate, WritesACalibrationThatPredictsThisMachine) {
  CACHELAB_REQUIRE_REDIS();
  CalibrateLiveDir t("calibrate");
  const std::string file = t.out("host.json");
  const CliRun r = run_live("calibrate --spawn --rounds 3 --seconds 2 --check 1000 --out " + file);
  std::cout << r.output;
  ASSERT_EQ(r.exit_code, 0) << r.output;
  for (const char* line : {"network.rtt_us", "cluster.service_us", "cluster.get_ns_per_reply_byte", "network.nic_gbps",
                           "1,000 B", "written to " /* the file */})
    EXPECT_NE(r.output.find(line), std::string::npos) << line;
  EXPECT_EQ(calibration_overrides(file).size(), 4u);
  std::ifstream in(file);
  const nlohmann::json doc = nlohmann::json::parse(in);
  const double service_us = calibrate_live_knob(doc, "/cluster/service_us");
  const double rtt_us = calibrate_live_knob(doc, "/network/rtt_us");
  const double per_byte = calibrate_live_knob(doc, "/cluster/get_ns_per_reply_byte");
  const double gbps = calibrate_live_knob(doc, "/network/nic_gbps");
  EXPECT_GT(service_us, 8.0 / 3);
  EXPECT_LT(service_us, 8.0 * 3);
  EXPECT_GT(rtt_us, 0);
  EXPECT_LT(rtt_us, 2000);
  EXPECT_GT(per_byte, kFitGetNsPerReplyByte / 5);
  EXPECT_LT(per_byte, kFitGetNsPerReplyByte * 5);
  EXPECT_GT(gbps, 0.5);
  EXPECT_LT(gbps, 800);
  EXPECT_EQ(doc.at("measured").at("redis_version").get<std::string>().substr(0, 2), "7.");
  ASSERT_EQ(doc.at("check").size(), 1u);
  const double ratio = doc.at("check").at(0).at("sim_over_live").get<double>();
  EXPECT_GT(ratio, 0.67);
  EXPECT_LT(ratio, 1.5);

  // Applied as the user would: the run's resolved scenario holds the measured values.
  const std::string out = t.out("run");
  const CliRun run = run_cachelab("run " + std::string(CACHELAB_SOURCE_DIR) +
                                  "/scenarios/flash-sale.json --set /duration_s=2 --set /warmup_s=1 --calibration " +
                                  file + " --out " + out);
  ASSERT_EQ(run.exit_code, 0) << run.output;
  std::ifstream run_in(std::filesystem::path(out) / "run.json");
  const nlohmann::json run_json = nlohmann::json::parse(run_in);
  EXPECT_EQ(run_json.at("scenario").at("cluster").at("service_us").at("value").get<double>(), service_us);
  EXPECT_EQ(run_json.at("scenario").at("network").at("nic_gbps").get<double>(), gbps);
}

// Bad usage is exit 2 before anything runs, and nothing is written.
TEST(LiveCalibrate, BadUsageIsRefusedAndWritesNothing) {
  CalibrateLiveDir t("calibrate-bad");
  const std::string file = t.out("never.json");
  for (const std::string args :
       {"", "--spawn --redis 127.0.0.1:1", "--redis 127.0.0.1:1,127.0.0.1:2", "--spawn --check 0", "--spawn --check 1k",
        "--spawn --check 1000,", "--spawn --check ' 1000'", "--spawn --rounds 0", "--spawn --seconds 0.5"}) {
    const CliRun r = run_live("calibrate " + args + " --out " + file);
    EXPECT_EQ(r.exit_code, 2) << args << "\n" << r.output;
    EXPECT_FALSE(std::filesystem::exists(file)) << args;
  }
  const CliRun dir = run_live("calibrate --spawn --out " + t.out(""));  // a directory is no file name
  EXPECT_EQ(dir.exit_code, 2) << dir.output;
  const CliRun proc = run_live("calibrate --spawn --out /proc/cachelab-no/c.json");  // refused before measuring
  EXPECT_EQ(proc.exit_code, 2) << proc.output;
  EXPECT_NE(proc.output.find("--out: cannot write in /proc/cachelab-no"), std::string::npos) << proc.output;
}

// A measurement that fails (here: nothing listens on port 1) leaves no file and no directory behind: --out's
// directory is made only when the file is written.
TEST(LiveCalibrate, AFailedMeasurementLeavesNothingBehind) {
  CalibrateLiveDir t("calibrate-failed");
  const std::string dir = t.out("not-yet");
  const CliRun r = run_live("calibrate --redis 127.0.0.1:1 --rounds 1 --seconds 1 --out " + dir + "/c.json");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_FALSE(std::filesystem::exists(dir)) << r.output;
}

}  // namespace cachelab::live
