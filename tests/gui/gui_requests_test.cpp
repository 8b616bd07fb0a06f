// The requests view (issue 18 part 4): the filter and the sequence diagram built from the fixture run's
// requests.jsonl (tests/fixtures/run-traced: a reshard and a killed master, `--trace-requests`), the view and its
// --screenshot, and a broken or missing file shown as a message, never a crash.
#include <QApplication>
#include <QLabel>
#include <QProcess>
#include <QSet>
#include <QTemporaryDir>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "app/options.hpp"
#include "app/screenshot.hpp"
#include "model/request_trace_model.hpp"
#include "views/requests_view.hpp"
#include "widgets/sequence_diagram_widget.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
namespace fs = std::filesystem;

fs::path tracedRun() { return fs::path(CACHELAB_FIXTURES_DIR) / "run-traced"; }
RunSet traced() { return {loadRun(QString::fromStdString(tracedRun().string()))}; }
cachelab::results::RequestTraceFile file() { return cachelab::results::load_requests(tracedRun()); }

int distinctColours(const QImage& img) {
  QSet<QRgb> seen;
  for (int y = 0; y < img.height(); y += 3)
    for (int x = 0; x < img.width(); x += 3) seen.insert(img.pixel(x, y));
  return static_cast<int>(seen.size());
}

}  // namespace

TEST(RequestsModel, FiltersReadTheFilesFields) {
  const auto f = file();
  ASSERT_FALSE(f.requests.empty());
  EXPECT_EQ(filterRequests(f, RequestFilter::All).size(), f.requests.size());
  const auto redirected = filterRequests(f, RequestFilter::Redirected);
  const auto failed = filterRequests(f, RequestFilter::Failed);
  ASSERT_FALSE(redirected.empty()) << "the fixture has redirected requests";
  ASSERT_FALSE(failed.empty()) << "the fixture has failed requests";
  for (auto i : redirected) EXPECT_GT(f.requests[i].redirects, 0);
  for (auto i : failed) EXPECT_EQ(f.requests[i].outcome, "failed");
  for (auto i : filterRequests(f, RequestFilter::Degraded)) EXPECT_TRUE(f.requests[i].degraded);
  const auto slowest = filterRequests(f, RequestFilter::Slowest, 5);
  ASSERT_EQ(slowest.size(), 5u);
  for (size_t k = 1; k < slowest.size(); ++k)
    EXPECT_GE(f.requests[slowest[k - 1]].latency_ns, f.requests[slowest[k]].latency_ns);
  std::int64_t max = 0;
  for (const auto& r : f.requests) max = std::max(max, r.latency_ns);
  EXPECT_EQ(f.requests[slowest.front()].latency_ns, max);
  EXPECT_EQ(defaultRequest(f), static_cast<long>(redirected.front()));
  EXPECT_EQ(findRequest(f, f.requests[3].seq), 3);
  EXPECT_EQ(findRequest(f, UINT64_MAX), -1);
}

TEST(RequestsModel, DiagramOfARedirectedRequest) {
  const auto f = file();
  const auto& r = f.requests[static_cast<size_t>(defaultRequest(f))];
  const SequenceDiagram d = buildSequence(r);
  // Lifelines: the client, every node it touched in order, the database when queried.
  ASSERT_GE(d.lifelines.size(), 3);
  EXPECT_EQ(d.lifelines.front(), QString("client %1").arg(r.client));
  for (size_t i = 0; i < r.nodes.size(); ++i)
    EXPECT_EQ(d.lifelines[static_cast<int>(i) + 1], QString::fromStdString(r.nodes[i]));
  EXPECT_EQ(d.lifelines.contains("database"), r.db_queries > 0);
  // One row per hop, at the hop's time.
  ASSERT_EQ(d.rows.size(), r.hops.size());
  bool moved = false;
  for (size_t i = 0; i < r.hops.size(); ++i) {
    EXPECT_EQ(d.rows[i].t_ns, r.hops[i].t_ns);
    const auto& h = r.hops[i];
    if (h.type == "send") {
      EXPECT_EQ(d.rows[i].from, 0);
      EXPECT_EQ(d.lifelines[d.rows[i].to], QString::fromStdString(h.node));
      EXPECT_TRUE(d.rows[i].label.startsWith(QString::fromStdString(h.cmd))) << d.rows[i].label.toStdString();
    }
    if (h.type == "reply" && (h.reply == "moved" || h.reply == "ask")) {
      moved = true;
      EXPECT_TRUE(d.rows[i].reply);
      EXPECT_TRUE(d.rows[i].problem);
      EXPECT_EQ(d.rows[i].to, 0);
      EXPECT_TRUE(d.rows[i].label.contains(QString::fromStdString(h.target))) << d.rows[i].label.toStdString();
    }
  }
  EXPECT_TRUE(moved);
  EXPECT_TRUE(d.title.contains(QString("slot %1").arg(r.slot)));
  EXPECT_TRUE(d.title.contains(QString("= %1").arg(r.crc16)));
  EXPECT_EQ(offsetLabel(r.due_ns + 1500000, r.due_ns), "+1.50 ms");
}

