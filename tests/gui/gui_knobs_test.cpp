// The knob panel (issue 18, part 1): generated from sim's knob declarations, it changes knobs as `--set` does,
// refuses what `cachelab validate` refuses with the same words, runs the result as a new run and saves it.
#include <fstream>

#include <QDir>
#include <QEventLoop>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>
#include <QListWidget>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/main_window.hpp"
#include "app/scenario_runner.hpp"
#include "cachelab/results/reader.hpp"
#include "model/knob_tree.hpp"
#include "model/scenario_edit.hpp"
#include "views/knobs_view.hpp"
#include "views/view_factory.hpp"
#include "widgets/runs_panel.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::testing::fixtureRun;

const QString kFlashSale = QString(CACHELAB_FIXTURES_DIR) + "/../../scenarios/flash-sale.json";

// What `cachelab validate FILE --set ...` prints on stderr, one problem a line, without its closing count.
QString cliProblems(const QString& file, const QStringList& sets) {
  QStringList args{"validate", file};
  for (const auto& s : sets) args << "--set" << s;
  QProcess p;
  p.start(CACHELAB_CLI_BINARY, args);
  p.waitForFinished(60000);
  QStringList lines = QString::fromUtf8(p.readAllStandardError()).trimmed().split('\n');
  lines.removeIf([](const QString& l) { return l.contains(" problem"); });  // "2 problems in FILE"
  return lines.join('\n');
}

TEST(KnobTree, FollowsTheKnobDeclarations) {
  const ScenarioEdit e = ScenarioEdit::fromFile(kFlashSale);
  ASSERT_TRUE(e.valid()) << e.error().toStdString();
  const auto tree = knobTree(e.resolved());
  // Values come from the file (flash-sale.json: 3 masters, allkeys-lru); declarations give type, range, choices.
  const KnobNode* masters = findKnob(tree, "/cluster/masters");
  ASSERT_NE(masters, nullptr);
  EXPECT_EQ(masters->value, 3);
  EXPECT_EQ(masters->type, "integer");
  EXPECT_EQ(masters->range, "[1, 1,000]");
  const KnobNode* sampling = findKnob(tree, "/cluster/sampling");
  ASSERT_NE(sampling, nullptr);
  EXPECT_EQ(sampling->choices, QStringList({"uniform", "buckets"}));
  const KnobNode* timeout = findKnob(tree, "/cluster/node_timeout_ms");
  ASSERT_NE(timeout, nullptr);
  EXPECT_EQ(timeout->unit, "ms");
  EXPECT_FALSE(timeout->doc.isEmpty());
  // A distribution is a variant: its choices are the distributions, its children the chosen one's parameters.
  const KnobNode* rtt = findKnob(tree, "/network/rtt_us");
  ASSERT_NE(rtt, nullptr);
  EXPECT_TRUE(rtt->choices.contains("exponential"));
  EXPECT_EQ(rtt->variantTag, "dist");
  EXPECT_EQ(knobAssignmentText(*rtt, "fixed"), R"({"dist":"fixed"})");
  EXPECT_FALSE(rtt->children.empty());
}

TEST(ScenarioEdit, ChangesAreSetAssignmentsAndUndoWhenSetBack) {
  ScenarioEdit e = ScenarioEdit::fromFile(kFlashSale);
  EXPECT_TRUE(e.set("/origin/servers", "108"));
  EXPECT_EQ(e.edits(), QStringList({"/origin/servers=108"}));
  EXPECT_EQ(e.resolved()["origin"]["servers"], 108);
  e.set("/origin/servers", "90");  // a second change of one knob replaces the first
  EXPECT_EQ(e.edits(), QStringList({"/origin/servers=90"}));
  e.set("/origin/servers", "120");  // the file's value: no change left
  EXPECT_TRUE(e.edits().isEmpty());
}

TEST(ScenarioEdit, RefusesWhatTheCliRefusesWithItsMessages) {
  ScenarioEdit e = ScenarioEdit::fromFile(kFlashSale);
  EXPECT_FALSE(e.set("/cluster/masters", "0"));
  EXPECT_FALSE(e.set("/cluster/sampling", "sometimes"));
  EXPECT_TRUE(e.problemPointers().contains("/cluster/masters"));
  EXPECT_EQ(e.error(), cliProblems(kFlashSale, {"/cluster/masters=0", "/cluster/sampling=sometimes"}));
  e.resetEdits();
  EXPECT_TRUE(e.valid());
}

TEST(ScenarioEdit, ARunWithoutItsFileStartsFromRunJson) {
  // The fixture's scenario file does not exist, and its resolved scenario lacks /workload: shown, not run.
  const auto run = cachelab::results::load_run(fixtureRun());
  QString note;
  const ScenarioEdit e = ScenarioEdit::fromRun(run, &note);
  EXPECT_TRUE(note.contains("was not found")) << note.toStdString();
  EXPECT_FALSE(e.valid());
  EXPECT_TRUE(e.error().contains("/workload")) << e.error().toStdString();
  EXPECT_EQ(e.resolved()["cluster"]["masters"], run.info.scenario["cluster"]["masters"]);
}

