// Running a scenario from the GUI: sim's library in a worker thread writes the same run directory as
// `cachelab run`, reports progress, and stops on cancel without writing anything.
#include <fstream>

#include <QDir>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/scenario_runner.hpp"
#include "cachelab/results/reader.hpp"

namespace {

using namespace cachelab::gui;

// A short version of the flagship scenario, written to `dir`/scenarios/tiny.json.
QString tinyScenario(const QTemporaryDir& dir, double duration_s) {
  std::ifstream in(std::string(CACHELAB_FIXTURES_DIR) + "/../../scenarios/flash-sale.json");
  nlohmann::json s = nlohmann::json::parse(in);
  s["name"] = "tiny";
  s["duration_s"] = duration_s;
  s["warmup_s"] = 1;
  s["workload"]["keys"] = 10000;
  s["workload"]["arrival"]["rate_per_s"] = 2000;
  s["workload"]["arrival"].erase("shape");
  QDir(dir.path()).mkpath("scenarios");
  const QString path = dir.filePath("scenarios/tiny.json");
  std::ofstream(path.toStdString()) << s.dump(2);
  return path;
}

struct Outcome {
  QString finished, failed;
  bool cancelled = false;
  int progress = 0, partial = 0;
};

// Starts the runner through `start` and runs the event loop until it reports an end (or 120 s pass). The handlers are
// connected before the start: a bad scenario fails at once in the worker thread, and a signal emitted before any
// connection exists is lost (the test then hung for 120 s under load).
template <class Start>
Outcome run(ScenarioRunner& r, Start start, bool cancelOnFirstProgress = false) {
  Outcome o;
  QEventLoop loop;
  QObject::connect(&r, &ScenarioRunner::progress, &loop, [&](double) {
    ++o.progress;
    if (cancelOnFirstProgress) r.cancel();
  });
  QObject::connect(&r, &ScenarioRunner::partial, &loop, [&](const RunPtr&) { ++o.partial; });
  QObject::connect(&r, &ScenarioRunner::finished, &loop, [&](const QString& d) {
    o.finished = d;
    loop.quit();
  });
  QObject::connect(&r, &ScenarioRunner::failed, &loop, [&](const QString& m) {
    o.failed = m;
    loop.quit();
  });
  QObject::connect(&r, &ScenarioRunner::cancelled, &loop, [&] {
    o.cancelled = true;
    loop.quit();
  });
  QTimer::singleShot(120000, &loop, &QEventLoop::quit);
  if (!start()) {
    o.failed = "start() refused";
    return o;
  }
  loop.exec();
  return o;
}

TEST(ScenarioRunner, ResultsGoNextToTheScenariosFolder) {
  EXPECT_EQ(ScenarioRunner::resultsRootFor("/repo/scenarios/a.json"), "/repo/results");
  EXPECT_EQ(ScenarioRunner::resultsRootFor("/elsewhere/a.json"), QDir::current().absoluteFilePath("results"));
}

TEST(ScenarioRunner, WritesARunDirectoryTheReaderLoads) {
  QTemporaryDir dir;
  ScenarioRunner r;
  const QString path = tinyScenario(dir, 4);
  const Outcome o = run(r, [&] { return r.start(path); });
  ASSERT_TRUE(o.failed.isEmpty()) << o.failed.toStdString();
  ASSERT_FALSE(o.finished.isEmpty());
  EXPECT_TRUE(o.finished.startsWith(dir.filePath("results/tiny/"))) << o.finished.toStdString();
  EXPECT_GT(o.progress, 0);
  const auto run = cachelab::results::load_run(o.finished.toStdString());
  EXPECT_EQ(run.info.name, "tiny");
  EXPECT_EQ(run.series.rows(), 4u);
}

TEST(ScenarioRunner, CancelStopsWithoutWriting) {
  QTemporaryDir dir;
  ScenarioRunner r;
  const QString path = tinyScenario(dir, 3600);
  const Outcome o = run(
      r, [&] { return r.start(path); }, /*cancelOnFirstProgress=*/true);
  EXPECT_TRUE(o.cancelled) << o.failed.toStdString();
  EXPECT_FALSE(QDir(dir.filePath("results")).exists());
}

TEST(ScenarioRunner, BadScenarioFails) {
  QTemporaryDir dir;
  std::ofstream(dir.filePath("bad.json").toStdString()) << R"({"cachelab": 1, "name": "x", "duration_s": "long"})";
  ScenarioRunner r;
  const Outcome o = run(r, [&] { return r.start(dir.filePath("bad.json"), dir.filePath("results")); });
  EXPECT_TRUE(o.finished.isEmpty());
  EXPECT_TRUE(o.failed.contains("/duration_s")) << o.failed.toStdString();
}

}  // namespace
