#include "app/main_window.hpp"

#include <QAction>
#include <QApplication>
#include <QCloseEvent>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressDialog>
#include <QSettings>
#include <QStatusBar>
#include <QTabWidget>

#include "app/lesson_dock.hpp"
#include "app/lesson_menu.hpp"
#include "app/scenario_runner.hpp"
#include "app/theme.hpp"
#include "views/knobs_view.hpp"
#include "views/view_factory.hpp"
#include "widgets/runs_panel.hpp"
#include "widgets/time_chart_view.hpp"

namespace cachelab::gui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent), runner_(new ScenarioRunner(this)) {
  errorSink = [this](const QString& title, const QString& message) { QMessageBox::critical(this, title, message); };
  setWindowTitle("cachelab");
  setAcceptDrops(true);
  tabs_ = new QTabWidget(this);
  tabs_->setDocumentMode(true);
  setCentralWidget(tabs_);
  // The session's runs beside every view, so any two can be compared at any time.
  runsPanel_ = new RunsPanel(this);
  auto* dock = new QDockWidget("Runs", this);
  dock->setObjectName("runsDock");
  dock->setWidget(runsPanel_);
  addDockWidget(Qt::LeftDockWidgetArea, dock);
  connect(runsPanel_, &RunsPanel::showRequested, this, &MainWindow::showRuns);
  buildMenus();
  rebuildViews();
  QSettings s;
  if (!restoreGeometry(s.value("window/geometry").toByteArray())) resize(1280, 860);
  restoreState(s.value("window/state").toByteArray());
  statusBar()->showMessage("Open a run directory (Ctrl+O) or drop one on this window.");
}

void MainWindow::buildMenus() {
  QMenu* file = menuBar()->addMenu("&File");
  file->addAction("&Open run directory…", QKeySequence::Open, this, [this] { openDirDialog(false); });
  file->addAction("&Add run to compare…", QKeySequence("Ctrl+Shift+O"), this, [this] { openDirDialog(true); });
  file->addAction("Open &scenario…", QKeySequence("Ctrl+R"), this, [this] { openScenarioDialog(); });
  addLessonMenu(file, this);
  recentMenu_ = file->addMenu("Open &recent");
  refreshRecentMenu();
  file->addSeparator();
  file->addAction("Export chart as &PNG…", QKeySequence("Ctrl+E"), this, [this] { exportCurrent(0); });
  file->addAction("Export chart as S&VG…", QKeySequence("Ctrl+Shift+E"), this, [this] { exportCurrent(1); });
  file->addAction("Export series as &CSV…", QKeySequence("Ctrl+Shift+C"), this, [this] { exportCurrent(2); });
  file->addSeparator();
  file->addAction("&Close runs", QKeySequence::Close, this, [this] {
    runs_.clear();
    rebuildViews();
  });
  file->addAction("&Quit", QKeySequence::Quit, this, &QWidget::close);

  QMenu* view = menuBar()->addMenu("&View");
  const auto names = viewNames();
  for (int i = 0; i < names.size(); ++i)
    view->addAction(viewTitle(names[i]), QKeySequence(QString("Ctrl+%1").arg(i + 1)), this,
                    [this, i] { tabs_->setCurrentIndex(i); });
  view->addSeparator();
  view->addAction("&Reset zoom", QKeySequence("Ctrl+0"), this, [this] {
    if (auto* w = tabs_->currentWidget())
      for (auto* c : w->findChildren<TimeChartView*>()) c->resetZoom();
  });
  view->addAction("&Dark theme", QKeySequence("Ctrl+Shift+D"), this, [this] { toggleTheme(); });
  if (auto* dock = findChild<QDockWidget*>("runsDock")) view->addAction(dock->toggleViewAction());

  QMenu* help = menuBar()->addMenu("&Help");
  help->addAction("&Keyboard and mouse", QKeySequence::HelpContents, this, [this] {
    QMessageBox::information(
        this, "Keyboard and mouse",
        "Ctrl+O open run · Ctrl+Shift+O add run to compare · Ctrl+R open scenario · Ctrl+1…9 views\n"
        "Knobs (Ctrl+7): double-click a value to change it, Ctrl+Return runs it as a new run\n"
        "Animation (Ctrl+9): Space plays / pauses, Left / Right step to the previous / next event\n"
        "Ctrl+E / Ctrl+Shift+E export chart PNG / SVG · Ctrl+Shift+C export series CSV · Ctrl+0 reset zoom\n"
        "Ctrl+Shift+D dark/light theme · Ctrl+W close runs · Ctrl+Q quit\n\n"
        "On a chart: drag to zoom time, wheel to zoom, Shift+drag or middle-drag to pan, arrows pan, +/- zoom,\n"
        "0 resets; hover shows the values of the nearest interval; right-click to export. All charts of a view\n"
        "share one time axis.\n\nDrop a run directory on the window to open it (hold Ctrl to add it for comparison).");
  });
  help->addAction("&About cachelab-gui", this, [this] {
    QMessageBox::about(
        this, "About cachelab-gui",
        QString("cachelab-gui %1: draws the results of cachelab runs (results/README.md).").arg(CACHELAB_VERSION));
  });
}

