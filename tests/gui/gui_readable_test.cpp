// Readable everywhere (issue 18, part 6): fault markers on the time charts, event labels that never overlap,
// the slot map's time slider for simulated runs, value axes in the unit of their magnitude, ratios on 0..1.
#include <QApplication>
#include <QFont>
#include <QFontMetricsF>
#include <QSlider>

#include <gtest/gtest.h>

#include "app/format.hpp"
#include "model/chart_model.hpp"
#include "model/event_details.hpp"
#include "model/fault_markers.hpp"
#include "model/label_layout.hpp"
#include "model/role_timeline.hpp"
#include "model/slot_layout.hpp"
#include "views/slot_map_view.hpp"
#include "widgets/event_timeline_widget.hpp"
#include "widgets/slot_grid_widget.hpp"
#include "widgets/time_chart_view.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::fixtureRun;
using cachelab::testing::ScratchRun;

RunPtr loadFixture(const std::filesystem::path& p) { return loadRun(QString::fromStdString(p.string())); }

ChartDef chartDefById(const QString& id) {
  for (const auto& d : timeSeriesCharts())
    if (d.id == id) return d;
  return {};
}

TEST(FaultMarkers, FromFaultRowsAndOlderEventTypes) {
  // The fixture logs its kill and restart as event types of their own (kill at 8 s, restart at 16 s).
  const auto fixture = faultMarkers(*loadFixture(fixtureRun()));
  ASSERT_EQ(fixture.size(), 2);
  EXPECT_EQ(fixture[0], (ChartMarker{8.0, "kill master-2", "kill"}));
  EXPECT_EQ(fixture[1], (ChartMarker{16.0, "restart master-2", "restart"}));
  // The simulator's form: a `fault` row with the action and its keys.
  ScratchRun run;
  run.write("events.jsonl",
            "{\"t_s\":0,\"type\":\"run_start\"}\n"
            "{\"action\":\"reshard\",\"count\":2000,\"from\":\"master-1\",\"t_s\":12.5,\"to\":\"master-3\",\"type\":"
            "\"fault\"}\n"
            "{\"t_s\":13,\"type\":\"slot_moved\",\"slot\":0,\"from\":\"master-1\",\"to\":\"master-3\"}\n");
  const auto sim = faultMarkers(*loadFixture(run.dir()));
  ASSERT_EQ(sim.size(), 1);
  EXPECT_EQ(sim[0].label, QString::fromUtf8("reshard master-1→master-3"));
  EXPECT_DOUBLE_EQ(sim[0].t_s, 12.5);
}

TEST(FaultMarkers, RoleTimelineMarksFaultRows) {
  ScratchRun run;
  run.write("events.jsonl", "{\"action\":\"kill\",\"node\":\"master-2\",\"t_s\":8,\"type\":\"fault\"}\n");
  const auto tl = roleTimelines(*loadFixture(run.dir()));
  ASSERT_GE(tl.size(), 2u);
  ASSERT_EQ(tl[1].node, "master-2");
  ASSERT_EQ(tl[1].markers.size(), 1u);
  EXPECT_EQ(tl[1].markers[0].type, "kill");
}

TEST(FaultMarkers, EveryTimeChartCarriesThem) {
  const RunSet runs{loadFixture(fixtureRun())};
  for (const auto& d : timeSeriesCharts()) EXPECT_EQ(buildChart(d, runs).markers.size(), 2) << d.id.toStdString();
  EXPECT_EQ(buildNodeChart("keys", "Keys", "keys", runs).markers.size(), 2);
  // Two runs with the same faults mark each fault once.
  EXPECT_EQ(buildChart(chartDefById("latency"), {runs[0], runs[0]}).markers.size(), 2);
}

TEST(LabelLayout, NoTwoLabelsOverlap) {
  // Forty events within a few pixels (a failover seen by every node): labels must not overlap in any lane.
  std::vector<LabelItem> items;
  for (int i = 0; i < 40; ++i)
    items.push_back({100.0 + i * 1.5, i % 2 ? "fail master-1" : QString("pfail node-%1").arg(i)});
  const auto width = [](const QString& t) { return 7.0 * t.size(); };
  const LabelLayout l = layoutLabels(items, width, 600, 4);
  EXPECT_EQ(static_cast<int>(l.placed.size()) + l.hidden, 40);  // nothing merges: neighbours differ
  EXPECT_LE(l.placed.size(), 4u);
  for (std::size_t a = 0; a < l.placed.size(); ++a) {
    EXPECT_GE(l.placed[a].left, 0);
    EXPECT_LE(l.placed[a].left + l.placed[a].width, 600);
    for (std::size_t b = a + 1; b < l.placed.size(); ++b) {
      if (l.placed[a].lane != l.placed[b].lane) continue;
      const bool apart = l.placed[a].left + l.placed[a].width <= l.placed[b].left ||
                         l.placed[b].left + l.placed[b].width <= l.placed[a].left;
      EXPECT_TRUE(apart) << a << " and " << b;
    }
  }
}

