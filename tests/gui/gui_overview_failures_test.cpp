// The overview shows failures as summary.json states them (issue 15, issue 18 part 6): the application's failures,
// degraded requests by error kind, database timeouts and rejections, every kind of lost write, stale reads,
// availability. The figures are written into a scratch copy of the fixture run here, so each tile must show the
// number of its own key (the flash-sale and write-behind runs that once showed "timeouts 0" and "writes lost 0" are
// pinned on the simulator side in tests/unit/summary_outcomes_test.cpp).
#include <QApplication>
#include <QLabel>
#include <QTableWidget>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/format.hpp"
#include "views/overview_view.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::ScratchRun;

// The texts of the labels of the tile named `label` (its figure first).
QStringList tile(const QWidget& view, const QString& label) {
  const auto* card = view.findChild<QWidget*>("card:" + label);
  if (!card) return {};
  QStringList texts;
  for (const auto* l : card->findChildren<QLabel*>()) texts << l->text();
  return texts;
}

TEST(OverviewFailures, TilesShowTheSummaryFiguresOfEveryKind) {
  ScratchRun run;
  auto j = nlohmann::json::parse(run.read("summary.json"));
  j["failed_requests"] = 438545;
  j["failed_by_cause"] = {{"origin", 438000}, {"cache", 545}, {"write_buffer_full", 0}};
  j["error_rate"] = 0.0954;
  j["degraded_requests"] = 91074;
  j["degraded_by_error"] = {{"connection", 79025}, {"clusterdown", 12049}, {"timeout", 0}};
  j["availability"] = 0.962;
  j["origin"]["timeouts"] = 438511;
  j["origin"]["rejected"] = 34;
  j["writes_lost"] = 12;
  j["writes_lost_by_kind"] = {{"failover", 10}, {"deposed_master", 2}, {"write_behind", 61}, {"total", 73}};
  j["stale_reads"] = {{"cache", {{"reads", 120}, {"age_ms_mean", 31.5}, {"age_ms_max", 480.2}}},
                      {"l1", {{"reads", 7}, {"age_ms_mean", 2.0}, {"age_ms_max", 9.0}}},
                      {"replica", {{"reads", 0}, {"age_ms_mean", nullptr}, {"age_ms_max", nullptr}}}};
  run.write("summary.json", j.dump());
  const RunSet runs{loadRun(QString::fromStdString(run.dir().string()))};
  OverviewView view(runs);

  EXPECT_EQ(tile(view, "failed").value(0), "438,545");
  EXPECT_TRUE(tile(view, "failed").join(" ").contains("database 438,000"))
      << tile(view, "failed").join("|").toStdString();
  EXPECT_EQ(tile(view, "degraded").value(0), "91,074");
  EXPECT_TRUE(tile(view, "degraded").join(" ").contains("CLUSTERDOWN 12,049"));
  EXPECT_EQ(tile(view, "database timeouts").value(0), "438,511");
  EXPECT_EQ(tile(view, "database rejected").value(0), "34");
  EXPECT_EQ(tile(view, "availability").value(0), "0.9620");
  // Every kind of lost write, the write-behind buffer's included (the old tile showed writes_lost only).
  EXPECT_EQ(tile(view, "writes lost").value(0), "73");
  EXPECT_TRUE(tile(view, "writes lost").join(" ").contains("write-behind crash 61"));
  EXPECT_TRUE(tile(view, "writes lost").join(" ").contains("deposed master 2"));
  // Stale reads summed over where they were served (the summary keeps them per source).
  EXPECT_EQ(tile(view, "stale reads").value(0), "127");
  EXPECT_TRUE(tile(view, "stale reads").join(" ").contains("L1 7"))
      << tile(view, "stale reads").join("|").toStdString();
}

TEST(OverviewFailures, AnOlderSummaryWithoutTheBreakdownShowsDashesNotZeros) {
  ScratchRun run;  // the fixture predates failed_by_cause, degraded_by_error and writes_lost_by_kind
  const RunSet runs{loadRun(QString::fromStdString(run.dir().string()))};
  OverviewView view(runs);
  EXPECT_EQ(tile(view, "writes lost").value(0), "12");  // writes_lost, the only count it has
  EXPECT_EQ(tile(view, "cache error rate").value(0), QString::fromUtf8("—"));
}

// The SLO table prints ratios as the CLI's SLO lines and the hit-ratio tile do (0.7383, target 0.7500), not to 3
// significant digits (0.738 beside a tile of 0.7383).
TEST(OverviewFailures, SloTableRatiosUseTheCliFormat) {
  ScratchRun run;
  auto j = nlohmann::json::parse(run.read("summary.json"));
  j["hit_ratio"] = 0.73834;
  j["slo"] = {{{"name", "hit_ratio_min"},
               {"measures", "share of reads the cache answered"},
               {"target", 0.75},
               {"value", 0.73834},
               {"margin", -0.01166},
               {"pass", false}}};
  run.write("summary.json", j.dump());
  const RunSet runs{loadRun(QString::fromStdString(run.dir().string()))};
  OverviewView view(runs);
  const auto* table = view.findChild<QTableWidget*>();
  ASSERT_NE(table, nullptr);
  ASSERT_EQ(table->rowCount(), 1);
  EXPECT_EQ(table->item(0, 2)->text(), "0.7500");
  EXPECT_EQ(table->item(0, 3)->text(), "0.7383");
  EXPECT_EQ(table->item(0, 4)->text(), "-0.0117");
  EXPECT_EQ(tile(view, "hit ratio").value(0), "0.7383");
}

TEST(OverviewFailures, NumbersUseTheCliFormat) {
  EXPECT_EQ(formatMicros(9928.7), "9.93 ms");  // not "9928.7 µs" beside "19.7 ms"
  EXPECT_EQ(formatProbability(2.12e-218), "< 1e-9");
  EXPECT_EQ(formatBytes(67108864), "64.0 MiB");
}

}  // namespace
