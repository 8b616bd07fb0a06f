// Lesson mode (issue 18 part 5): the Lesson dock shows a lesson's predict question before any run, runs a step's
// variant through the window's runner (the run joins the Runs list), and shows the step's figures and the lesson's
// checks. The figures and verdicts are compared with `cachelab lesson run` / `lesson check` (another process) and
// with sim's lesson::run_step (the library's own run); a bad lesson file gives the loader's message; the
// screenshot of the lesson view writes a PNG. Lesson 9 (hot key, 2 steps of about 0.5 s) keeps this fast.
#include <fstream>

#include <QApplication>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QImage>
#include <QLabel>
#include <QMenu>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTextDocumentFragment>
#include <QTimer>
#include <QEventLoop>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/lesson_dock.hpp"
#include "app/lesson_screenshot.hpp"
#include "app/main_window.hpp"
#include "app/options.hpp"
#include "app/scenario_runner.hpp"
#include "views/lesson_view.hpp"
#include "widgets/runs_panel.hpp"

namespace {

using namespace cachelab::gui;
namespace lesson = cachelab::lesson;

const QString kSource = QDir::cleanPath(QString(CACHELAB_FIXTURES_DIR) + "/../..");
const QString kLesson = kSource + "/scenarios/lessons/09-hot-key-l1.lesson.json";

nlohmann::json lessonJson() {
  std::ifstream in(kLesson.toStdString());
  return nlohmann::json::parse(in);
}

struct Cli {
  int code = -1;
  QString out, err;
};
// `cachelab ARGS` from the source tree (where `lesson` finds scenarios/lessons).
Cli cli(const QStringList& args) {
  QProcess p;
  p.setWorkingDirectory(kSource);
  p.start(CACHELAB_CLI_BINARY, args);
  Cli r;
  if (!p.waitForFinished(120000)) return r;
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.out = QString::fromUtf8(p.readAllStandardOutput());
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

Cli gui(const QStringList& args) {
  QProcess p;
  p.start(CACHELAB_GUI_BINARY, args);
  Cli r;
  if (!p.waitForFinished(120000)) return r;
  r.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
  r.err = QString::fromUtf8(p.readAllStandardError());
  return r;
}

// The look-at lines `cachelab lesson run` prints for each step ("  label ....... value"), as "label: value".
std::vector<QStringList> cliFigures(const QString& out, const nlohmann::json& l) {
  std::vector<QStringList> steps;
  for (const QString& line : out.split('\n')) {
    if (line.startsWith("Step ")) steps.emplace_back();
    if (steps.empty() || steps.size() > l["steps"].size()) continue;
    for (const auto& la : l["steps"][steps.size() - 1].value("look_at", nlohmann::json::array())) {
      const QString label = QString::fromStdString(la["label"].get<std::string>());
      if (!line.startsWith("  " + label + " .")) continue;
      QString rest = line.mid(2 + label.size() + 1);
      while (rest.startsWith('.')) rest.remove(0, 1);
      steps.back() << label + ": " + rest.trimmed();
    }
  }
  return steps;
}

// `cachelab lesson check` as the GUI's plain text shows it: "PASS claim" then "  value" lines (without "check:").
QString cliChecks(const QString& out) {
  QString text;
  for (const QString& line : out.split('\n')) {
    if (line.startsWith("  PASS  ") || line.startsWith("  FAIL  ")) {
      text += line.mid(2, 4) + " " + line.mid(8) + "\n";
    } else if (line.startsWith("        ") && !line.startsWith("        check: ")) {
      text += "  " + line.mid(8) + "\n";
    }
  }
  return text;
}

// Clicks a step's button and runs the event loop until the dock reports the step's end (or 120 s pass).
// Returns "" when it finished, else why not.
QString runStep(LessonDock* dock, int step) {
  QEventLoop loop;
  QString outcome = "timed out";
  QObject::connect(dock, &LessonDock::stepFinished, &loop, [&](int s) {
    outcome = s == step ? "" : QString("step %1 finished instead").arg(s);
    loop.quit();
  });
  QObject::connect(dock, &LessonDock::stepFailed, &loop, [&](int, const QString& m) {
    outcome = "failed: " + m;
    loop.quit();
  });
  QTimer::singleShot(120000, &loop, &QEventLoop::quit);
  dock->view()->stepButton(step)->click();
  loop.exec();
  return outcome;
}

QString plain(const QLabel* l) { return QTextDocumentFragment::fromHtml(l->text()).toPlainText(); }

TEST(LessonMode, OpensWithThePredictQuestionBeforeAnyRun) {
  MainWindow w;
  QStringList errors;
  w.errorSink = [&](const QString& t, const QString& m) { errors << t + ": " + m; };
  ASSERT_TRUE(w.openPaths({kLesson})) << errors.join("\n").toStdString();
  LessonDock* dock = w.lessonDock();
  ASSERT_NE(dock, nullptr);
  EXPECT_TRUE(dock->isVisibleTo(&w));
  LessonView* v = dock->view();
  const nlohmann::json l = lessonJson();
  EXPECT_EQ(plain(v->predictQuestion()).simplified().toStdString(), l["predict"].get<std::string>());
  EXPECT_TRUE(v->predictionEdit()->toPlainText().isEmpty());
  // Nothing has run: no figures, every claim waits, the explanation is held back.
  EXPECT_TRUE(dock->session()->runs().empty());
  EXPECT_TRUE(v->lookAtLines(0).isEmpty());
  const QStringList checks = v->checksText().split('\n', Qt::SkipEmptyParts);
  EXPECT_EQ(checks.size(), static_cast<int>(l["expect"].size()));
  for (const auto& c : checks) EXPECT_TRUE(c.startsWith("WAITING ")) << c.toStdString();
  EXPECT_FALSE(v->explanation()->isVisibleTo(v));
  EXPECT_TRUE(w.runs().empty());
  EXPECT_TRUE(errors.isEmpty()) << errors.join("\n").toStdString();
  // One button per step, each under the question, in a narrow dock and in a wide panel alike.
  for (const int width : {400, 1280}) {
    LessonView laid(dock->session());
    laid.setAttribute(Qt::WA_DontShowOnScreen);
    laid.resize(width, 800);
    laid.show();
    QApplication::processEvents();
    const int questionY = laid.predictionEdit()->mapTo(laid.widget(), QPoint()).y();
    EXPECT_GT(questionY, laid.predictQuestion()->mapTo(laid.widget(), QPoint()).y());
    for (std::size_t i = 0; i < l["steps"].size(); ++i) {
      QPushButton* b = laid.stepButton(static_cast<int>(i));
      EXPECT_TRUE(b->text().contains("[" + QString::fromStdString(l["steps"][i]["id"].get<std::string>()) + "]"));
      EXPECT_TRUE(b->toolTip().contains(QString::fromStdString(l["steps"][i]["title"].get<std::string>())));
      EXPECT_LT(b->sizeHint().width(), 300);  // a narrow dock stays narrow
      EXPECT_GT(b->mapTo(laid.widget(), QPoint()).y(), questionY) << width;
    }
  }
}

TEST(LessonMode, RunningTheStepsShowsTheCliFiguresAndChecks) {
  QTemporaryDir results;
  MainWindow w;
  QStringList errors;
  w.errorSink = [&](const QString& t, const QString& m) { errors << t + ": " + m; };
  ASSERT_TRUE(w.openLesson(kLesson));
  LessonDock* dock = w.lessonDock();
  dock->setResultsRoot(results.path());
  LessonView* v = dock->view();
  v->predictionEdit()->setPlainText("the hot master at 90%, the others at 30%");

  ASSERT_EQ(runStep(dock, 0), "") << errors.join("\n").toStdString();
  ASSERT_EQ(w.runsPanel()->runs().size(), 1u);
  EXPECT_TRUE(QString::fromStdString(w.runsPanel()->runs()[0]->dir.string()).startsWith(results.path()));
  EXPECT_EQ(w.runs().size(), 1u);  // shown in the normal views
  // Some claims need step B: they still wait.
  EXPECT_TRUE(v->checksText().contains("WAITING ")) << v->checksText().toStdString();
  EXPECT_FALSE(v->explanation()->isVisibleTo(v));

  ASSERT_EQ(runStep(dock, 1), "") << errors.join("\n").toStdString();
  ASSERT_EQ(w.runsPanel()->runs().size(), 2u);
  // Step B is shown against step A (the Compare tab's pair).
  ASSERT_EQ(w.runs().size(), 2u);
  EXPECT_EQ(w.runs()[1]->dir, w.runsPanel()->runs()[0]->dir);
  const auto& info = w.runs()[0]->info;  // run.json records the step's --set
  const nlohmann::json l = lessonJson();
  ASSERT_EQ(info.overrides.size(), l["steps"][1]["set"].size());
  EXPECT_EQ(info.overrides[0], l["steps"][1]["set"][0].get<std::string>());

  // The figures are those `cachelab lesson run 9` prints, step by step.
  const Cli run = cli({"lesson", "run", "9"});
  ASSERT_EQ(run.code, 0) << run.err.toStdString();
  const auto expected = cliFigures(run.out, l);
  ASSERT_EQ(expected.size(), 2u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(expected[static_cast<std::size_t>(i)].size(), static_cast<int>(l["steps"][i]["look_at"].size()));
    EXPECT_EQ(v->lookAtLines(i), expected[static_cast<std::size_t>(i)]) << "step " << i;
  }
  // The same run as sim's library makes for the step (its own path: load, simulate, no runner, no files).
  const lesson::StepRun lib = lesson::run_step(dock->session()->lesson().steps[0]);
  EXPECT_EQ(dock->session()->runs()[0].result.summary, lib.result.summary);
  EXPECT_EQ(dock->session()->runs()[0].result.series.rows, lib.result.series.rows);

  // Every claim, passed or failed as `cachelab lesson check 9` says, with the same values.
  const Cli check = cli({"lesson", "check", "9", "--no-timing"});
  ASSERT_EQ(check.code, 0) << check.out.toStdString();
  EXPECT_EQ(v->checksText(), cliChecks(check.out));
  EXPECT_FALSE(v->checksText().contains("WAITING"));
  // The prediction returns beside the results, and the explanation is shown.
  EXPECT_TRUE(v->findChild<QWidget*>("lessonWhy")->isVisibleTo(v));
  bool predictionShown = false;
  for (auto* label : v->findChildren<QLabel*>())
    predictionShown = predictionShown || (label->isVisibleTo(v) && plain(label).contains("the hot master at 90%"));
  EXPECT_TRUE(predictionShown);
  EXPECT_EQ(dock->session()->prediction(), "the hot master at 90%, the others at 30%");
  EXPECT_TRUE(errors.isEmpty()) << errors.join("\n").toStdString();
}

// A failing claim shows as FAIL: step A's run given as step B's makes "with an L1 the hot master falls under 30%"
// false (A's hot master is over 80% busy, a claim the lesson also checks).
TEST(LessonMode, AClaimThatDoesNotHoldShowsAsFailed) {
  LessonSession s = LessonSession::load(kLesson);
  lesson::StepRun a = lesson::run_step(s.lesson().steps[0]);
  lesson::StepRun b = a;
  b.id = s.lesson().steps[1].id;
  s.setResult(0, a);
  s.setResult(1, b);
  LessonView v(&s);
  bool sawFail = false, sawPass = false;
  for (const auto& c : s.checks()) {
    const bool expectFail = c.claim.startsWith("With an L1");
    if (c.claim.startsWith("The master holding it is over 80% busy") || expectFail) {
      EXPECT_EQ(c.state, expectFail ? CheckRow::State::Failed : CheckRow::State::Passed) << c.claim.toStdString();
      sawFail = sawFail || expectFail;
      sawPass = sawPass || !expectFail;
    }
  }
  EXPECT_TRUE(sawFail && sawPass);
  EXPECT_TRUE(v.checksText().contains("FAIL With an L1")) << v.checksText().toStdString();
  EXPECT_TRUE(v.checksText().contains("(false)"));
}

TEST(LessonMode, ABadLessonFileGivesTheLoadersError) {
  QTemporaryDir dir;
  nlohmann::json l = lessonJson();
  l["base"] = (kSource + "/scenarios/lessons/hot-key.json").toStdString();
  l["minutes"] = "ten";
  const QString bad = dir.filePath("99-bad.lesson.json");
  std::ofstream(bad.toStdString()) << l.dump(2);
  // What the CLI says of it (its last line counts the problems).
  const Cli validate = cli({"lesson", "validate", bad});
  ASSERT_EQ(validate.code, 2);
  const QString message = validate.err.section('\n', 0, -3);
  ASSERT_TRUE(message.contains("/minutes")) << validate.err.toStdString();

  MainWindow w;
  QStringList errors;
  w.errorSink = [&](const QString&, const QString& m) { errors << m; };
  EXPECT_FALSE(w.openPaths({bad}));
  ASSERT_EQ(errors.size(), 1);
  EXPECT_EQ(errors[0].trimmed(), message.trimmed());

  const Cli shot = gui({"--screenshot", dir.filePath("x.png"), "--view", "lesson", bad});
  EXPECT_EQ(shot.code, 2);
  EXPECT_TRUE(shot.err.contains("cachelab-gui: " + message.trimmed())) << shot.err.toStdString();
  EXPECT_FALSE(QFile::exists(dir.filePath("x.png")));
}

// File > Open lesson lists the catalogue's lessons (not the challenges) and opens the one picked; a prediction
// typed for a lesson returns when it is opened again in the session.
TEST(LessonMode, TheMenuListsTheLessonsAndPredictionsStayForTheSession) {
  qputenv("CACHELAB_LESSONS", (kSource + "/scenarios/lessons").toUtf8());
  MainWindow w;
  QStringList errors;
  w.errorSink = [&](const QString& t, const QString& m) { errors << t + ": " + m; };
  auto* menu = w.findChild<QMenu*>("lessonMenu");
  ASSERT_NE(menu, nullptr);
  emit menu->aboutToShow();
  qunsetenv("CACHELAB_LESSONS");
  const auto catalogue = lesson::load_catalogue((kSource + "/scenarios/lessons").toStdString());
  int lessons = 0;
  QAction* nine = nullptr;
  for (const auto& l : catalogue) lessons += !l.is_challenge;
  int listed = 0;
  for (QAction* a : menu->actions()) {
    if (a->isSeparator() || a->text().startsWith("Other")) continue;
    ++listed;
    if (a->text().startsWith("9  ")) nine = a;
    EXPECT_FALSE(a->text().startsWith("C")) << a->text().toStdString();
  }
  EXPECT_EQ(listed, lessons);
  EXPECT_GE(lessons, 15);
  ASSERT_NE(nine, nullptr);
  nine->trigger();
  ASSERT_NE(w.lessonDock(), nullptr);
  EXPECT_EQ(w.lessonDock()->session()->lesson().number, 9);
  w.lessonDock()->view()->predictionEdit()->setPlainText("half the load on one master");
  ASSERT_TRUE(w.openLesson(kSource + "/scenarios/lessons/16-zones-latency.lesson.json"));
  EXPECT_TRUE(w.lessonDock()->view()->predictionEdit()->toPlainText().isEmpty());
  ASSERT_TRUE(w.openLesson(kLesson));
  EXPECT_EQ(w.lessonDock()->view()->predictionEdit()->toPlainText(), "half the load on one master");
  // A challenge is not a lesson to run step by step.
  for (const auto& l : catalogue)
    if (l.is_challenge) {
      EXPECT_FALSE(w.openLesson(QString::fromStdString(l.path.string())));
      break;
    }
  ASSERT_EQ(errors.size(), 1);
  EXPECT_TRUE(errors[0].contains("cachelab lesson check C")) << errors[0].toStdString();
  EXPECT_EQ(w.lessonDock()->session()->lesson().number, 9);  // the open lesson stays
}

TEST(LessonMode, ScreenshotOfTheLessonViewWritesAPng) {
  EXPECT_TRUE(
      parseOptions({"cachelab-gui", "--screenshot", "x.png", "--view", "lesson"}).error.contains("lesson file"));
  EXPECT_TRUE(
      parseOptions({"cachelab-gui", "--screenshot", "x.png", "--view", "lesson", "l.lesson.json"}).error.isEmpty());
  QTemporaryDir dir;
  const QString out = dir.filePath("lesson.png");
  const Cli r = gui({"--screenshot", out, "--view", "lesson", "--size", "1280x800", kLesson});
  ASSERT_EQ(r.code, 0) << r.err.toStdString();
  const QImage img(out);
  EXPECT_EQ(img.size(), QSize(1280, 800));
  QSet<QRgb> colours;  // not blank
  for (int y = 0; y < img.height(); y += 2)
    for (int x = 0; x < img.width(); x += 2) colours.insert(img.pixel(x, y));
  EXPECT_GT(colours.size(), 8);
  // The steps `cachelab lesson run 9 --step 1 --out DIR` wrote: step A read back, step B not run yet.
  const QString runs = dir.filePath("runs");
  const Cli wrote = cli({"lesson", "run", "9", "--step", "1", "--out", runs});
  ASSERT_EQ(wrote.code, 0) << wrote.err.toStdString();
  const Cli fromDirs = gui({"--screenshot", dir.filePath("a.png"), "--view", "lesson", kLesson, runs});
  ASSERT_EQ(fromDirs.code, 0) << fromDirs.err.toStdString();
  EXPECT_EQ(QImage(dir.filePath("a.png")).size(), QSize(1280, 800));
  LessonSession s = LessonSession::load(kLesson);
  EXPECT_EQ(s.readSteps(runs), 1);
  EXPECT_TRUE(s.hasRun(0));
  EXPECT_FALSE(s.hasRun(1));
  EXPECT_EQ(s.runDir(0), QDir(runs).filePath("A"));
  const auto expected = cliFigures(wrote.out, lessonJson());
  ASSERT_EQ(expected.size(), 1u);
  QStringList shown;
  for (const auto& row : s.lookAt(0)) shown << row.label + ": " + row.value;
  EXPECT_EQ(shown, expected[0]);
  // The window opens the lesson with those runs: step A as run (its run in the Runs list), step B to run.
  MainWindow w;
  QStringList errors;
  w.errorSink = [&](const QString& t, const QString& m) { errors << t + ": " + m; };
  ASSERT_TRUE(w.openPaths({kLesson, runs})) << errors.join("\n").toStdString();
  EXPECT_TRUE(w.lessonDock()->session()->hasRun(0));
  EXPECT_FALSE(w.lessonDock()->session()->hasRun(1));
  EXPECT_EQ(w.lessonDock()->view()->lookAtLines(0), expected[0]);
  ASSERT_EQ(w.runsPanel()->runs().size(), 1u);
  EXPECT_EQ(w.runs().size(), 1u);
  // A run directory is not a lesson.
  const Cli wrong = gui({"--screenshot", out + "2", "--view", "lesson", QString(CACHELAB_FIXTURES_DIR) + "/run-small"});
  EXPECT_EQ(wrong.code, 2);
  EXPECT_TRUE(wrong.err.contains("*.lesson.json")) << wrong.err.toStdString();
}

}  // namespace