TEST(ScenarioEdit, SavesTheChangedScenario) {
  QTemporaryDir dir;
  ScenarioEdit e = ScenarioEdit::fromFile(kFlashSale);
  e.set("/cluster/maxmemory", "128mb");
  QString error;
  ASSERT_TRUE(e.save(dir.filePath("edited.json"), &error)) << error.toStdString();
  const auto saved = ScenarioEdit::fromFile(dir.filePath("edited.json"));
  EXPECT_TRUE(saved.valid()) << saved.error().toStdString();
  EXPECT_EQ(saved.resolved()["cluster"]["maxmemory"], 128 * 1024 * 1024);
  e.set("/cluster/masters", "-1");
  EXPECT_FALSE(e.save(dir.filePath("bad.json"), &error));
  EXPECT_TRUE(error.contains("/cluster/masters"));
  EXPECT_FALSE(QFile::exists(dir.filePath("bad.json")));
}

TEST(KnobsView, ChangeValidateAndRun) {
  KnobsView view(ScenarioEdit::fromFile(kFlashSale), "test");
  QList<RunRequest> requested;
  QObject::connect(&view, &KnobsView::runRequested, [&](const RunRequest& r) { requested.append(r); });
  EXPECT_TRUE(view.runButton()->isEnabled());
  ASSERT_TRUE(view.setKnob("/origin/servers", "108"));
  EXPECT_TRUE(view.runButton()->isEnabled());
  EXPECT_TRUE(view.commandLine().endsWith("flash-sale.json --set /origin/servers=108"))
      << view.commandLine().toStdString();
  // A wrong value: the panel says why (the loader's words) and will not run it.
  ASSERT_TRUE(view.setKnob("/cluster/masters", "0"));
  EXPECT_FALSE(view.runButton()->isEnabled());
  EXPECT_TRUE(view.problemText().contains("/cluster/masters: expected an integer >= 1"))
      << view.problemText().toStdString();
  view.runButton()->click();
  EXPECT_EQ(requested.count(), 0);
  ASSERT_TRUE(view.setKnob("/cluster/masters", "4"));
  view.runButton()->click();
  ASSERT_EQ(requested.count(), 1);
  const RunRequest& req = requested.front();
  EXPECT_EQ(req.overrides, QStringList({"/origin/servers=108", "/cluster/masters=4"}));
  // A fault is added by editing the timeline array's JSON; its fields then show as knobs of their own.
  ASSERT_TRUE(view.setKnob("/faults", R"([{"action":"kill","at_s":30,"node":"master-1"}])"));
  EXPECT_TRUE(view.runButton()->isEnabled()) << view.problemText().toStdString();
  const auto tree = knobTree(view.edit().resolved());
  const KnobNode* node = findKnob(tree, "/faults/0/node");
  ASSERT_NE(node, nullptr);
  EXPECT_EQ(node->value, "master-1");
  // Switching a distribution rebuilds its parameters under it.
  ASSERT_TRUE(view.setKnob("/network/rtt_us", "fixed"));
  EXPECT_EQ(view.edit().resolved()["network"]["rtt_us"]["dist"], "fixed");
}

// flash-sale.json cut to a few seconds, in `dir`/scenarios/small.json.
QString smallScenario(const QTemporaryDir& dir) {
  nlohmann::json s;
  std::ifstream(kFlashSale.toStdString()) >> s;
  s["duration_s"] = 3;
  s["warmup_s"] = 1;
  s["workload"]["keys"] = 10000;
  s["workload"]["arrival"]["rate_per_s"] = 1000;
  s["workload"]["arrival"].erase("shape");
  QDir(dir.path()).mkpath("scenarios");
  std::ofstream(dir.filePath("scenarios/small.json").toStdString()) << s.dump(2);
  return dir.filePath("scenarios/small.json");
}

// Runs the event loop until `done` holds (checked every 50 ms) or 120 s pass.
template <class Pred>
bool waitFor(Pred done) {
  QEventLoop loop;
  QTimer poll, limit;
  QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
    if (done()) loop.quit();
  });
  QObject::connect(&limit, &QTimer::timeout, &loop, &QEventLoop::quit);
  poll.start(50);
  limit.start(120000);
  loop.exec();
  return done();
}

