#pragma once
// The one place the GUI runs a scenario through sim's library (cachelab/run/runner.hpp): in a worker
// thread, reporting progress and the series so far (so charts fill in as intervals complete), cancellable,
// and writing the run directory exactly as `cachelab run` does (results/writer.hpp).
#include <atomic>
#include <functional>
#include <memory>

#include <QObject>
#include <QString>

#include "model/run_set.hpp"
#include "model/scenario_edit.hpp"

class QThread;

namespace cachelab {
struct Scenario;
struct RunOutput;
}  // namespace cachelab

namespace cachelab::gui {

class ScenarioRunner : public QObject {
  Q_OBJECT
 public:
  explicit ScenarioRunner(QObject* parent = nullptr);
  ~ScenarioRunner() override;  // cancels a running simulation and waits for its thread

  // Where a scenario's results go: <repo>/results when the file sits in a `scenarios` folder, else
  // ./results (the working directory), like `cachelab run`.
  static QString resultsRootFor(const QString& scenarioPath);

  // Starts a run; false when one is already running. `resultsRoot` empty = resultsRootFor(path).
  bool start(const QString& scenarioPath, const QString& resultsRoot = {});
  // Starts a run of an edited scenario (the knob panel): its text with the overrides, loaded as
  // `cachelab run FILE --set ...` loads it, so run.json records the file and every override.
  bool start(const RunRequest& request);
  // Starts a run of the scenario `load` returns on the worker thread (a lesson's step: sim's lesson::load_step).
  // `onOutput`, when set, is called on the worker thread with the scenario and its output once the run directory is
  // written, before finished() (the lesson panel evaluates the step's figures on them as `cachelab lesson run` does).
  using OutputHook = std::function<void(const cachelab::Scenario&, const cachelab::RunOutput&)>;
  bool start(std::function<cachelab::Scenario()> load, const QString& resultsRoot, OutputHook onOutput);
  void cancel();
  bool running() const;

 signals:
  void progress(double fraction);           // 0..1 of virtual time
  void partial(cachelab::gui::RunPtr run);  // run.json facts and the series.csv rows so far
  void finished(const QString& runDir);     // the run directory written
  void failed(const QString& message);      // scenario errors, simulation or write failures
  void cancelled();                         // stopped by cancel(); nothing is written

 private:
  bool launch(std::function<cachelab::Scenario()> load, const std::string& root, OutputHook onOutput = {});
  QThread* thread_ = nullptr;
  std::shared_ptr<std::atomic<bool>> cancel_;
};

}  // namespace cachelab::gui
