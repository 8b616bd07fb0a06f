#pragma once
// Lesson mode in the window (issue 18 part 5): a "Lesson" dock beside the charts holding a LessonView. A step's
// button runs that step's variant with the window's ScenarioRunner (sim's lesson::load_step, so the run is the one
// `cachelab lesson run` makes), keeps the finished output for the lesson's figures and checks, and lets the window
// open the run directory as any run: it joins the Runs list and is shown against the previous step's run.
#include <map>
#include <memory>

#include <QDockWidget>

#include "model/lesson_session.hpp"
#include "model/run_set.hpp"

namespace cachelab::gui {

class MainWindow;
class LessonView;

class LessonDock : public QDockWidget {
  Q_OBJECT
 public:
  explicit LessonDock(MainWindow* window);

  // Loads a *.lesson.json (replacing the open lesson; a prediction typed for it earlier in this session returns).
  // A bad file or a challenge: the message goes to the window's errorSink and false is returned; the open lesson
  // stays.
  bool open(const QString& path);
  // Shows the steps found under `dir` (what `cachelab lesson run N --out DIR` wrote) as run: their figures and
  // checks, and their run directories opened in the window (the Runs list). False with the reader's message.
  bool openSteps(const QString& dir);
  LessonSession* session() const { return session_.get(); }
  LessonView* view() const { return view_; }

  // Runs step `step` (0-based) as a new run. Where run directories go: `resultsRoot`, or when empty where the
  // window puts a run of the step's scenario file (ScenarioRunner::resultsRootFor).
  void runStep(int step);
  void runAll();  // each step not run yet, one after the other
  void setResultsRoot(const QString& root) { resultsRoot_ = root; }

 signals:
  void stepFinished(int step);
  void stepFailed(int step, const QString& message);

 private:
  void stepEnded(int step);

  MainWindow* window_;
  std::unique_ptr<LessonSession> session_;
  LessonView* view_ = nullptr;
  QString resultsRoot_;
  std::map<QString, QString> predictions_;  // by lesson file: reopening a lesson in this session keeps its prediction
  std::map<int, RunPtr> opened_;            // each step's run as the window opened it (the reference for the next step)
  bool runningAll_ = false;
};

}  // namespace cachelab::gui
