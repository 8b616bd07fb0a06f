// Every view renders to an image of the requested size that is not one flat colour, in both themes and
// with two runs; charts show the file's values on hover, share one time axis and export.
#include <QApplication>
#include <QComboBox>
#include <QFile>
#include <QImage>
#include <QKeyEvent>
#include <QSet>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include "app/screenshot.hpp"
#include "app/theme.hpp"
#include "export/exporter.hpp"
#include "views/slot_map_view.hpp"
#include "views/view_factory.hpp"
#include "widgets/axis_sync.hpp"
#include "widgets/time_chart_view.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::fixtureRun;

RunSet fixture() { return {loadRun(QString::fromStdString(fixtureRun().string()))}; }

// Distinct colours on a coarse grid of the image: a blank or failed render has one or two.
int distinctColourCount(const QImage& img) {
  QSet<QRgb> seen;
  for (int y = 0; y < img.height(); y += 3)
    for (int x = 0; x < img.width(); x += 3) seen.insert(img.pixel(x, y));
  return static_cast<int>(seen.size());
}

ChartDef def(const QString& id) {
  for (const auto& d : timeSeriesCharts())
    if (d.id == id) return d;
  return {};
}

class EveryView : public ::testing::TestWithParam<const char*> {};

TEST_P(EveryView, RendersOneRun) {
  const QImage img = renderView(GetParam(), fixture(), QSize(900, 640));
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(img.size(), QSize(900, 640));
  EXPECT_GT(distinctColourCount(img), 8) << GetParam();
}

TEST_P(EveryView, RendersTwoRunsInDarkTheme) {
  applyTheme(*qApp, Theme::Dark);
  RunSet runs = fixture();
  runs.push_back(runs.front());
  const QImage img = renderView(GetParam(), runs, QSize(1000, 700));
  applyTheme(*qApp, Theme::Light);
  ASSERT_FALSE(img.isNull());
  EXPECT_EQ(img.size(), QSize(1000, 700));
  EXPECT_GT(distinctColourCount(img), 8) << GetParam();
  // Dark means a dark background: the top-left corner is the window colour.
  EXPECT_LT(QColor(img.pixel(2, 2)).lightness(), 128) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(Views, EveryView,
                         ::testing::Values("overview", "timeseries", "nodes", "slots", "failover", "compare", "knobs"));

TEST(Views, UnknownViewIsNull) { EXPECT_TRUE(renderView("nope", fixture(), QSize(200, 200)).isNull()); }

TEST(Views, SlotMapColoursByLoad) {
  SlotMapView view(fixture());
  view.resize(800, 600);
  view.setAttribute(Qt::WA_DontShowOnScreen);
  view.show();
  QApplication::processEvents();
  const QImage byOwner = view.grab().toImage();
  auto* combo = view.findChild<QComboBox*>();
  ASSERT_NE(combo, nullptr);
  combo->setCurrentIndex(1);
  QApplication::processEvents();
  const QImage byLoad = view.grab().toImage();
  EXPECT_NE(byOwner, byLoad);
  if (qEnvironmentVariableIsSet("CACHELAB_KEEP_IMAGES")) byLoad.save("slots-by-load.png");
}

TEST(TimeChart, HoverShowsTheNearestIntervalAsInTheFile) {
  TimeChartView view(buildChart(def("latency"), fixture()));
  const QString text = view.hoverText(9.2);
  EXPECT_TRUE(text.startsWith("t = 9 s")) << text.toStdString();
  EXPECT_TRUE(text.contains("p50: 209")) << text.toStdString();
  EXPECT_TRUE(text.contains("p99: 15000")) << text.toStdString();
}

TEST(TimeChart, ChartsShareOneTimeAxis) {
  const RunSet runs = fixture();
  TimeChartView a(buildChart(def("latency"), runs)), b(buildChart(def("hit-ratio"), runs));
  AxisSync sync;
  sync.add(&a);
  sync.add(&b);
  EXPECT_DOUBLE_EQ(b.timeAxis()->max(), 20);
  a.setTimeRange(5, 12);
  EXPECT_DOUBLE_EQ(b.timeAxis()->min(), 5);
  EXPECT_DOUBLE_EQ(b.timeAxis()->max(), 12);
  b.resetZoom();
  EXPECT_DOUBLE_EQ(a.timeAxis()->min(), 0);
  EXPECT_DOUBLE_EQ(a.timeAxis()->max(), 20);
}

TEST(TimeChart, KeyboardZoomsPansAndResets) {
  TimeChartView view(buildChart(def("latency"), fixture()));
  auto key = [&](int k) {
    QKeyEvent e(QEvent::KeyPress, k, Qt::NoModifier);
    QApplication::sendEvent(&view, &e);
  };
  key(Qt::Key_Plus);
  EXPECT_DOUBLE_EQ(view.timeAxis()->min(), 2);  // 0..20 around 10, times 0.8
  EXPECT_DOUBLE_EQ(view.timeAxis()->max(), 18);
  key(Qt::Key_Right);
  EXPECT_NEAR(view.timeAxis()->min(), 3.6, 1e-9);
  EXPECT_NEAR(view.timeAxis()->max(), 19.6, 1e-9);
  key(Qt::Key_0);
  EXPECT_DOUBLE_EQ(view.timeAxis()->min(), 0);
  EXPECT_DOUBLE_EQ(view.timeAxis()->max(), 20);
}

TEST(Export, CsvHoldsTheValuesOfTheFile) {
  const QString csv = chartCsv(buildChart(def("hit-ratio"), fixture()));
  const QStringList lines = csv.split('\n', Qt::SkipEmptyParts);
  ASSERT_EQ(lines.size(), 21);
  EXPECT_EQ(lines[0], "t_s,hit ratio");
  EXPECT_EQ(lines[1], "1,0.5");
  EXPECT_EQ(lines[10], "10,0.75");
  EXPECT_EQ(lines[20], "20,0.9");
}

TEST(Export, CsvLeavesMissingValuesEmpty) {
  ChartSpec spec;
  spec.lines = {LineSpec{"a", "a", 0, {{QPointF(1, 2), QPointF(2, 3)}}}, LineSpec{"b", "b", 0, {{QPointF(2, 0.1)}}}};
  EXPECT_EQ(chartCsv(spec), "t_s,a,b\n1,2,\n2,3,0.1\n");
}

TEST(Export, PngAndSvgFilesAreWritten) {
  QTemporaryDir dir;
  ASSERT_TRUE(dir.isValid());
  TimeChartView view(buildChart(def("request-rate"), fixture()));
  view.resize(640, 400);
  QString error;
  ASSERT_TRUE(exportPng(&view, dir.filePath("c.png"), &error)) << error.toStdString();
  EXPECT_EQ(QImage(dir.filePath("c.png")).size(), QSize(640, 400));
  ASSERT_TRUE(exportSvg(&view, dir.filePath("c.svg"), "Request rate", &error)) << error.toStdString();
  QFile svg(dir.filePath("c.svg"));
  ASSERT_TRUE(svg.open(QIODevice::ReadOnly));
  const QByteArray text = svg.readAll();
  EXPECT_TRUE(text.contains("<svg"));
  EXPECT_TRUE(text.contains("Request rate"));
  EXPECT_GT(text.size(), 2000);
  EXPECT_FALSE(exportCsv(buildChart(def("latency"), fixture()), "/nonexistent-dir/x.csv", &error));
  EXPECT_TRUE(error.contains("/nonexistent-dir/x.csv"));
}

}  // namespace