TEST(LabelLayout, RepeatedLabelsMerge) {
  const std::vector<LabelItem> items = {
      {10, "pfail master-1"}, {11, "pfail master-1"}, {12, "pfail master-1"}, {300, "pfail master-1"}};
  const LabelLayout l = layoutLabels(
      items, [](const QString& t) { return 7.0 * t.size(); }, 600, 2);
  ASSERT_EQ(l.placed.size(), 2u);
  EXPECT_EQ(l.placed[0].text, QString::fromUtf8("pfail master-1 ×3"));
  EXPECT_EQ(l.placed[1].text, "pfail master-1");
  // Near the right edge a label ends left of its tick instead of running off.
  const LabelLayout edge = layoutLabels(
      {{590, "promoted replica-1-1"}}, [](const QString& t) { return 7.0 * t.size(); }, 600, 1);
  ASSERT_EQ(edge.placed.size(), 1u);
  EXPECT_LE(edge.placed[0].left + edge.placed[0].width, 590);
}

TEST(EventTimeline, DenseEventsDrawNoOverlappingLabels) {
  std::vector<cachelab::results::Event> events;
  for (int i = 0; i < 30; ++i) {
    cachelab::results::Event e;
    e.t_s = 30 + i * 0.01;
    e.type = i % 3 ? "fail" : "cluster_state";
    e.node = "master-" + std::to_string(i % 4);
    events.push_back(e);
  }
  EventTimelineWidget w(events, 0, 90);
  w.resize(900, 210);
  w.setAttribute(Qt::WA_DontShowOnScreen);
  w.show();
  QApplication::processEvents();
  (void)w.grab();
  const LabelLayout& l = w.lastLayout();
  EXPECT_GT(l.hidden, 0);
  EXPECT_FALSE(l.placed.empty());
  for (std::size_t a = 0; a < l.placed.size(); ++a)
    for (std::size_t b = a + 1; b < l.placed.size(); ++b)
      if (l.placed[a].lane == l.placed[b].lane) {
        EXPECT_TRUE(l.placed[a].left + l.placed[a].width <= l.placed[b].left ||
                    l.placed[b].left + l.placed[b].width <= l.placed[a].left);
      }
}

TEST(SlotMap, SimulatedRunsGetTheTimeSlider) {
  // The fixture's summary.json has slot ranges (as every simulated run): the slider still replays the events,
  // and its end shows the summary's ranges.
  const RunPtr run = loadFixture(fixtureRun());
  ASSERT_TRUE(hasSummaryRanges(*run));
  EXPECT_DOUBLE_EQ(runEndTime(*run), 20);
  const SlotLayout before = slotLayoutAt(*run, 5);  // before the kill at 8 s: master-2 still owns its slots
  EXPECT_EQ(before.owners[static_cast<std::size_t>(before.owner[6000])], "master-2");
  const SlotLayout end = slotLayoutAt(*run, 20);
  EXPECT_EQ(end.owners[static_cast<std::size_t>(end.owner[6000])], "replica-2-1");
  EXPECT_NE(QString::fromStdString(end.source).indexOf("summary.json"), -1);

  SlotMapView view({run});
  auto* slider = view.findChild<QSlider*>("time");
  ASSERT_NE(slider, nullptr);
  EXPECT_EQ(slider->maximum(), 200);  // tenths of a second up to 20 s
  auto* grid = view.findChild<SlotGridWidget*>();
  ASSERT_NE(grid, nullptr);
  view.resize(900, 700);
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.show();
  QApplication::processEvents();
  const QImage atEnd = grid->grab().toImage();
  slider->setValue(50);
  QApplication::processEvents();
  EXPECT_NE(grid->grab().toImage(), atEnd);  // master-2's slots change colour back
}

