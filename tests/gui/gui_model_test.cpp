// Chart, slot and role models built from the fixture hold the points the files hold.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "model/chart_model.hpp"
#include "model/role_timeline.hpp"
#include "model/slot_layout.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::fixtureRun;

RunSet fixture() { return {loadRun(QString::fromStdString(fixtureRun().string()))}; }

ChartDef def(const QString& id) {
  for (const auto& d : timeSeriesCharts())
    if (d.id == id) return d;
  ADD_FAILURE() << "no chart " << id.toStdString();
  return {};
}

TEST(ChartModel, RequestRateHoldsTheSeriesColumns) {
  const ChartSpec c = buildChart(def("request-rate"), fixture());
  ASSERT_EQ(c.lines.size(), 2);
  EXPECT_EQ(c.lines[0].column, "requests_per_s");
  EXPECT_EQ(c.lines[1].column, "offered_per_s");
  const auto pts = c.lines[0].points();
  ASSERT_EQ(pts.size(), 20);
  EXPECT_EQ(pts[0], QPointF(1, 1010));
  EXPECT_EQ(pts[8], QPointF(9, 700));  // the stall while master-2 is down
  EXPECT_EQ(pts[19], QPointF(20, 1200));
  EXPECT_EQ(c.lines[1].points()[8], QPointF(9, 1090));
  EXPECT_DOUBLE_EQ(c.tMin, 0);
  EXPECT_DOUBLE_EQ(c.tMax, 20);
}

TEST(ChartModel, LatencyAndErrors) {
  const ChartSpec lat = buildChart(def("latency"), fixture());
  ASSERT_EQ(lat.lines.size(), 2);
  EXPECT_EQ(lat.lines[0].name, "p50");
  EXPECT_EQ(lat.lines[0].points()[4], QPointF(5, 205));
  EXPECT_EQ(lat.lines[1].points()[9], QPointF(10, 15000));
  // Error kinds that never occur are named, not drawn: the legend lists what happened.
  const RunSet runs = fixture();
  const ChartSpec err = buildChart(def("errors"), runs);
  QStringList drawn;
  for (const auto& l : err.lines) drawn << l.column;
  for (const auto& c : def("errors").columns) {
    const auto* v = runs.front()->series.column(c.column.toStdString());
    ASSERT_NE(v, nullptr);
    const bool occurs = std::any_of(v->begin(), v->end(), [](double x) { return x != 0 && !std::isnan(x); });
    EXPECT_EQ(drawn.contains(c.column), occurs) << c.column.toStdString();
    EXPECT_EQ(err.zeroThroughout.contains(c.label), !occurs) << c.column.toStdString();
  }
  const int cd = drawn.indexOf("errors_clusterdown");
  ASSERT_GE(cd, 0);
  EXPECT_EQ(err.lines[cd].points()[10], QPointF(11, 120));
  EXPECT_EQ(err.lines[cd].points()[11], QPointF(12, 0));
  EXPECT_FALSE(err.zeroThroughout.isEmpty());  // the fixture has kinds that never occur (OOM among them)
  EXPECT_TRUE(err.zeroThroughout.contains("OOM"));
}

// The failures chart plots the four columns the simulator writes for them (metrics/report.cpp, results/README.md);
// a run written before they existed (the fixture) gets no lines, not an error.
TEST(ChartModel, FailuresChartPlotsTheSimulatorsColumns) {
  EXPECT_TRUE(buildChart(def("failures"), fixture()).lines.isEmpty());
  cachelab::testing::ScratchRun scratch;
  std::istringstream in(scratch.read("series.csv"));
  std::string out, line;
  for (int row = 0; std::getline(in, line); ++row)
    out += line +
           (row == 0 ? ",failed_requests,degraded_requests,origin_timeouts,origin_rejected"
                     : "," + std::to_string(row) + ",0," + std::to_string(2 * row) + ",0") +
           "\n";
  scratch.write("series.csv", out);
  const ChartSpec f = buildChart(def("failures"), {loadRun(QString::fromStdString(scratch.dir().string()))});
  // degraded_requests and origin_rejected are 0 in every row: named in the title, not drawn.
  ASSERT_EQ(f.lines.size(), 2);
  EXPECT_EQ(f.lines[0].column, "failed_requests");
  EXPECT_EQ(f.lines[1].column, "origin_timeouts");
  EXPECT_EQ(f.lines[1].name, "database timeouts");
  EXPECT_EQ(f.lines[0].points()[4], QPointF(5, 5));
  EXPECT_EQ(f.lines[1].points()[4], QPointF(5, 10));
  EXPECT_EQ(f.zeroThroughout, (QStringList{"degraded (database answered)", "database refused"}));
}

