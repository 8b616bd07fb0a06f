#include "app/scenario_runner.hpp"

#include <chrono>
#include <filesystem>

#include <QDir>
#include <QFileInfo>
#include <QThread>

#include "cachelab/results/reader.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/preflight.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

namespace cachelab::gui {
namespace {

// Forwards sim's callbacks to the runner's signals (queued to the GUI thread by Qt). The partial series goes
// through the same CSV text and reader as a finished run, so the GUI draws exactly what the file will hold.
class Observer : public cachelab::RunObserver {
 public:
  Observer(ScenarioRunner* runner, const cachelab::Scenario& s, std::shared_ptr<std::atomic<bool>> cancel)
      : runner_(runner), cancel_(std::move(cancel)) {
    info_.mode = "sim";
    info_.seed = s.seed;
    info_.scenario_file = s.file;
    info_.overrides = s.overrides;
    info_.calibration_overrides = s.calibration_overrides();  // as run.json will say
    if (!info_.calibration_overrides.empty()) info_.calibration_file = s.calibration.file;
    info_.scenario = s.resolved;
    info_.name = s.name;
    info_.title = s.title;
    info_.description = s.description;
  }
  void on_progress(double fraction, uint64_t) override { emit runner_->progress(fraction); }
  void on_interval(const cachelab::SeriesTable& so_far) override {
    // At most a few redraws a second: each one rebuilds the charts.
    const auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(400)) return;
    last_ = now;
    auto run = std::make_shared<cachelab::results::Run>();
    run->info = info_;
    run->summary.mode = "sim";
    run->series = cachelab::results::parse_series(cachelab::format_series_csv(so_far), "series so far");
    emit runner_->partial(run);
  }
  bool cancelled() override { return cancel_->load(); }

 private:
  ScenarioRunner* runner_;
  std::shared_ptr<std::atomic<bool>> cancel_;
  cachelab::results::RunInfo info_;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace

ScenarioRunner::ScenarioRunner(QObject* parent) : QObject(parent) {
  qRegisterMetaType<RunPtr>("cachelab::gui::RunPtr");
}

ScenarioRunner::~ScenarioRunner() {
  cancel();
  if (thread_) {
    thread_->wait();
    delete thread_;  // QThread::create gives it no parent (LeakSanitizer found it under make sanitize-full)
  }
}

QString ScenarioRunner::resultsRootFor(const QString& scenarioPath) {
  const QDir dir = QFileInfo(scenarioPath).absoluteDir();
  if (dir.dirName() == "scenarios") return QDir(dir.absolutePath() + "/..").absoluteFilePath("results");
  return QDir::current().absoluteFilePath("results");
}

bool ScenarioRunner::running() const { return thread_ && thread_->isRunning(); }

void ScenarioRunner::cancel() {
  if (cancel_) cancel_->store(true);
}

bool ScenarioRunner::start(const QString& scenarioPath, const QString& resultsRoot) {
  const std::string path = scenarioPath.toStdString();
  const std::string root = (resultsRoot.isEmpty() ? resultsRootFor(scenarioPath) : resultsRoot).toStdString();
  return launch([path] { return cachelab::load_scenario_file(path); }, root);
}

bool ScenarioRunner::start(const RunRequest& request) {
  const std::string text = request.text.toStdString(), file = request.file.toStdString();
  std::vector<std::string> overrides;
  for (const auto& o : request.overrides) overrides.push_back(o.toStdString());
  const QString root = request.resultsRoot.isEmpty() ? resultsRootFor(request.file) : request.resultsRoot;
  const cachelab::CalibrationUse calibration = request.calibration;
  return launch(
      [text, file, overrides, calibration] {
        cachelab::Scenario s = cachelab::load_scenario_text(text, file, overrides);
        s.calibration = calibration;
        return s;
      },
      root.toStdString());
}

bool ScenarioRunner::start(std::function<cachelab::Scenario()> load, const QString& resultsRoot, OutputHook onOutput) {
  return launch(std::move(load), resultsRoot.toStdString(), std::move(onOutput));
}

bool ScenarioRunner::launch(std::function<cachelab::Scenario()> load, const std::string& root, OutputHook onOutput) {
  if (running()) return false;
  if (thread_) {
    thread_->wait();
    delete thread_;
  }
  cancel_ = std::make_shared<std::atomic<bool>>(false);
  thread_ = QThread::create([this, load = std::move(load), root, cancel = cancel_, onOutput = std::move(onOutput)] {
    try {
      const cachelab::Scenario s = load();
      // As `cachelab run` does (issue 21), before anything is simulated: refuse a run beyond the machine with the
      // numbers, and reserve the run directory, so a taken or unwritable location fails now and not after the run.
      const cachelab::RunEstimate estimate = cachelab::estimate_run(s);
      if (const std::string why = cachelab::refuse_run(estimate, cachelab::physical_memory_bytes()); !why.empty()) {
        emit failed(QString::fromStdString(s.file + ": this run needs " + why + "\nnothing was run"));
        return;
      }
      // The directories the reservation creates (results/, results/<name>/) go again if the run ends with nothing
      // written: a cancelled run leaves no trace.
      std::filesystem::path created = std::filesystem::path(root) / s.name;
      while (created.has_parent_path() && !std::filesystem::exists(created.parent_path()))
        created = created.parent_path();
      const bool made_parents = !std::filesystem::exists(created);
      const std::filesystem::path dir = cachelab::default_run_dir(root, s.name, "sim");
      const auto release = [&] {
        cachelab::release_run_dir(dir);  // removed only while still empty
        if (!made_parents) return;
        std::error_code ec;  // each removed only if empty: another run may have written beside ours
        for (auto p = dir.parent_path(); !ec && p.string().size() >= created.string().size(); p = p.parent_path())
          std::filesystem::remove(p, ec);
      };
      try {
        const std::string started = cachelab::utc_now_iso();
        Observer observer(this, s, cancel);
        const cachelab::RunOutput out = cachelab::simulate(s, &observer);
        if (out.cancelled || cancel->load()) {
          release();
          emit cancelled();
          return;
        }
        cachelab::write_run_dir(dir, cachelab::make_run_json(s, out, "sim", started), out.summary, out.series,
                                out.events);
        if (onOutput) onOutput(s, out);
      } catch (...) {
        release();
        throw;
      }
      emit finished(QString::fromStdString(dir.string()));
    } catch (const std::exception& e) {  // ScenarioError lists every problem of the file
      emit failed(QString::fromStdString(e.what()));
    }
  });
  thread_->start();
  return true;
}

}  // namespace cachelab::gui
