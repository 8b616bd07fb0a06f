// What a run changed from its scenario file (run.json's calibration and overrides, model/run_changes.hpp): the
// overview says it in a line, and the legends tell runs of one scenario apart by it, a host calibration as one
// change named by its file rather than four knob values.
#include <QApplication>
#include <QLabel>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "model/run_changes.hpp"
#include "model/run_set.hpp"
#include "views/overview_view.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::ScratchRun;

const std::vector<std::string> kRunChangesKnobs = {R"(/network/rtt_us={"dist":"fixed","value":61.5})",
                                                   R"(/cluster/service_us={"dist":"fixed","value":9.25})",
                                                   "/cluster/get_ns_per_reply_byte=0.2113", "/network/nic_gbps=23.5"};

// The fixture run with these overrides, the first `calibrated` of them from a calibration file (none: 0).
void runChangesSet(const ScratchRun& run, std::vector<std::string> overrides, std::size_t calibrated,
                   const std::string& file = "/lab/host.json") {
  auto j = nlohmann::json::parse(run.read("run.json"));
  j["overrides"] = overrides;
  if (calibrated == 0) {
    j["calibration"] = nullptr;
  } else {
    overrides.resize(calibrated);
    j["calibration"] = {{"file", file}, {"overrides", overrides}};
  }
  run.write("run.json", j.dump());
}

TEST(RunChanges, BriefOverridesReadByTheirLastTokenAndAFixedValue) {
  EXPECT_EQ(briefOverride("/clients/stampede/mode=lock"), "mode=lock");
  EXPECT_EQ(briefOverride(kRunChangesKnobs[0]), "rtt_us=61.5");
  EXPECT_EQ(briefOverride(R"(/network/rtt_us={"dist":"lognormal","median":250,"p99":900})"),
            R"(rtt_us={"dist":"lognormal","median":250,"p99":900})");  // not fixed: as written
  EXPECT_EQ(briefOverride("/cluster/maxmemory=64mb"), "maxmemory=64mb");
}

TEST(RunChanges, TheOverviewSaysWhatTheRunChangedFromTheFile) {
  ScratchRun run;
  auto overrides = kRunChangesKnobs;
  overrides.push_back("/cluster/masters=6");
  runChangesSet(run, overrides, 4);
  const RunSet runs{loadRun(QString::fromStdString(run.dir().string()))};
  EXPECT_EQ(runChangesLine(runs.front()->info),
            "changed from the file: calibration host.json (rtt_us=61.5, service_us=9.25, get_ns_per_reply_byte=0.2113, "
            "nic_gbps=23.5) · masters=6");
  OverviewView view(runs);
  const auto* line = view.findChild<QLabel*>("overview:changes");
  ASSERT_NE(line, nullptr);
  EXPECT_EQ(line->text(), runChangesLine(runs.front()->info));

  runChangesSet(run, {}, 0);  // the file as it is: no line
  const RunSet plain{loadRun(QString::fromStdString(run.dir().string()))};
  EXPECT_TRUE(runChangesLine(plain.front()->info).isEmpty());
  OverviewView plainView(plain);
  EXPECT_EQ(plainView.findChild<QLabel*>("overview:changes"), nullptr);
}

TEST(RunChanges, LegendsNameACalibrationByItsFile) {
  ScratchRun calibrated, other, plain;
  auto withSeed = kRunChangesKnobs;
  withSeed.push_back("/seed=7");
  runChangesSet(calibrated, withSeed, 4);
  runChangesSet(other, withSeed, 4, "/lab/busy.json");
  runChangesSet(plain, {"/seed=7"}, 0);
  auto load = [](const ScratchRun& r) { return loadRun(QString::fromStdString(r.dir().string())); };
  // Calibrated against not: the calibration is the difference, one word for four knobs; the seed is shared.
  const RunSet pair{load(calibrated), load(plain)};
  EXPECT_EQ(runLabel(pair, 0), "calibration host.json");
  EXPECT_EQ(runLabel(pair, 1), "as in the file");
  // Two calibrations with the same knob values in different files still tell apart by file.
  const RunSet two{load(calibrated), load(other)};
  EXPECT_EQ(runLabel(two, 0), "calibration host.json");
  EXPECT_EQ(runLabel(two, 1), "calibration busy.json");
}

}  // namespace
