// Host calibration files (scenario/calibration.hpp): what `cachelab-live calibrate` writes and `--calibration FILE`
// applies. A good file becomes --set overrides that come before the command line's own (which win); every bad file
// is refused with its path, the JSON path, what was expected and what was found, and exit code 2 with nothing run.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cachelab/results/reader.hpp"
#include "cachelab/scenario/calibration.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

json calibration_test_doc() {
  return json::parse(R"({"cachelab_calibration": 1,
    "measured": {"at": "2026-12-07T06:00:00Z", "redis_version": "7.0.15"},
    "knobs": {"/network/rtt_us": {"dist": "fixed", "value": 61.5},
              "/cluster/service_us": {"dist": "fixed", "value": 9.25},
              "/cluster/get_ns_per_reply_byte": 0.2113,
              "/network/nic_gbps": 23.5},
    "rounds": [], "check": []})");
}

// The issue a bad document raises, as "pointer | expected | found".
std::string calibration_test_problem(const json& doc) {
  try {
    calibration_overrides_from(doc, "cal.json");
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.file(), "cal.json");
    std::string all;
    for (const auto& i : e.issues()) all += i.pointer + " | " + i.expected + " | " + i.found + "\n";
    return all;
  }
  return "accepted";
}

std::string calibration_test_file(const std::string& name, const std::string& text) {
  const auto path = test::temp_dir("calibration") / name;
  std::ofstream(path) << text;
  return path.string();
}

}  // namespace

TEST(Calibration, AFileBecomesOverridesInTheKnobsOrder) {
  const auto sets = calibration_overrides_from(calibration_test_doc(), "cal.json");
  ASSERT_EQ(sets.size(), 4u);
  EXPECT_EQ(sets[0], R"(/network/rtt_us={"dist":"fixed","value":61.5})");
  EXPECT_EQ(sets[1], R"(/cluster/service_us={"dist":"fixed","value":9.25})");
  EXPECT_EQ(sets[2], "/cluster/get_ns_per_reply_byte=0.2113");
  EXPECT_EQ(sets[3], "/network/nic_gbps=23.5");
  json some = calibration_test_doc();
  some["knobs"].erase("/network/nic_gbps");
  some["knobs"]["/cluster/get_ns_per_reply_byte"] = 0;  // no cost per byte is a measurement
  EXPECT_EQ(calibration_overrides_from(some, "cal.json").size(), 3u);
}

TEST(Calibration, AppliedBeforeTheCommandLinesOwnSets) {
  const std::string file = calibration_test_file("good.json", calibration_test_doc().dump());
  const std::string scenario = test::source_dir() + "/scenarios/flash-sale.json";
  const Scenario s = load_scenario_file(scenario, with_calibration(file, {"/network/nic_gbps=40"}));
  EXPECT_EQ(s.resolved.at("network").at("rtt_us").at("value").get<double>(), 61.5);
  EXPECT_EQ(s.resolved.at("cluster").at("service_us").at("value").get<double>(), 9.25);
  EXPECT_EQ(s.resolved.at("cluster").at("get_ns_per_reply_byte").get<double>(), 0.2113);
  EXPECT_EQ(s.resolved.at("network").at("nic_gbps").get<double>(), 40) << "the command line's --set wins";
  EXPECT_EQ(with_calibration("", {"/seed=3"}), std::vector<std::string>{"/seed=3"});
}

