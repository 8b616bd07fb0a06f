#pragma once
// Lesson mode's state (issue 18 part 5): a lesson loaded by sim's loader, the participant's prediction, and the
// results of the steps run so far. Every figure and verdict it hands out is sim's: look-at values through
// lesson::format_look_at_value and checks through lesson::evaluate / outcome_details, the code behind
// `cachelab lesson run` and `cachelab lesson check`. No Qt widgets here, so tests read it directly.
#include <optional>
#include <string>
#include <vector>

#include <QString>
#include <QStringList>

#include "cachelab/lesson/lesson.hpp"

namespace cachelab::gui {

struct LookAtRow {
  QString label;
  QString value;  // as `cachelab lesson run` prints it ("12,345 /s", "0.370 ms", "- (why)")
};

struct CheckRow {
  enum class State { Waiting, Passed, Failed };
  QString claim;
  State state = State::Waiting;
  QStringList details;     // "check: ...", "REF = value" per reading, "measured: ..." (lesson::outcome_details)
  QStringList waitingFor;  // the step ids not run yet (State::Waiting)
};

class LessonSession {
 public:
  explicit LessonSession(cachelab::lesson::Lesson lesson);
  // Loads a *.lesson.json with sim's loader; throws cachelab::ScenarioError (file, pointer, expected, found).
  static LessonSession load(const QString& path);

  const cachelab::lesson::Lesson& lesson() const { return lesson_; }
  int stepCount() const { return static_cast<int>(lesson_.steps.size()); }
  QString heading() const;  // "Lesson 9: A hot key saturates one master; ..."

  const QString& prediction() const { return prediction_; }
  void setPrediction(const QString& text) { prediction_ = text; }

  // A step's finished run (replacing an earlier run of that step) and the run directory it was written to.
  void setResult(int step, cachelab::lesson::StepRun run, const QString& runDir = {});
  // Reads the steps found under `dir` (dir/<step id>/, as `cachelab lesson run N --out DIR` writes them) with
  // sim's lesson::read_step_run; returns how many. Throws cachelab::ResultsError for a step folder that is not a run.
  int readSteps(const QString& dir);
  bool hasRun(int step) const;
  bool allRun() const;
  QString runDir(int step) const;
  // The runs so far, in step order (what expressions read).
  const std::vector<cachelab::lesson::StepRun>& runs() const { return ordered_; }

  // The step's look-at figures over the runs so far; empty before the step has run.
  std::vector<LookAtRow> lookAt(int step) const;
  // Every claim of the lesson: passed or failed once all its steps ran, else waiting for them.
  std::vector<CheckRow> checks() const;

 private:
  cachelab::lesson::Lesson lesson_;
  QString prediction_;
  std::vector<std::optional<cachelab::lesson::StepRun>> runs_;
  std::vector<QString> dirs_;
  std::vector<cachelab::lesson::StepRun> ordered_;  // the runs of runs_, in step order
};

}  // namespace cachelab::gui
