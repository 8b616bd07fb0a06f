#pragma once
// A scenario being edited in the knob panel: a base text (a scenario file, or the resolved scenario a run.json
// holds when the file is gone), the overrides the run already had, and the user's changes, all as `--set`
// assignments (`/json/pointer=VALUE`). Validation is sim's loader itself (load_scenario_text with the overrides),
// so the panel accepts and refuses exactly what `cachelab run FILE --set ...` does, with the same messages.
#include <string>
#include <vector>

#include <QString>
#include <QStringList>

#include <nlohmann/json.hpp>

#include "cachelab/results/reader.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab::gui {

// What the runner needs to run an edited scenario as a new run.
struct RunRequest {
  QString text;  // the base scenario text
  QString file;  // the name errors and run.json use (the scenario file's path)
  QStringList overrides;
  QString resultsRoot;  // where the run directory goes
  // A re-run of a calibrated run: the host calibration its first overrides came from, recorded again in run.json.
  cachelab::CalibrationUse calibration;
};

class ScenarioEdit {
 public:
  ScenarioEdit() = default;
  // `file` names the text in messages; `baseOverrides` are applied before the edits (a run's own --set list).
  ScenarioEdit(std::string text, QString file, QStringList baseOverrides, QString resultsRoot);

  // The scenario a run was made from: its scenario file (absolute, relative to the working directory, or to
  // the folder holding results/) with the run's overrides; when no such file exists, the resolved scenario of
  // run.json. `note` says which was taken (and when the file no longer gives the run's scenario).
  static ScenarioEdit fromRun(const cachelab::results::Run& run, QString* note);
  // A scenario file as it is on disk (no overrides). Throws std::runtime_error when it cannot be read.
  static ScenarioEdit fromFile(const QString& path);

  // Sets knob `pointer` to `text`, read as `--set` reads VALUE (JSON when it parses, else a string). Setting a
  // knob back to its value in the base removes the change. Returns valid().
  bool set(const QString& pointer, const QString& text);
  void resetEdits();

  bool valid() const { return error_.isEmpty(); }
  QString error() const { return error_; }  // the loader's message, one problem a line
  QStringList problemPointers() const { return problemPointers_; }
  QStringList edits() const;      // this session's changes, as --set assignments
  QStringList overrides() const;  // base overrides, then the edits
  const QStringList& baseOverrides() const { return baseOverrides_; }
  QString file() const { return file_; }
  bool empty() const { return text_.empty(); }
  // The scenario with every override applied and defaults filled in (as far as it resolves when invalid).
  const nlohmann::json& resolved() const { return resolved_; }
  // The same without this session's edits: what a knob goes back to.
  const nlohmann::json& baseResolved() const { return baseResolved_; }

  RunRequest runRequest() const;
  // The base document with every override applied (not resolved: the author's defaults stay implicit), pretty
  // printed; written atomically to `path`. False with `error` set when invalid or unwritable.
  bool save(const QString& path, QString* error) const;
  std::string editedDocument() const;

 private:
  void revalidate();

  std::string text_;
  QString file_, resultsRoot_;
  QStringList baseOverrides_;
  cachelab::CalibrationUse calibration_;  // the run's, when its overrides (the base) began with a calibration's
  std::vector<std::pair<QString, QString>> edits_;  // pointer -> text, in the order first set
  nlohmann::json resolved_, baseResolved_;
  QString error_;
  QStringList problemPointers_;
};

// The text a knob's value shows and is edited as: strings bare, everything else as compact JSON.
QString knobValueText(const nlohmann::json& v);

}  // namespace cachelab::gui
