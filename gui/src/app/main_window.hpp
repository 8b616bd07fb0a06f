#pragma once
// The dashboard window: one tab per view of the open runs, menus with keyboard shortcuts, recent files,
// drag and drop of run directories, window state kept in QSettings, and a message (never a crash) when a
// results directory is missing or malformed.
#include <functional>

#include <QMainWindow>
#include <QPointer>

#include "app/recent_files.hpp"
#include "model/run_set.hpp"

class QTabWidget;
class QMenu;

namespace cachelab::gui {

class TimeChartView;
class ScenarioRunner;
class RunsPanel;
class LessonDock;
struct RunRequest;

class MainWindow : public QMainWindow {
  Q_OBJECT
 public:
  explicit MainWindow(QWidget* parent = nullptr);

  // Opens run directories (replacing the open runs, or added to them for comparison), or runs one scenario
  // file (returns false at once; the run directory opens when the run ends), or opens a lesson (openLesson),
  // optionally with the folder `cachelab lesson run N --out DIR` wrote. On a problem shows the error
  // through `errorSink` and returns false; the open runs stay as they were.
  bool openPaths(const QStringList& paths, bool add = false);
  const RunSet& runs() const { return runs_; }
  QTabWidget* tabs() const { return tabs_; }
  ScenarioRunner* runner() const { return runner_; }
  RunsPanel* runsPanel() const { return runsPanel_; }
  // Shows `runs` (one, or a primary and a reference to compare); two runs open the Compare tab.
  void showRuns(const RunSet& runs);
  // Runs an edited scenario from the knob panel; when it ends the new run is shown against the run it was made from.
  void runEdited(const RunRequest& request);
  // Runs what `start` starts on runner() with a progress dialog; when it ends its run directory is opened (and shown
  // against `reference` when given). The knob panel and lesson mode use it.
  void startRun(const QString& label, const std::function<bool()>& start, const RunPtr& reference);
  // Lesson mode: opens a *.lesson.json in the Lesson dock (false, with the loader's message, on a bad file).
  bool openLesson(const QString& path);
  LessonDock* lessonDock() const { return lesson_; }

  // How errors reach the user; a modal QMessageBox by default, replaced by tests.
  std::function<void(const QString& title, const QString& message)> errorSink;

 protected:
  void closeEvent(QCloseEvent* e) override;
  void dragEnterEvent(QDragEnterEvent* e) override;
  void dropEvent(QDropEvent* e) override;

 private:
  void buildMenus();
  void rebuildViews();
  void refreshRecentMenu();
  void showError(const QString& title, const QString& message);
  void openDirDialog(bool add);
  void openScenarioDialog();
  void runScenario(const QString& path);
  void toggleTheme();
  TimeChartView* currentChart() const;
  void exportCurrent(int kind);  // 0 PNG, 1 SVG, 2 CSV

  RunSet runs_;
  QTabWidget* tabs_ = nullptr;
  QMenu* recentMenu_ = nullptr;
  RecentFiles recent_;
  QPointer<TimeChartView> lastChart_;
  ScenarioRunner* runner_ = nullptr;
  RunsPanel* runsPanel_ = nullptr;
  LessonDock* lesson_ = nullptr;
};

}  // namespace cachelab::gui