void MainWindow::refreshRecentMenu() {
  recentMenu_->clear();
  const QStringList list = recent_.list();
  for (int i = 0; i < list.size(); ++i) {
    const QString path = list[i];
    QAction* a = recentMenu_->addAction(QString("&%1 %2").arg((i + 1) % 10).arg(path), this, [this, path] {
      if (!openPaths({path})) {
        recent_.remove(path);
        refreshRecentMenu();
      }
    });
    a->setToolTip(path);
  }
  if (!list.isEmpty()) recentMenu_->addSeparator();
  recentMenu_
      ->addAction("Clear list", this,
                  [this] {
                    recent_.clear();
                    refreshRecentMenu();
                  })
      ->setEnabled(!list.isEmpty());
}

void MainWindow::showError(const QString& title, const QString& message) {
  statusBar()->showMessage(title);
  if (errorSink) errorSink(title, message);
}

bool MainWindow::openPaths(const QStringList& paths, bool add) {
  if (paths.isEmpty()) return false;
  if (paths.size() <= 2 && paths.front().endsWith(".lesson.json"))  // a lesson [and the runs of `lesson run --out`]
    return openLesson(paths.front()) && (paths.size() == 1 || lesson_->openSteps(paths[1]));
  if (paths.size() == 1 && QFileInfo(paths.front()).isFile()) {  // a scenario file: run it
    runScenario(paths.front());
    return false;
  }
  RunSet loaded = add ? runs_ : RunSet{};
  for (const auto& p : paths) {
    try {
      loaded.push_back(loadRun(p));
    } catch (const std::exception& e) {  // ResultsError, or a filesystem error on an odd path
      showError("Cannot open the run", QString("Cannot open %1:\n\n%2").arg(p, QString::fromStdString(e.what())));
      return false;
    }
  }
  runs_ = std::move(loaded);
  for (const auto& r : runs_) runsPanel_->add(r);
  for (const auto& p : paths) recent_.add(p);
  refreshRecentMenu();
  rebuildViews();
  return true;
}

void MainWindow::rebuildViews() {
  const int current = tabs_->currentIndex();
  while (tabs_->count() > 0) {
    QWidget* w = tabs_->widget(0);
    tabs_->removeTab(0);
    delete w;
  }
  if (runs_.empty()) {
    auto* welcome = new QLabel(
        "<h2>cachelab</h2><p>Open a run directory (<b>Ctrl+O</b>), drop one here, or pick one from "
        "File ▸ Open recent.</p><p>A run directory is what <code>cachelab run</code> or "
        "<code>cachelab live</code> writes under <code>results/&lt;scenario&gt;/</code>.</p>",
        tabs_);
    welcome->setAlignment(Qt::AlignCenter);
    tabs_->addTab(welcome, "Welcome");
    setWindowTitle("cachelab");
    return;
  }
  for (const auto& name : viewNames()) {
    QWidget* v = createView(name, runs_, tabs_);
    if (auto* knobs = qobject_cast<KnobsView*>(v))
      connect(knobs, &KnobsView::runRequested, this, &MainWindow::runEdited);
    for (auto* c : v->findChildren<TimeChartView*>())
      connect(c, &TimeChartView::activated, this, [this](TimeChartView* self) { lastChart_ = self; });
    tabs_->addTab(v, viewTitle(name));
  }
  const int saved = QSettings().value("window/tab", 0).toInt();
  tabs_->setCurrentIndex(current > 0 ? current : saved);
  QStringList labels;
  for (std::size_t i = 0; i < runs_.size(); ++i) labels << runLabel(runs_, i);
  const auto& info = runs_.front()->info;
  setWindowTitle(QString("cachelab — %1 [%2]")
                     .arg(QString::fromStdString(info.title.empty() ? info.name : info.title), labels.join(" vs ")));
}

void MainWindow::openDirDialog(bool add) {
  const QString dir = QFileDialog::getExistingDirectory(this, add ? "Add run to compare" : "Open run directory",
                                                        QSettings().value("lastDir").toString());
  if (dir.isEmpty()) return;
  QSettings().setValue("lastDir", QFileInfo(dir).absolutePath());
  openPaths({dir}, add);
}

void MainWindow::openScenarioDialog() {
  const QString f = QFileDialog::getOpenFileName(this, "Open scenario", QSettings().value("lastDir").toString(),
                                                 "Scenarios (*.json)");
  if (!f.isEmpty()) runScenario(f);
}

void MainWindow::runScenario(const QString& path) {
  startRun(
      QFileInfo(path).fileName(), [this, path] { return runner_->start(path); }, nullptr);
}