TEST(Axes, UnitsFollowTheMagnitude) {
  EXPECT_EQ(chooseAxisScale(AxisUnit::Micros, "", 800).title, QString::fromUtf8("µs"));
  EXPECT_EQ(chooseAxisScale(AxisUnit::Micros, "", 150000).title, "ms");
  EXPECT_DOUBLE_EQ(chooseAxisScale(AxisUnit::Micros, "", 150000).divisor, 1000);
  EXPECT_EQ(chooseAxisScale(AxisUnit::Micros, "", 2.5e6).title, "s");
  // A node's maxmemory of "64mb" is 64 MiB (Redis reads mb as 2^20): the axis says 64 MiB, as the tables and
  // `cachelab run` do, not 67.1 MB.
  EXPECT_EQ(chooseAxisScale(AxisUnit::Bytes, "bytes", 67108864).title, "MiB");
  EXPECT_DOUBLE_EQ(67108864 / chooseAxisScale(AxisUnit::Bytes, "bytes", 67108864).divisor, 64);
  EXPECT_EQ(chooseAxisScale(AxisUnit::Bytes, "bytes", 3.5 * 1024 * 1024 * 1024).title, "GiB");
  EXPECT_EQ(chooseAxisScale(AxisUnit::Bytes, "bytes", 2048).title, "KiB");
  EXPECT_EQ(chooseAxisScale(AxisUnit::Plain, "req / s", 100000).title, "k req / s");
  EXPECT_EQ(chooseAxisScale(AxisUnit::Plain, "req / s", 900).title, "req / s");
  EXPECT_DOUBLE_EQ(niceTickStep(90), 10);
  EXPECT_DOUBLE_EQ(niceTickStep(20), 2);
  EXPECT_DOUBLE_EQ(niceTickStep(120), 20);
  EXPECT_EQ(formatMicros(1396.7), "1.40 ms");
  EXPECT_EQ(formatMicros(212.5), QString::fromUtf8("213 µs"));  // cachelab::fmt: 3 significant digits
  EXPECT_EQ(formatMicros(1.5e6), "1.50 s");
}

TEST(Axes, TheLatencyChartReadsInMillisecondsAndTheHitRatioOnZeroToOne) {
  // The fixture's p99 reaches 15,000 µs: the axis shows 15 ms, not 15000 µs or 1.5e+04.
  const RunSet runs{loadFixture(fixtureRun())};
  TimeChartView latency(buildChart(chartDefById("latency"), runs));
  EXPECT_EQ(latency.valueAxis()->titleText(), "ms");
  EXPECT_GE(latency.valueAxis()->max(), 15);
  EXPECT_LT(latency.valueAxis()->max(), 100);
  // Hover still gives the file's value, with its unit.
  EXPECT_TRUE(latency.hoverText(9).contains(QString::fromUtf8("15000 µs"))) << latency.hoverText(9).toStdString();
  TimeChartView ratio(buildChart(chartDefById("hit-ratio"), runs));
  EXPECT_DOUBLE_EQ(ratio.valueAxis()->min(), 0);
  EXPECT_DOUBLE_EQ(ratio.valueAxis()->max(), 1);
}

// The failover view's "All events" rows: the run's layout as the nodes it lists, not a JSON dump (it read
// `nodes [{"master":null,"maxmemory_bytes":67108864,...`), and a fault's unset fields left out.
TEST(EventDetails, TheLayoutReadsAsNodesAndNullFieldsAreLeftOut) {
  const auto run = loadFixture(fixtureRun().parent_path() / "run-failover");
  nlohmann::json layout;
  for (const auto& e : run->events)
    if (e.type == "cluster_layout") layout = e.raw;
  ASSERT_FALSE(layout.is_null());
  for (const char* k : {"t_s", "type", "node"}) layout.erase(k);
  const QString text = eventDetailsText(layout);
  EXPECT_TRUE(text.startsWith("nodes master-1 (master, maxmemory 64.0 MiB, slots 0-5460); master-2 (master,"))
      << text.toStdString();
  EXPECT_TRUE(text.contains("replica-1-1 (replica of master-1, maxmemory 64.0 MiB)")) << text.toStdString();
  EXPECT_TRUE(text.endsWith(", sharding redis-cluster")) << text.toStdString();
  EXPECT_FALSE(text.contains('{') || text.contains('"') || text.contains("null")) << text.toStdString();

  const nlohmann::json fault = {
      {"action", "partition"}, {"bus_only", false}, {"clients", nullptr}, {"nodes", "master-1"}, {"zones", nullptr}};
  EXPECT_EQ(eventDetailsText(fault), "action partition, bus_only no, nodes master-1");
  EXPECT_EQ(eventDetailsText({{"channels", 7}, {"groups", {{"master-1"}, {"master-2", "replica-2-1"}}}}),
            "channels 7, groups [master-1], [master-2, replica-2-1]");
  EXPECT_EQ(eventDetailsText({{"reports", 2}, {"seen_by", "replica-3-1"}, {"via", "quorum"}}),
            "reports 2, seen_by replica-3-1, via quorum");
  EXPECT_EQ(eventDetailsText({{"slot", 10923}, {"moved_keys", 12000}}), "moved_keys 12,000, slot 10923");
  EXPECT_EQ(eventDetailsText({{"config_epoch", 10001}, {"from", "master-1"}, {"slots", 2000}}),
            "config_epoch 10001, from master-1, slots 2,000");
}

}  // namespace
