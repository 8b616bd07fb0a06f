#include "model/lesson_session.hpp"

#include <algorithm>

#include <QDir>
#include <QFileInfo>

namespace cachelab::gui {

namespace lesson = cachelab::lesson;

LessonSession::LessonSession(lesson::Lesson l)
    : lesson_(std::move(l)), runs_(lesson_.steps.size()), dirs_(lesson_.steps.size()) {}

LessonSession LessonSession::load(const QString& path) {
  return LessonSession(lesson::load_lesson_file(path.toStdString()));
}

QString LessonSession::heading() const {
  return QString::fromStdString((lesson_.is_challenge ? "Challenge " : "Lesson ") + lesson_.id() + ": " +
                                lesson_.title);
}

void LessonSession::setResult(int step, lesson::StepRun run, const QString& runDir) {
  const auto i = static_cast<std::size_t>(step);
  runs_.at(i) = std::move(run);
  dirs_.at(i) = runDir;
  ordered_.clear();
  for (const auto& r : runs_)
    if (r) ordered_.push_back(*r);
}

int LessonSession::readSteps(const QString& dir) {
  int found = 0;
  for (int i = 0; i < stepCount(); ++i) {
    const std::string id = lesson_.steps[static_cast<std::size_t>(i)].id;
    const QString stepDir = QDir(dir).filePath(QString::fromStdString(id));
    if (!QFileInfo(stepDir).isDir()) continue;
    setResult(i, lesson::read_step_run(id, stepDir.toStdString()), stepDir);
    ++found;
  }
  return found;
}

bool LessonSession::hasRun(int step) const {
  return step >= 0 && step < stepCount() && runs_[static_cast<std::size_t>(step)].has_value();
}

bool LessonSession::allRun() const {
  return !runs_.empty() && std::all_of(runs_.begin(), runs_.end(), [](const auto& r) { return r.has_value(); });
}

QString LessonSession::runDir(int step) const { return hasRun(step) ? dirs_[static_cast<std::size_t>(step)] : ""; }

std::vector<LookAtRow> LessonSession::lookAt(int step) const {
  std::vector<LookAtRow> rows;
  if (!hasRun(step)) return rows;
  const auto& s = lesson_.steps[static_cast<std::size_t>(step)];
  const auto& all = ordered_;
  for (const auto& la : s.look_at)
    rows.push_back(
        {QString::fromStdString(la.label), QString::fromStdString(lesson::format_look_at_value(la, all, s.id))});
  return rows;
}

std::vector<CheckRow> LessonSession::checks() const {
  const auto& all = ordered_;
  std::vector<CheckRow> rows;
  for (const auto& e : lesson_.expect) {
    CheckRow row;
    row.claim = QString::fromStdString(e.claim);
    const std::vector<lesson::Expectation> ready = lesson::ready_expectations({e}, all);
    if (ready.empty()) {
      for (const auto& id : e.check.steps()) {
        const bool ran = std::any_of(all.begin(), all.end(), [&](const auto& r) { return r.id == id; });
        if (!ran && !row.waitingFor.contains(QString::fromStdString(id))) row.waitingFor << QString::fromStdString(id);
      }
    } else {
      const auto outcome = lesson::evaluate(ready, all).front();  // points into `ready`: read it here
      row.state = outcome.verdict.pass ? CheckRow::State::Passed : CheckRow::State::Failed;
      for (const auto& line : lesson::outcome_details(outcome)) row.details << QString::fromStdString(line);
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace cachelab::gui