TEST(ChartModel, EmptyCellsBreakTheLine) {
  const ChartSpec keys = buildNodeChart("keys", "Keys", "keys", fixture());
  ASSERT_EQ(keys.lines.size(), 6);
  EXPECT_EQ(keys.lines[1].name, "master-2");
  ASSERT_EQ(keys.lines[1].segments.size(), 2);  // down from 9 s to 16 s: no value, no line
  EXPECT_EQ(keys.lines[1].segments[0].size(), 8);
  EXPECT_EQ(keys.lines[1].segments[0].last(), QPointF(8, 2080));
  EXPECT_EQ(keys.lines[1].segments[1].first(), QPointF(17, 2170));
  EXPECT_EQ(keys.lines[0].segments.size(), 1);
  // origin_latency_us_p99 starts with an empty cell.
  const auto seg = columnSegments(fixture().front()->series, "origin_latency_us_p99");
  ASSERT_EQ(seg.size(), 1);
  EXPECT_EQ(seg[0].first(), QPointF(2, 4002));
}

TEST(ChartModel, SecondRunIsOverlaid) {
  RunSet runs = fixture();
  runs.push_back(runs.front());
  const ChartSpec c = buildChart(def("hit-ratio"), runs);
  ASSERT_EQ(c.lines.size(), 2);
  EXPECT_EQ(c.lines[0].run, 0);
  EXPECT_EQ(c.lines[1].run, 1);
  EXPECT_TRUE(c.lines[1].name.startsWith("hit ratio ("));
  EXPECT_EQ(c.lines[1].points(), c.lines[0].points());
}

TEST(ChartModel, AbsentColumnsDrawNothing) {
  ChartDef d{"x", "X", "", {{"no_such_column", "none"}, {"hit_ratio", "hit"}}};
  const ChartSpec c = buildChart(d, fixture());
  ASSERT_EQ(c.lines.size(), 1);
  EXPECT_EQ(c.lines[0].column, "hit_ratio");
}

TEST(SlotLayout, RedisCliSplit) {
  using R = std::vector<std::pair<int, int>>;
  EXPECT_EQ(redisCliSplit(3), (R{{0, 5460}, {5461, 10922}, {10923, 16383}}));
  EXPECT_EQ(redisCliSplit(1), (R{{0, 16383}}));
  EXPECT_EQ(redisCliSplit(6),
            (R{{0, 2730}, {2731, 5460}, {5461, 8191}, {8192, 10922}, {10923, 13652}, {13653, 16383}}));
  EXPECT_TRUE(redisCliSplit(0).empty());
}

TEST(SlotLayout, SummaryRangesWinAtTheEnd) {
  const auto run = fixture().front();
  ASSERT_TRUE(hasSummaryRanges(*run));
  const SlotLayout l = slotLayoutAt(*run, 20);
  EXPECT_EQ(l.owners[static_cast<std::size_t>(l.owner[0])], "master-1");
  EXPECT_EQ(l.owners[static_cast<std::size_t>(l.owner[6000])], "replica-2-1");
  EXPECT_EQ(l.owners[static_cast<std::size_t>(l.owner[16383])], "master-3");
}

TEST(SlotLayout, WithoutRangesReplaysPromotion) {
  auto copy = std::make_shared<cachelab::results::Run>(*fixture().front());
  for (auto& n : copy->summary.nodes) n.slot_ranges.clear();
  ASSERT_FALSE(hasSummaryRanges(*copy));
  const SlotLayout before = slotLayoutAt(*copy, 11.0);
  EXPECT_EQ(before.owners[static_cast<std::size_t>(before.owner[5461])], "master-2");
  EXPECT_EQ(before.owners[static_cast<std::size_t>(before.owner[5460])], "master-1");
  const SlotLayout after = slotLayoutAt(*copy, 11.3);
  EXPECT_EQ(after.owners[static_cast<std::size_t>(after.owner[5461])], "replica-2-1");
  EXPECT_EQ(after.owners[static_cast<std::size_t>(after.owner[10922])], "replica-2-1");
  EXPECT_EQ(after.owners[static_cast<std::size_t>(after.owner[10923])], "master-3");
}

TEST(RoleTimeline, BandsAndMarkersFromTheFiles) {
  const auto tl = roleTimelines(*fixture().front());
  ASSERT_EQ(tl.size(), 6u);
  const auto& m2 = tl[1];
  EXPECT_EQ(m2.node, "master-2");
  ASSERT_EQ(m2.bands.size(), 3u);
  EXPECT_EQ(m2.bands[0].role, "master");
  EXPECT_DOUBLE_EQ(m2.bands[0].t0, 0);
  EXPECT_DOUBLE_EQ(m2.bands[0].t1, 8);
  EXPECT_EQ(m2.bands[1].role, "down");
  EXPECT_DOUBLE_EQ(m2.bands[1].t1, 16);
  EXPECT_EQ(m2.bands[2].role, "replica");
  EXPECT_DOUBLE_EQ(m2.bands[2].t1, 20);
  std::vector<std::string> types;
  for (const auto& m : m2.markers) types.push_back(m.type);
  EXPECT_EQ(types, (std::vector<std::string>{"kill", "node_down", "pfail", "fail", "restart", "node_up"}));
  const auto& r21 = tl[4];
  ASSERT_EQ(r21.markers.size(), 2u);
  EXPECT_EQ(r21.markers[1].type, "promoted");
  EXPECT_DOUBLE_EQ(r21.markers[1].t_s, 11.3);
  EXPECT_EQ(r21.bands.back().role, "master");
  EXPECT_DOUBLE_EQ(r21.bands.back().t0, 11);
}

}  // namespace
