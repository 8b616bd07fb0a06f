#include "model/scenario_edit.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include "cachelab/scenario/loader.hpp"

namespace cachelab::gui {
namespace {

using nlohmann::json;

// VALUE of `--set /ptr=VALUE` as the loader reads it (loader.cpp apply_override): JSON when it parses, else a string.
json parseSetValue(const QString& text) {
  try {
    return json::parse(text.toStdString());
  } catch (const json::exception&) {
    return json(text.toStdString());
  }
}

std::vector<std::string> toStd(const QStringList& l) {
  std::vector<std::string> out;
  for (const auto& s : l) out.push_back(s.toStdString());
  return out;
}

// The document with the overrides applied and resolved against the knob schema; issues are ignored here (the
// loader reports them), so a partly wrong scenario still shows its knobs. Null when the text is not JSON.
json resolvePartly(const std::string& text, const QString& file, const QStringList& overrides) {
  try {
    json doc = json::parse(text);
    for (const auto& o : overrides) cachelab::apply_override(doc, file.toStdString(), o.toStdString());
    std::vector<cachelab::schema::Issue> issues;
    return cachelab::schema::resolve(doc, cachelab::scenario_spec(), "", issues);
  } catch (const std::exception&) {
    return json();
  }
}

std::string readFile(const QString& path) {
  std::ifstream in(path.toStdString(), std::ios::binary);
  if (!in) throw std::runtime_error(path.toStdString() + ": cannot be read");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

QString knobValueText(const json& v) {
  if (v.is_string()) return QString::fromStdString(v.get<std::string>());
  return QString::fromStdString(v.dump());
}

ScenarioEdit::ScenarioEdit(std::string text, QString file, QStringList baseOverrides, QString resultsRoot)
    : text_(std::move(text)),
      file_(std::move(file)),
      resultsRoot_(std::move(resultsRoot)),
      baseOverrides_(std::move(baseOverrides)) {
  baseResolved_ = resolvePartly(text_, file_, baseOverrides_);
  revalidate();
}

ScenarioEdit ScenarioEdit::fromFile(const QString& path) { return ScenarioEdit(readFile(path), path, {}, {}); }

ScenarioEdit ScenarioEdit::fromRun(const cachelab::results::Run& run, QString* note) {
  const QString dir = QString::fromStdString(run.dir.string());
  const QFileInfo runDir(dir);
  // results/<name>/<run>: new runs go next to this one, as `cachelab run` would put them.
  const QDir resultsDir(runDir.absoluteFilePath() + "/../..");
  const QString resultsRoot =
      resultsDir.dirName() == "results" ? QDir::cleanPath(resultsDir.absolutePath()) : QString();

  QStringList runOverrides;
  for (const auto& o : run.info.overrides) runOverrides << QString::fromStdString(o);
  const QString recorded = QString::fromStdString(run.info.scenario_file);
  QStringList candidates;
  if (!recorded.isEmpty()) {
    if (QFileInfo(recorded).isAbsolute()) {
      candidates << recorded;
    } else {
      candidates << QDir::current().absoluteFilePath(recorded);
      // `cachelab run scenarios/x.json` from the repository root wrote results/<name>/<run>.
      if (!resultsRoot.isEmpty()) candidates << QDir(resultsRoot + "/..").absoluteFilePath(recorded);
    }
  }
  for (const auto& c : candidates) {
    if (!QFileInfo(c).isFile()) continue;
    try {
      // Named as the run named it when that still finds it from here (scenarios/x.json), else by its full path.
      const QString name = c == QDir::current().absoluteFilePath(recorded) ? recorded : QDir::cleanPath(c);
      ScenarioEdit e(readFile(c), name, runOverrides, resultsRoot);
      if (!run.info.calibration_file.empty())
        e.calibration_ = {run.info.calibration_file, run.info.calibration_overrides.size()};
      if (note) {
        *note = "Scenario file " + e.file_ + (runOverrides.isEmpty() ? "" : " with the run's overrides") + ".";
        if (e.baseResolved_ != run.info.scenario)
          *note += " The file has changed since this run: the knobs show it as it is now.";
      }
      return e;
    } catch (const std::exception&) {
      continue;  // unreadable: try the next place, then the resolved copy
    }
  }
  if (note)
    *note = (recorded.isEmpty() ? QString("run.json names no scenario file")
                                : "The scenario file " + recorded + " was not found") +
            ": the knobs start from the resolved scenario in run.json.";
  return ScenarioEdit(run.info.scenario.dump(2), QDir(dir).absoluteFilePath("run.json"), {}, resultsRoot);
}

bool ScenarioEdit::set(const QString& pointer, const QString& text) {
  const json value = parseSetValue(text);
  std::erase_if(edits_, [&](const auto& e) { return e.first == pointer; });
  bool same = false;
  try {
    const json::json_pointer p(pointer.toStdString());
    same = baseResolved_.contains(p) && baseResolved_.at(p) == value;
  } catch (const json::exception&) {}
  if (!same) edits_.emplace_back(pointer, text);
  revalidate();
  return valid();
}

void ScenarioEdit::resetEdits() {
  edits_.clear();
  revalidate();
}

QStringList ScenarioEdit::edits() const {
  QStringList out;
  for (const auto& [p, t] : edits_) out << p + "=" + t;
  return out;
}

QStringList ScenarioEdit::overrides() const { return baseOverrides_ + edits(); }

void ScenarioEdit::revalidate() {
  error_.clear();
  problemPointers_.clear();
  const QStringList all = overrides();
  try {
    cachelab::load_scenario_text(text_, file_.toStdString(), toStd(all));
  } catch (const cachelab::ScenarioError& e) {
    error_ = QString::fromStdString(e.what());
    for (const auto& is : e.issues()) problemPointers_ << QString::fromStdString(is.pointer);
  } catch (const std::exception& e) {  // anything else the loader throws: shown, never a crash
    error_ = file_ + ": " + QString::fromStdString(e.what());
  }
  json r = resolvePartly(text_, file_, all);
  if (!r.is_null())
    resolved_ = std::move(r);
  else if (resolved_.is_null())
    resolved_ = baseResolved_;
}

RunRequest ScenarioEdit::runRequest() const {
  return RunRequest{QString::fromStdString(text_), file_, overrides(), resultsRoot_, calibration_};
}

std::string ScenarioEdit::editedDocument() const {
  json doc = json::parse(text_);
  for (const auto& o : overrides()) cachelab::apply_override(doc, file_.toStdString(), o.toStdString());
  return doc.dump(2) + "\n";
}

bool ScenarioEdit::save(const QString& path, QString* error) const {
  if (!valid()) {
    if (error) *error = "The scenario has problems; fix them before saving:\n\n" + error_;
    return false;
  }
  QSaveFile f(path);  // atomic: a failed write leaves any earlier file as it was
  if (f.open(QIODevice::WriteOnly | QIODevice::Text)) {
    f.write(QByteArray::fromStdString(editedDocument()));
    if (f.commit()) return true;
  }
  if (error) *error = "Could not write " + path + ": " + f.errorString();
  return false;
}

}  // namespace cachelab::gui