TEST(Calibration, EveryBadDocumentIsRefusedWithItsPathExpectationAndFinding) {
  json d = calibration_test_doc();
  d.erase("cachelab_calibration");
  EXPECT_NE(calibration_test_problem(d).find("/cachelab_calibration | the format version 1 | nothing"),
            std::string::npos);
  d = calibration_test_doc();
  d["cachelab_calibration"] = 2;
  EXPECT_NE(calibration_test_problem(d).find("/cachelab_calibration | the format version 1 | number 2"),
            std::string::npos);
  d = calibration_test_doc();
  d["knbos"] = 1;
  EXPECT_NE(calibration_test_problem(d).find("/knbos | one of cachelab_calibration, knobs"), std::string::npos);
  d = calibration_test_doc();
  d["knobs"]["/workload/keys"] = 5;  // a scenario's own knob is not the machine's
  EXPECT_NE(calibration_test_problem(d).find("/knobs/~1workload~1keys | a knob a calibration sets"), std::string::npos);
  d = calibration_test_doc();
  d["knobs"]["/network/rtt_us"] = 61.5;  // a sampled knob needs its distribution
  EXPECT_NE(calibration_test_problem(d).find(
                R"(/knobs/~1network~1rtt_us | {"dist": "fixed", "value": a number above 0} | number 61.5)"),
            std::string::npos);
  d = calibration_test_doc();
  d["knobs"]["/cluster/service_us"]["value"] = -1;
  EXPECT_NE(calibration_test_problem(d).find("/knobs/~1cluster~1service_us"), std::string::npos);
  d = calibration_test_doc();
  d["knobs"]["/network/nic_gbps"] = 0;
  EXPECT_NE(calibration_test_problem(d).find("/knobs/~1network~1nic_gbps | a number above 0 | number 0"),
            std::string::npos);
  d = calibration_test_doc();
  d["knobs"]["/cluster/get_ns_per_reply_byte"] = "0.2";
  EXPECT_NE(calibration_test_problem(d).find("| a number of at least 0 | string \"0.2\""), std::string::npos);
  d = calibration_test_doc();
  d["knobs"] = json::object();
  EXPECT_NE(calibration_test_problem(d).find("/knobs | an object of at least one knob"), std::string::npos);
  EXPECT_NE(calibration_test_problem(json::array()).find(" | a calibration object | array"), std::string::npos);
  // Every problem at once, not just the first.
  d = calibration_test_doc();
  d["cachelab_calibration"] = 2;
  d["knobs"]["/network/nic_gbps"] = -3;
  const std::string both = calibration_test_problem(d);
  EXPECT_NE(both.find("/cachelab_calibration"), std::string::npos) << both;
  EXPECT_NE(both.find("/knobs/~1network~1nic_gbps"), std::string::npos) << both;
}

