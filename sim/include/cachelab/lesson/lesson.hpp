#pragma once
// Lessons and challenges (issue 17): declarative JSON files under scenarios/lessons/ whose claims are checks on
// run results, so that a lesson's text and the simulator's numbers cannot drift apart.
//
// A lesson (`NN-slug.lesson.json`) names a base scenario; each step is that scenario with `--set` overrides (or
// another scenario file); `expect` holds the claims, each an expression over the steps' results (lesson/expr.hpp).
// A challenge (`cN-slug.lesson.json`, "kind": "challenge") names a starting scenario that misses its SLOs, the
// knobs a participant may change (with bounds), and a reference solution; grading runs a participant's file.
// Paths in a lesson file are relative to the file's folder. docs/workshop/README.md describes the format.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/lesson/expr.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab::lesson {

struct LookAt {
  std::string label;
  Expr value;
  std::string unit;
  int decimals = -1;  // -1: digits that fit the value (format_number)
};

struct Step {
  std::string id, title;
  std::filesystem::path file;  // the scenario (the base, or the step's own file)
  std::vector<std::string> sets;
  std::vector<LookAt> look_at;
  std::string cli, gui, note;
};

struct Expectation {
  std::string claim;
  Expr check;
};

struct QA {
  std::string question, answer;
};

struct Allowed {
  std::string pointer;  // a knob (or a subtree) the participant may change
  std::optional<double> min, max;
  std::string note;
};

struct Challenge {
  std::filesystem::path start, solution;
  std::vector<Allowed> allowed;
  int max_changes = 0;  // 0: any number of the allowed knobs
  std::vector<std::string> hints;
};

struct Lesson {
  std::filesystem::path path;
  bool is_challenge = false;
  int number = 0;
  std::string title, goal, predict, explain, try_next;
  int minutes = 0;
  std::vector<std::string> concepts, syllabus;
  std::vector<Step> steps;
  std::vector<Expectation> expect;
  std::vector<QA> discuss;
  Challenge challenge;

  std::string id() const {
    std::string s = is_challenge ? "C" : "";
    s += std::to_string(number);
    return s;
  }
};

// The lesson format's declaration (the same machinery as scenarios: resolve, issues with JSON Pointers).
const schema::ObjectSpec& lesson_spec();

// Reads and validates a lesson file, and every scenario variant it names (each step's base + sets, a challenge's
// start and solution). Throws ScenarioError (file, pointer, expected, found) listing every problem.
Lesson load_lesson_file(const std::filesystem::path& path);

// Every *.lesson.json under `dir`, lessons by number then challenges by number. Throws ScenarioError on a bad
// file or two files with one id.
std::vector<Lesson> load_catalogue(const std::filesystem::path& dir);

// Where the lessons are: $CACHELAB_LESSONS, ./scenarios/lessons, or next to the executable's build tree.
std::filesystem::path find_lesson_dir(const std::string& argv0);

// --- running -------------------------------------------------------------------------------------------------

struct StepRun {
  std::string id;
  StepResult result;
  double wall_s = 0;
};

// The scenario a step runs: its file with its sets, then `extra_sets`. Throws ScenarioError on a bad variant.
// (cachelab-gui runs it in its worker thread, so its runs are those of `cachelab lesson run`.)
Scenario load_step(const Step& step, const std::vector<std::string>& extra_sets = {});
// A finished simulation of `s` as expressions see it.
StepResult make_step_result(const Scenario& s, RunOutput out);
// A step's run read back from the run directory it was written to (`cachelab lesson run N --out DIR` writes
// DIR/<step id>): the same values as the run in memory (series cells are kept as written). Throws ResultsError
// (the results reader's message) when the directory is not a run.
StepRun read_step_run(const std::string& id, const std::filesystem::path& run_dir);
// Runs the scenario of a step (load_step, then simulate).
StepRun run_step(const Step& step, const std::vector<std::string>& extra_sets = {});
// Runs a scenario file as is (a challenge's file).
StepRun run_file(const std::string& id, const std::filesystem::path& file, const std::vector<std::string>& sets = {});

struct CheckOutcome {
  const Expectation* expectation = nullptr;
  Expr::Verdict verdict;
};
std::vector<CheckOutcome> evaluate(const std::vector<Expectation>& expect, const std::vector<StepRun>& runs);
// The expectations whose every step is among `runs` (after some of a lesson's steps ran).
std::vector<Expectation> ready_expectations(const std::vector<Expectation>& expect, const std::vector<StepRun>& runs);

// One line per outcome: "PASS  claim" then the readings and the comparison, indented.
std::string format_outcome(const CheckOutcome& o);
// The lines of an outcome under its claim, unindented: "check: ...", one "REF = value" per reading, and
// "measured: a < b  (true)" when every value was defined.
std::vector<std::string> outcome_details(const CheckOutcome& o);
// A look-at line: "  label ........ 12,345 /s".
std::string format_look_at(const LookAt& l, const std::vector<StepRun>& runs, const std::string& current);
// Its value alone, as that line prints it: "12,345 /s", or "- (why)" when undefined.
std::string format_look_at_value(const LookAt& l, const std::vector<StepRun>& runs, const std::string& current);

// --- challenges ----------------------------------------------------------------------------------------------

struct Grade {
  bool pass = false;
  std::vector<std::string> changes;   // "/cluster/masters: 3 -> 4 (allowed, at most 5)"
  std::vector<std::string> problems;  // what is off, one line each
  std::vector<std::string> slo_lines;
  std::vector<CheckOutcome> outcomes;  // the challenge's extra expectations on step "P"
  StepRun run;
};

// Grades a participant's scenario file against a challenge: only allowed knobs changed (within bounds, at most
// max_changes), the challenge's SLOs (those of the start file) met, every expectation on step "P" true.
// Throws ScenarioError when the participant's file is not a valid scenario.
Grade grade(const Lesson& challenge, const std::filesystem::path& file);

// Terminal text: the lesson as a participant reads it (show), wrapped at `width` columns.
std::string format_lesson(const Lesson& l, size_t width = 100, bool answers = false);
std::string wrap(const std::string& text, size_t width, const std::string& indent);
// "cachelab run FILE --set ..." for a step, with paths as the user would type them from the working directory.
std::string reproduce_command(const Step& s, const std::string& program = "cachelab");

}  // namespace cachelab::lesson