TEST(KnobsView, TheWindowKeepsEarlierRunsAndComparesTheNewOne) {
  QTemporaryDir dir;
  MainWindow w;
  QString error;
  w.errorSink = [&](const QString&, const QString& m) { error = m; };
  w.openPaths({smallScenario(dir)});  // runs it; the run directory opens when it ends
  ASSERT_TRUE(waitFor([&] { return w.runsPanel()->runs().size() == 1; })) << error.toStdString();
  const RunPtr first = w.runs().front();
  auto* knobs = qobject_cast<KnobsView*>(w.tabs()->widget(static_cast<int>(viewNames().indexOf("knobs"))));
  ASSERT_NE(knobs, nullptr);
  ASSERT_TRUE(knobs->setKnob("/cluster/maxmemory", "1mb"));
  knobs->runButton()->click();
  ASSERT_TRUE(waitFor([&] { return w.runsPanel()->runs().size() == 2; })) << error.toStdString();
  // The new run is shown against the run it was made from, on the Compare tab.
  ASSERT_EQ(w.runs().size(), 2u);
  EXPECT_EQ(w.runs()[1], first);
  EXPECT_EQ(w.runs()[0]->info.overrides, std::vector<std::string>{"/cluster/maxmemory=1mb"});
  EXPECT_EQ(w.tabs()->currentIndex(), viewNames().indexOf("compare"));
  // Either run can be shown again from the list, and any two compared (the newer one first).
  const RunPtr second = w.runs()[0];
  w.runsPanel()->list()->setCurrentRow(0);
  EXPECT_EQ(w.runsPanel()->selection(), RunSet{first});
  w.runsPanel()->list()->selectAll();
  EXPECT_EQ(w.runsPanel()->selection(), (RunSet{second, first}));
  w.showRuns({first});
  EXPECT_EQ(w.runs(), RunSet{first});
  auto* compare = w.runsPanel()->findChildren<QPushButton*>().back();
  ASSERT_EQ(compare->text(), "Compare");
  ASSERT_TRUE(compare->isEnabled());
  compare->click();
  EXPECT_EQ(w.runs(), (RunSet{second, first}));
}

namespace {
// Runs a request to its end; the run directory, or "" with the failure in `failed`.
QString knobsTestRun(const RunRequest& request, QString& failed) {
  ScenarioRunner r;
  QString finished;
  QEventLoop loop;
  QObject::connect(&r, &ScenarioRunner::finished, &loop, [&](const QString& d) {
    finished = d;
    loop.quit();
  });
  QObject::connect(&r, &ScenarioRunner::failed, &loop, [&](const QString& m) {
    failed = m;
    loop.quit();
  });
  QTimer::singleShot(120000, &loop, &QEventLoop::quit);
  if (!r.start(request)) return {};
  loop.exec();
  return finished;
}
}  // namespace

TEST(KnobsView, RunsTheChangedScenarioAsANewRun) {
  QTemporaryDir dir;
  nlohmann::json s;
  std::ifstream(smallScenario(dir).toStdString()) >> s;
  ScenarioEdit e(s.dump(), dir.filePath("small.json"), {}, dir.filePath("results"));
  ASSERT_TRUE(e.set("/origin/servers", "7"));
  QString failed;
  const QString finished = knobsTestRun(e.runRequest(), failed);
  ASSERT_TRUE(failed.isEmpty()) << failed.toStdString();
  ASSERT_TRUE(finished.startsWith(dir.filePath("results/flash-sale/"))) << finished.toStdString();
  const auto run = cachelab::results::load_run(finished.toStdString());
  EXPECT_EQ(run.info.overrides, std::vector<std::string>{"/origin/servers=7"});
  EXPECT_EQ(run.info.scenario["origin"]["servers"], 7);
  EXPECT_EQ(run.info.scenario["duration_s"], 3);
}

}  // namespace

// A calibrated run changed in the knobs view and run again keeps its calibration's record: the file and the knobs
// (from the run's overrides, as the run used them), so the new run's overview and legends still name it.
TEST(KnobsView, ARerunOfACalibratedRunKeepsTheCalibrationsRecord) {
  QTemporaryDir dir;
  const QString file = smallScenario(dir);
  nlohmann::json s;
  std::ifstream(file.toStdString()) >> s;
  const QStringList knobs = {R"(/network/rtt_us={"dist":"fixed","value":113})", "/network/nic_gbps=12.9"};
  RunRequest first{QString::fromStdString(s.dump()), file, knobs, dir.filePath("results"), {"/lab/host.json", 2}};
  QString failed;
  const QString firstDir = knobsTestRun(first, failed);
  ASSERT_FALSE(firstDir.isEmpty()) << failed.toStdString();
  const auto firstRun = cachelab::results::load_run(firstDir.toStdString());
  EXPECT_EQ(firstRun.info.calibration_file, "/lab/host.json");

  QString note;
  ScenarioEdit e = ScenarioEdit::fromRun(firstRun, &note);
  ASSERT_TRUE(e.set("/origin/servers", "7"));
  const RunRequest again = e.runRequest();
  EXPECT_EQ(again.calibration.file, "/lab/host.json");
  EXPECT_EQ(again.calibration.knobs, 2u);
  const QString secondDir = knobsTestRun(again, failed);
  ASSERT_FALSE(secondDir.isEmpty()) << failed.toStdString();
  const auto second = cachelab::results::load_run(secondDir.toStdString());
  EXPECT_EQ(second.info.calibration_file, "/lab/host.json");
  EXPECT_EQ(second.info.calibration_overrides,
            (std::vector<std::string>{knobs[0].toStdString(), knobs[1].toStdString()}));
  EXPECT_EQ(second.info.overrides.back(), "/origin/servers=7");
  EXPECT_EQ(second.info.scenario["network"]["nic_gbps"], 12.9);
}