void MainWindow::runEdited(const RunRequest& request) {
  startRun(
      QFileInfo(request.file).fileName() + " with " + QString::number(request.overrides.size()) + " overrides",
      [this, request] { return runner_->start(request); }, runs_.empty() ? nullptr : runs_.front());
}

void MainWindow::showRuns(const RunSet& runs) {
  if (runs.empty()) return;
  runs_ = runs;
  rebuildViews();
  if (runs.size() == 2) tabs_->setCurrentIndex(static_cast<int>(viewNames().indexOf("compare")));
}

void MainWindow::startRun(const QString& label, const std::function<bool()>& start, const RunPtr& reference) {
  if (runner_->running()) {
    showError("A run is in progress", "Cancel the running scenario before starting another one.");
    return;
  }
  // Non-modal progress with a cancel button: the charts stay usable and fill in as intervals complete.
  auto* dlg = new QProgressDialog("Running " + label + "…", "Cancel", 0, 1000, this);
  dlg->setWindowModality(Qt::NonModal);
  dlg->setMinimumDuration(0);
  dlg->setAttribute(Qt::WA_DeleteOnClose);
  connect(dlg, &QProgressDialog::canceled, runner_, &ScenarioRunner::cancel);
  connect(runner_, &ScenarioRunner::progress, dlg, [dlg](double f) { dlg->setValue(static_cast<int>(f * 1000)); });
  connect(runner_, &ScenarioRunner::partial, dlg, [this](const RunPtr& run) {
    runs_ = {run};
    rebuildViews();
  });
  connect(runner_, &ScenarioRunner::finished, dlg, [this, dlg, reference](const QString& dir) {
    dlg->close();
    statusBar()->showMessage("Run written to " + dir);
    if (!openPaths({dir}) || !reference) return;
    // A knob change: the new run against the one it was made from, so its effect shows at once.
    showRuns({runs_.front(), reference});
  });
  connect(runner_, &ScenarioRunner::failed, dlg, [this, dlg, label, reference](const QString& m) {
    dlg->close();
    if (reference) showRuns({reference});  // the partial charts of the failed run go; the run it came from returns
    showError("The run failed", label + "\n\n" + m);
  });
  connect(runner_, &ScenarioRunner::cancelled, dlg, [this, dlg] {
    dlg->close();
    statusBar()->showMessage("Run cancelled: nothing was written; the charts show the intervals done.");
  });
  if (!start()) {
    dlg->close();
    showError("The run did not start", label);
  }
}

bool MainWindow::openLesson(const QString& path) {
  if (!lesson_) {
    lesson_ = new LessonDock(this);
    addDockWidget(Qt::RightDockWidgetArea, lesson_);
  }
  if (!lesson_->open(path)) {
    statusBar()->showMessage("Cannot open the lesson " + path);
    return false;
  }
  statusBar()->showMessage("Lesson " + path + ": predict first, then run its steps.");
  return true;
}

void MainWindow::toggleTheme() {
  const Theme next = currentTheme() == Theme::Dark ? Theme::Light : Theme::Dark;
  applyTheme(*qApp, next);
  QSettings().setValue("theme", next == Theme::Dark ? "dark" : "light");
  rebuildViews();  // charts take their theme when built
}

TimeChartView* MainWindow::currentChart() const {
  QWidget* page = tabs_->currentWidget();
  if (!page) return nullptr;
  if (lastChart_ && page->isAncestorOf(lastChart_)) return lastChart_;
  const auto charts = page->findChildren<TimeChartView*>();
  return charts.isEmpty() ? nullptr : charts.front();
}

void MainWindow::exportCurrent(int kind) {
  TimeChartView* c = currentChart();
  if (!c) {
    showError("Nothing to export",
              "This view has no chart. Switch to Time series, Nodes or Compare, click a chart, "
              "and export again.");
    return;
  }
  if (kind == 0) c->exportPngInteractive();
  if (kind == 1) c->exportSvgInteractive();
  if (kind == 2) c->exportCsvInteractive();
}

void MainWindow::closeEvent(QCloseEvent* e) {
  QSettings s;
  s.setValue("window/geometry", saveGeometry());
  s.setValue("window/state", saveState());
  if (!runs_.empty()) s.setValue("window/tab", tabs_->currentIndex());
  e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
  if (!e->mimeData()->hasUrls()) return;
  for (const auto& u : e->mimeData()->urls())
    if (!u.isLocalFile()) return;
  e->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* e) {
  QStringList paths;
  for (const auto& u : e->mimeData()->urls()) paths << u.toLocalFile();
  // Ctrl held: add the dropped runs to the open ones, for comparison.
  const bool add = (e->modifiers() & Qt::ControlModifier) && !runs_.empty();
  e->acceptProposedAction();
  openPaths(paths, add);
}

}  // namespace cachelab::gui