TEST(RequestsView, ShowsTheDefaultAndAChosenRequest) {
  const auto f = file();
  RequestsView view(traced());
  EXPECT_EQ(view.shownSeq(), static_cast<long long>(f.requests[static_cast<size_t>(defaultRequest(f))].seq));
  EXPECT_EQ(view.listedCount(), static_cast<int>(filterRequests(f, RequestFilter::Redirected).size()));
  const auto failed = filterRequests(f, RequestFilter::Failed);
  ASSERT_TRUE(view.selectRequest(f.requests[failed.front()].seq));
  EXPECT_EQ(view.shownSeq(), static_cast<long long>(f.requests[failed.front()].seq));
  EXPECT_EQ(view.diagram()->diagram().rows.size(), f.requests[failed.front()].hops.size());
  EXPECT_FALSE(view.selectRequest(UINT64_MAX));
}

TEST(RequestsView, RendersAndScreenshotsAChosenRequest) {
  const auto f = file();
  const QImage img = renderView("requests", traced(), QSize(1200, 760));
  ASSERT_FALSE(img.isNull());
  EXPECT_GT(distinctColours(img), 8);
  const auto failed = filterRequests(f, RequestFilter::Failed);
  EXPECT_FALSE(
      renderView("requests", traced(), QSize(1200, 760), static_cast<long long>(f.requests[failed[0]].seq)).isNull());
  EXPECT_TRUE(renderView("requests", traced(), QSize(400, 300), 999999999).isNull());

  QTemporaryDir dir;
  const QString out = dir.filePath("requests.png");
  QProcess p;
  p.start(CACHELAB_GUI_BINARY,
          {"--screenshot", out, "--view", "requests", "--request", QString::number(f.requests[failed[0]].seq), "--size",
           "1100x700", QString::fromStdString(tracedRun().string())});
  ASSERT_TRUE(p.waitForFinished(60000));
  EXPECT_EQ(p.exitCode(), 0) << p.readAllStandardError().toStdString();
  EXPECT_EQ(QImage(out).size(), QSize(1100, 700));
  p.start(CACHELAB_GUI_BINARY, {"--screenshot", dir.filePath("x.png"), "--view", "requests", "--request", "999999999",
                                QString::fromStdString(tracedRun().string())});
  ASSERT_TRUE(p.waitForFinished(60000));
  EXPECT_EQ(p.exitCode(), 2);
  EXPECT_TRUE(p.readAllStandardError().contains("no request with that seq"));
  EXPECT_TRUE(parseOptions({"cachelab-gui", "--request", "x", "d"}).error.contains("--request"));
}

TEST(RequestsView, BrokenOrMissingFileIsAMessage) {
  {  // run-small has no requests.jsonl
    RequestsView view({loadRun(QString::fromStdString(cachelab::testing::fixtureRun().string()))});
    EXPECT_EQ(view.shownSeq(), -1);
    bool said = false;
    for (auto* l : view.findChildren<QLabel*>()) said = said || l->text().contains("--trace-requests");
    EXPECT_TRUE(said);
  }
  QTemporaryDir tmp;
  const fs::path dir = fs::path(tmp.path().toStdString()) / "run";
  fs::copy(tracedRun(), dir, fs::copy_options::recursive);
  std::string text;
  {
    std::ifstream in(dir / "requests.jsonl");
    text.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::ofstream(dir / "requests.jsonl", std::ios::trunc) << text.substr(0, text.size() / 2);  // cut mid-line
  RequestsView view({loadRun(QString::fromStdString(dir.string()))});
  EXPECT_EQ(view.shownSeq(), -1);
  bool said = false;
  for (auto* l : view.findChildren<QLabel*>())
    said = said || (l->text().contains("Cannot show the requests") && l->text().contains("requests.jsonl: line"));
  EXPECT_TRUE(said);
  EXPECT_FALSE(renderView("requests", {loadRun(QString::fromStdString(dir.string()))}, QSize(600, 400)).isNull());
}
