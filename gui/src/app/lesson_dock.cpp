#include "app/lesson_dock.hpp"

#include <optional>

#include <QFileInfo>

#include "app/main_window.hpp"
#include "app/scenario_runner.hpp"
#include "cachelab/run/runner.hpp"
#include "views/lesson_view.hpp"
#include "widgets/runs_panel.hpp"

namespace cachelab::gui {

namespace lesson = cachelab::lesson;

namespace {
// One lesson file, however its path was spelled (the menu's catalogue path, a command-line argument).
QString key(const LessonSession& s) {
  return QFileInfo(QString::fromStdString(s.lesson().path.string())).canonicalFilePath();
}
}  // namespace

LessonDock::LessonDock(MainWindow* window) : QDockWidget("Lesson", window), window_(window) {
  setObjectName("lessonDock");
  setMinimumWidth(380);
}

bool LessonDock::open(const QString& path) {
  try {
    auto session = std::make_unique<LessonSession>(LessonSession::load(path));
    if (session->lesson().is_challenge) {
      if (window_->errorSink)
        window_->errorSink("Not a lesson", path +
                                               " is a challenge: grade a scenario file with `cachelab lesson check " +
                                               QString::fromStdString(session->lesson().id()) + " FILE`.");
      return false;
    }
    if (window_->runner()->running()) {
      if (window_->errorSink) window_->errorSink("A run is in progress", "Wait for it to end, then open the lesson.");
      return false;
    }
    if (session_) predictions_[key(*session_)] = session_->prediction();
    if (auto it = predictions_.find(key(*session)); it != predictions_.end()) session->setPrediction(it->second);
    delete view_;
    session_ = std::move(session);
    opened_.clear();
    runningAll_ = false;
    view_ = new LessonView(session_.get(), this);
    connect(view_, &LessonView::runStepRequested, this, &LessonDock::runStep);
    connect(view_, &LessonView::runAllRequested, this, &LessonDock::runAll);
    setWidget(view_);
    setWindowTitle("Lesson " + QString::fromStdString(session_->lesson().id()));
    show();
    raise();
    return true;
  } catch (const std::exception& e) {  // ScenarioError: file, JSON pointer, expected, found (every problem)
    if (window_->errorSink) window_->errorSink("Cannot open the lesson", QString::fromStdString(e.what()));
    return false;
  }
}

bool LessonDock::openSteps(const QString& dir) {
  if (!session_) return false;
  try {
    session_->readSteps(dir);
  } catch (const std::exception& e) {  // ResultsError: file, line or JSON path, expected, found
    if (window_->errorSink) window_->errorSink("Cannot read the lesson's runs", QString::fromStdString(e.what()));
    view_->refresh();
    return false;
  }
  for (int i = 0; i < session_->stepCount(); ++i) {
    if (!session_->hasRun(i) || !window_->openPaths({session_->runDir(i)})) continue;
    for (const auto& r : window_->runsPanel()->runs())
      if (QString::fromStdString(r->dir.string()) == session_->runDir(i)) opened_[i] = r;
  }
  view_->refresh();
  return true;
}

void LessonDock::runAll() {
  if (!session_) return;
  for (int i = 0; i < session_->stepCount(); ++i)
    if (!session_->hasRun(i)) {
      runningAll_ = true;
      runStep(i);
      return;
    }
  runningAll_ = false;
}

void LessonDock::runStep(int step) {
  if (!session_ || step < 0 || step >= session_->stepCount()) return;
  ScenarioRunner* runner = window_->runner();
  if (runner->running()) {
    runningAll_ = false;
    if (window_->errorSink)
      window_->errorSink("A run is in progress", "Cancel the running scenario before starting another one.");
    return;
  }
  const lesson::Step s = session_->lesson().steps[static_cast<std::size_t>(step)];
  // The finished output, kept by the worker thread before it reports `finished` (which orders the two).
  auto output = std::make_shared<std::optional<lesson::StepRun>>();
  auto load = [s] { return lesson::load_step(s); };
  auto keep = [output, id = s.id](const cachelab::Scenario& sc, const cachelab::RunOutput& out) {
    lesson::StepRun r;
    r.id = id;
    r.result = lesson::make_step_result(sc, out);
    r.wall_s = out.wall_s;
    *output = std::move(r);
  };
  const QString root =
      resultsRoot_.isEmpty() ? ScenarioRunner::resultsRootFor(QString::fromStdString(s.file.string())) : resultsRoot_;
  RunPtr reference;  // the nearest earlier step that ran: the new run is compared with it
  for (int i = step - 1; i >= 0 && !reference; --i)
    if (auto it = opened_.find(i); it != opened_.end()) reference = it->second;
  const QString label = QString("lesson %1 step %2 [%3]")
                            .arg(QString::fromStdString(session_->lesson().id()))
                            .arg(step + 1)
                            .arg(QString::fromStdString(s.id));
  view_->setRunning(step);
  // Connected after the window's own handlers (startRun), so the window has opened the run directory when
  // these run; `done` ends them after one run.
  bool started = false;
  window_->startRun(
      label, [&] { return started = runner->start(load, root, keep); }, reference);
  if (!started) {  // the window said why

    runningAll_ = false;
    view_->setRunning(-1);
    return;
  }
  auto* done = new QObject(this);
  const auto* forSession = session_.get();
  connect(runner, &ScenarioRunner::finished, done, [this, done, step, output, forSession](const QString& dir) {
    done->deleteLater();
    if (session_.get() != forSession) return;  // another lesson was opened meanwhile
    if (*output) session_->setResult(step, std::move(**output), dir);
    for (const auto& r : window_->runsPanel()->runs())
      if (QString::fromStdString(r->dir.string()) == dir) opened_[step] = r;
    stepEnded(step);
    emit stepFinished(step);
    if (runningAll_) runAll();
  });
  connect(runner, &ScenarioRunner::failed, done, [this, done, step, forSession](const QString& m) {
    done->deleteLater();
    runningAll_ = false;
    if (session_.get() == forSession) stepEnded(step);
    emit stepFailed(step, m);
  });
  connect(runner, &ScenarioRunner::cancelled, done, [this, done, step, forSession] {
    done->deleteLater();
    runningAll_ = false;
    if (session_.get() == forSession) stepEnded(step);
    emit stepFailed(step, "cancelled");
  });
}

void LessonDock::stepEnded(int /*step*/) {
  view_->setRunning(-1);  // refreshes the figures and the checks
}

}  // namespace cachelab::gui