TEST(Calibration, FilesThatAreNoCalibrationAreRefused) {
  EXPECT_THROW(calibration_overrides(test::temp_dir("calibration").string() + "/missing.json"), ScenarioError);
  EXPECT_THROW(calibration_overrides(calibration_test_file("trunc.json", R"({"cachelab_calibration": 1, "kn)")),
               ScenarioError);
  EXPECT_THROW(calibration_overrides(calibration_test_file(
                   "dup.json", R"({"cachelab_calibration": 1, "cachelab_calibration": 1, "knobs": {}})")),
               ScenarioError);
  EXPECT_THROW(calibration_overrides("/dev/zero"), ScenarioError);
}

// The commands that take --set (run, sweep, plan, estimate, validate): a bad file is exit 2 with the file and the
// JSON path, and nothing run or written; a good one is applied and recorded with the run's overrides.
TEST(Calibration, EveryCommandWithSetTakesTheFileAndRefusesABadOne) {
  const auto dir = test::temp_dir("calibration-cli");
  json bad = calibration_test_doc();
  bad["knobs"]["/network/nic_gbps"] = "fast";
  const std::string bad_file = calibration_test_file("bad.json", bad.dump());
  const std::string scenario = test::source_dir() + "/scenarios/flash-sale.json";
  for (const std::string cmd : {"run", "sweep", "plan", "estimate", "validate"}) {
    const auto out = dir / ("bad-" + cmd);
    const std::string out_flag = cmd == "estimate" || cmd == "validate" ? "" : " --out " + out.string();
    const auto r =
        test::run_command(test::cachelab() + " " + cmd + " " + scenario + " --calibration " + bad_file + out_flag);
    EXPECT_EQ(r.exit_code, 2) << cmd << "\n" << r.out;
    EXPECT_NE(r.out.find(bad_file + ": /knobs/~1network~1nic_gbps: expected a number above 0, found string"),
              std::string::npos)
        << cmd << "\n"
        << r.out;
    EXPECT_FALSE(std::filesystem::exists(out)) << cmd;
  }
  const std::string good_file = calibration_test_file("good.json", calibration_test_doc().dump());
  const auto out = dir / "good";
  const auto r = test::run_command(test::cachelab() + " run " + scenario + " --calibration " + good_file +
                                   " --set /duration_s=2 --set /warmup_s=1 --out " + out.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json run = json::parse(test::read_file(out / "run.json"));
  EXPECT_EQ(run.at("scenario").at("network").at("rtt_us").at("value").get<double>(), 61.5) << run.dump(1);
  EXPECT_EQ(run.at("scenario").at("network").at("nic_gbps").get<double>(), 23.5);
}

// A run records the calibration it applied in run.json (the file, and the overrides that came from it, which lead
// `overrides`), `cachelab run` and every run of a sweep alike; the results reader reads it back; a run without one
// records null. A calibration record that does not match the run's overrides is refused with its JSON path.
TEST(Calibration, RunsRecordTheFileAndItsOverrides) {
  const auto dir = test::temp_dir("calibration-record");
  const std::string file = calibration_test_file("host.json", calibration_test_doc().dump());
  const std::string scenario = test::source_dir() + "/scenarios/flash-sale.json";
  const std::string shorter = " --set /duration_s=2 --set /warmup_s=1";
  auto r = test::run_command(test::cachelab() + " run " + scenario + " --calibration " + file + shorter + " --out " +
                             (dir / "run").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = test::run_command(test::cachelab() + " run " + scenario + shorter + " --out " + (dir / "plain").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = test::run_command(test::cachelab() + " sweep " + scenario + " --calibration " + file + shorter +
                        " --vary /cluster/masters=3,4 --out " + (dir / "sweep").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::vector<std::string> knobs = calibration_overrides(file);
  ASSERT_EQ(knobs.size(), 4u);
  std::vector<std::filesystem::path> calibrated = {dir / "run"};
  for (const auto& e : std::filesystem::directory_iterator(dir / "sweep"))
    if (std::filesystem::exists(e.path() / "run.json")) calibrated.push_back(e.path());
  ASSERT_EQ(calibrated.size(), 3u);
  for (const auto& d : calibrated) {
    const json run = json::parse(test::read_file(d / "run.json"));
    EXPECT_EQ(run.at("calibration").at("file"), file) << d;
    EXPECT_EQ(run.at("calibration").at("overrides").get<std::vector<std::string>>(), knobs) << d;
    const auto overrides = run.at("overrides").get<std::vector<std::string>>();
    ASSERT_GE(overrides.size(), 6u) << d;  // the knobs, then the command line's two --set (and the sweep's axis)
    EXPECT_TRUE(std::equal(knobs.begin(), knobs.end(), overrides.begin())) << d;
    const results::RunInfo info = results::parse_run_info(run.dump(), "run.json");
    EXPECT_EQ(info.calibration_file, file);
    EXPECT_EQ(info.calibration_overrides, knobs);
  }
  const json plain = json::parse(test::read_file(dir / "plain" / "run.json"));
  EXPECT_TRUE(plain.at("calibration").is_null()) << plain.dump(1);
  EXPECT_TRUE(results::parse_run_info(plain.dump(), "run.json").calibration_file.empty());
  json forged = json::parse(test::read_file(dir / "run" / "run.json"));
  forged["calibration"]["overrides"][1] = "/cluster/service_us=1";
  try {
    results::parse_run_info(forged.dump(), "run.json");
    ADD_FAILURE() << "a calibration record unlike the run's overrides was accepted";
  } catch (const ResultsError& e) {
    EXPECT_NE(std::string(e.what()).find("/calibration/overrides/1"), std::string::npos) << e.what();
  }
}
