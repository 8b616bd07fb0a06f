// Lessons and challenges (issue 17): the expression language, the lesson format's validation, grading, and the
// shipped catalogue. `cachelab lesson check --all` itself runs as its own CTest (LessonCheckAll, tests/CMakeLists.txt).
#include <gtest/gtest.h>

#include "cachelab/lesson/lesson.hpp"
#include "cachelab/results/reader.hpp"
#include "test_util.hpp"

namespace cachelab {
namespace {

using lesson::Expr;
using lesson::StepResult;
using nlohmann::json;

StepResult fake_step(json summary) {
  StepResult r;
  r.summary = std::move(summary);
  r.knobs = {{"cluster", {{"node_timeout_ms", 5000}}}};
  r.series.columns = {"t_s", "warmup", "hit_ratio", "node.role"};
  r.series.rows = {{"1", "1", "0.1", "master"}, {"2", "0", "0.5", "master"}, {"3", "0", "0.9", "down"}};
  r.events = {
      {{"t_s", 1.0}, {"type", "promoted"}}, {{"t_s", 2.0}, {"type", "fail"}}, {{"t_s", 3.0}, {"type", "promoted"}}};
  return r;
}

TEST(LessonExpr, ComparesValuesAcrossSteps) {
  const StepResult a = fake_step({{"origin", {{"requests", 1000}}}, {"failovers", json::array()}});
  const StepResult b = fake_step({{"origin", {{"requests", 400}}}, {"ok", true}, {"gone", nullptr}});
  const std::map<std::string, const StepResult*> steps{{"A", &a}, {"B", &b}};

  auto v = Expr::parse("B:/origin/requests < 0.6 * A:/origin/requests").check(steps);
  EXPECT_TRUE(v.pass);
  ASSERT_EQ(v.sides.size(), 2u);
  EXPECT_DOUBLE_EQ(v.sides[1], 600);
  EXPECT_EQ(v.readings.size(), 2u);

  EXPECT_FALSE(Expr::parse("B:/origin/requests > 0.6 * A:/origin/requests").check(steps).pass);
  EXPECT_TRUE(Expr::parse("300 < B:/origin/requests <= 400").check(steps).pass);  // a chain checks each pair
  EXPECT_FALSE(Expr::parse("300 < B:/origin/requests < 400").check(steps).pass);
  EXPECT_TRUE(Expr::parse("(A:/origin/requests - B:/origin/requests) / 2 == 300").check(steps).pass);
  EXPECT_TRUE(Expr::parse("B:/ok == 1").check(steps).pass);  // booleans are 1/0
  EXPECT_TRUE(Expr::parse("len(A:/failovers) == 0").check(steps).pass);
  EXPECT_TRUE(Expr::parse("A.knob:/cluster/node_timeout_ms / 1000 == 5").check(steps).pass);
  EXPECT_TRUE(Expr::parse("exists(B:/gone) == 0 == exists(B:/nothing)").check(steps).pass);
  EXPECT_TRUE(Expr::parse("exists(B:/ok) == 1").check(steps).pass);
}

TEST(LessonExpr, NullOrMissingValuesMakeTheCheckFailAndSayWhy) {
  const StepResult a = fake_step({{"failovers", json::array({{{"t_promoted_s", nullptr}}})}});
  const std::map<std::string, const StepResult*> steps{{"A", &a}};
  auto v = Expr::parse("A:/failovers/0/t_promoted_s < 10").check(steps);
  EXPECT_FALSE(v.pass);
  EXPECT_TRUE(v.undefined);
  ASSERT_EQ(v.readings.size(), 1u);
  EXPECT_NE(v.readings[0].why_missing.find("null"), std::string::npos);
  v = Expr::parse("A:/no/such/field > 0").check(steps);
  EXPECT_FALSE(v.pass);
  EXPECT_NE(v.readings[0].why_missing.find("no such field"), std::string::npos);
  EXPECT_FALSE(Expr::parse("C:/x > 0").check(steps).pass);  // a step that did not run
}

TEST(LessonExpr, SeriesAggregatesSkipTheWarmUpUnlessAWindowIsGiven) {
  const StepResult a = fake_step(json::object());
  const std::map<std::string, const StepResult*> steps{{"A", &a}};
  EXPECT_DOUBLE_EQ(*Expr::parse("mean(A.series:hit_ratio)").value(steps, ""), 0.7);
  EXPECT_DOUBLE_EQ(*Expr::parse("min(A.series:hit_ratio)").value(steps, ""), 0.5);
  EXPECT_DOUBLE_EQ(*Expr::parse("max(A.series:hit_ratio, 0, 1)").value(steps, ""), 0.1);  // rows ending in (0, 1]
  EXPECT_DOUBLE_EQ(*Expr::parse("sum(A.series:hit_ratio, 0, 3)").value(steps, ""), 1.5);
  EXPECT_DOUBLE_EQ(*Expr::parse("count(A.events:promoted)").value(steps, ""), 2);
  EXPECT_FALSE(Expr::parse("max(A.series:no_column)").value(steps, "").has_value());
  EXPECT_FALSE(Expr::parse("max(A.series:node.role)").value(steps, "").has_value());  // text cells are skipped
  // A bare pointer refers to the current step (look_at lines).
  const StepResult b = fake_step({{"x", 4}});
  const std::map<std::string, const StepResult*> both{{"A", &a}, {"B", &b}};
  EXPECT_DOUBLE_EQ(*Expr::parse("/x * 2").value(both, "B"), 8);
}

TEST(LessonExpr, SyntaxErrorsNameThePosition) {
  for (const char* bad : {"A:/x <", "A:/x < * 2", "max(A:/x)", "foo(A.series:x)", "A/x > 1", "A:/x > 1)", ""}) {
    try {
      Expr::parse(bad);
      ADD_FAILURE() << "parsed: " << bad;
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find("at character"), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(Expr::parse("A:/x / 2 > 1").steps(), std::vector<std::string>{"A"});
  EXPECT_FALSE(Expr::parse("A:/x / 2").is_check());
}

TEST(LessonFormat, NumbersForPeople) {
  EXPECT_EQ(lesson::format_number(4596256), "4,596,256");
  EXPECT_EQ(lesson::format_number(-1234567.0), "-1,234,567");
  EXPECT_EQ(lesson::format_number(0.78491234), "0.7849");
  EXPECT_EQ(lesson::format_number(51.52238805970149), "51.52");
  EXPECT_EQ(lesson::format_number(1.566), "1.566");
  EXPECT_EQ(lesson::format_number(2.5), "2.5");
  EXPECT_EQ(lesson::format_number(1169238.4), "1,169,238");
  EXPECT_EQ(lesson::format_number(0.0001234), "0.000123");
  EXPECT_EQ(lesson::format_number(-0.00001, 2), "0.00");
  EXPECT_EQ(lesson::format_number(12.3456, 1), "12.3");
  EXPECT_EQ(lesson::format_number(1000.0, 2), "1,000.00");
}

// The pieces cachelab-gui shows one by one are the CLI's lines cut apart: a look-at's value is what its dotted line
// ends with, an outcome's details are its indented lines, and only claims whose steps all ran are ready.
TEST(LessonFormat, PiecesForTheGuiAreTheCliLinesCutApart) {
  std::vector<lesson::StepRun> runs(1);
  runs[0].id = "A";
  runs[0].result = fake_step({{"origin", {{"requests", 12345.6}}}, {"gone", nullptr}});
  lesson::LookAt la{"database requests", Expr::parse("/origin/requests / 10"), "/s", 1};
  EXPECT_EQ(lesson::format_look_at_value(la, runs, "A"), "1,234.6 /s");
  EXPECT_EQ(lesson::format_look_at(la, runs, "A"), "  database requests ................................ 1,234.6 /s\n");
  lesson::LookAt pct{"share", Expr::parse("/origin/requests / 1000"), "%", 0};
  EXPECT_EQ(lesson::format_look_at_value(pct, runs, "A"), "12%");
  lesson::LookAt missing{"gone", Expr::parse("/gone"), "", -1};
  EXPECT_EQ(lesson::format_look_at_value(missing, runs, "A").rfind("- (", 0), 0u);

  const std::vector<lesson::Expectation> expect = {{"fewer than 20,000", Expr::parse("A:/origin/requests < 20000")},
                                                   {"B ran", Expr::parse("B:/origin/requests > 0")}};
  const auto ready = lesson::ready_expectations(expect, runs);
  ASSERT_EQ(ready.size(), 1u);
  EXPECT_EQ(ready[0].claim, "fewer than 20,000");
  const auto outcomes = lesson::evaluate(ready, runs);
  const auto details = lesson::outcome_details(outcomes[0]);
  ASSERT_EQ(details.size(), 3u);
  EXPECT_EQ(details[0], "check: A:/origin/requests < 20000");
  EXPECT_EQ(details[1], "A:/origin/requests = 12,346");
  EXPECT_EQ(details[2], "measured: 12,346 < 20,000  (true)");
  EXPECT_EQ(lesson::format_outcome(outcomes[0]), "  PASS  fewer than 20,000\n        " + details[0] + "\n        " +
                                                     details[1] + "\n        " + details[2] + "\n");
}

// The shipped catalogue: every lesson and challenge file is valid (and with it every scenario variant it runs).
TEST(Lessons, EveryShippedLessonValidates) {
  const auto all = lesson::load_catalogue(test::source_dir() + "/scenarios/lessons");
  int lessons = 0, challenges = 0;
  for (const auto& l : all) {
    (l.is_challenge ? challenges : lessons)++;
    EXPECT_FALSE(l.concepts.empty()) << l.path;
    EXPECT_FALSE(l.syllabus.empty()) << l.path;
    EXPECT_FALSE(l.predict.empty()) << l.path;
    if (l.is_challenge) {
      EXPECT_FALSE(l.challenge.allowed.empty()) << l.path;
      EXPECT_TRUE(std::filesystem::exists(l.challenge.solution)) << l.path;
    } else {
      EXPECT_GE(l.expect.size(), 3u) << l.path;
      EXPECT_FALSE(l.discuss.empty()) << l.path;
      for (const auto& s : l.steps) EXPECT_FALSE(s.look_at.empty()) << l.path << " step " << s.id;
    }
  }
  EXPECT_GE(lessons, 15);
  EXPECT_GE(challenges, 5);
}

std::string good_lesson(const std::string& extra_step = "") {
  return std::string(R"({
  "cachelab_lesson": 1, "number": 1, "title": "t", "goal": "g", "minutes": 5, "concepts": ["c"],
  "predict": "p", "base": "base.json", "explain": "e", "try_next": "n",
  "steps": [ { "id": "A", "title": "a", "set": ["/duration_s=2"],
               "look_at": [ { "label": "hit ratio", "value": "/hit_ratio", "decimals": 3 } ] } )") +
         extra_step + R"( ],
  "expect": [ { "claim": "something is read", "check": "A:/requests > 0" } ]
})";
}

const char* kBase = R"({ "cachelab": 1, "name": "b", "duration_s": 3, "seed": 2,
  "workload": { "keys": 100, "arrival": { "rate_per_s": 200 } } })";

TEST(Lessons, ABadLessonNamesFilePointerExpectedAndFound) {
  const auto dir = test::temp_dir("lesson-bad");
  test::write_file(dir / "base.json", kBase);
  EXPECT_NO_THROW(lesson::load_lesson_file(test::write_file(dir / "ok.lesson.json", good_lesson())));

  auto problems = [&](const std::string& text) {
    const std::string f = test::write_file(dir / "x.lesson.json", text);
    try {
      lesson::load_lesson_file(f);
    } catch (const ScenarioError& e) {
      EXPECT_EQ(e.file(), f);
      return std::string(e.what());
    }
    return std::string("no error");
  };
  std::string t = good_lesson();
  // An unknown key, with a suggestion.
  std::string m = problems(std::string(t).replace(t.find("\"goal\""), 6, "\"gaol\""));
  EXPECT_NE(m.find("/gaol: expected one of the known keys"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean \"goal\""), std::string::npos) << m;
  // A check that does not parse.
  m = problems(std::string(t).replace(t.find("A:/requests > 0"), 15, "A:/requests >> 0"));
  EXPECT_NE(m.find("/expect/0/check: expected an expression"), std::string::npos) << m;
  // A check on a step that does not exist.
  m = problems(std::string(t).replace(t.find("A:/requests > 0"), 15, "Z:/requests > 0"));
  EXPECT_NE(m.find("/expect/0/check: expected a step of this lesson (A), found \"Z\""), std::string::npos) << m;
  // A claim that is not a comparison.
  m = problems(std::string(t).replace(t.find("A:/requests > 0"), 15, "A:/requests"));
  EXPECT_NE(m.find("expected a comparison"), std::string::npos) << m;
  // A --set that makes an invalid scenario: the inner file and pointer are named.
  m = problems(std::string(t).replace(t.find("/duration_s=2"), 13, "/duration_s=-1"));
  EXPECT_NE(m.find("/steps/0/set: expected a valid scenario variant"), std::string::npos) << m;
  EXPECT_NE(m.find("/duration_s: expected a number > 0"), std::string::npos) << m;
  // A string array with a number in it; a missing required key.
  m = problems(std::string(t).replace(t.find("[\"c\"]"), 5, "[\"c\", 3]"));
  EXPECT_NE(m.find("/concepts/1: expected a non-empty string, found 3 (an integer)"), std::string::npos) << m;
  m = problems(std::string(t).replace(t.find("\"predict\": \"p\","), 15, ""));
  EXPECT_NE(m.find("/predict: expected a string (required), found nothing: the key is missing"), std::string::npos)
      << m;
  // Two steps with one id.
  m = problems(good_lesson(R"(, { "id": "A", "title": "again", "look_at": [] })"));
  EXPECT_NE(m.find("/steps/1/id: expected an id no other step has"), std::string::npos) << m;
  // Not JSON.
  m = problems("{ \"cachelab_lesson\": 1,\n  oops }");
  EXPECT_NE(m.find("invalid JSON at line 2"), std::string::npos) << m;

  // The command line: exit 2, the problem on stderr.
  const std::string bad =
      test::write_file(dir / "bad.lesson.json", std::string(t).replace(t.find("\"goal\""), 6, "\"gaol\""));
  auto r = test::run_command(test::cachelab() + " lesson validate " + bad);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(bad + ": /gaol: expected"), std::string::npos) << r.out;
  r = test::run_command(test::cachelab() + " lesson list --dir " + dir.string());  // bad.lesson.json is in the folder
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = test::run_command(test::cachelab() + " lesson validate " + (dir / "ok.lesson.json").string());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(Lessons, RunAndCheckALessonFromTheCommandLine) {
  const auto dir = test::temp_dir("lesson-cli");
  test::write_file(dir / "base.json", kBase);
  test::write_file(dir / "01.lesson.json", good_lesson());
  const std::string c = test::cachelab() + " lesson --dir " + dir.string();
  auto r = test::run_command(c + " check 1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("PASS  something is read"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 1 holds"), std::string::npos) << r.out;
  r = test::run_command(c + " run 1");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("hit ratio ...."), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("--set /duration_s=2"), std::string::npos) << r.out;
  r = test::run_command(c + " show 1 --answers");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("Predict (before you run anything)"), std::string::npos) << r.out;
  r = test::run_command(c + " run 7");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("no lesson \"7\""), std::string::npos) << r.out;
  r = test::run_command(c + " run 1 --step Q");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  // A claim the results contradict: exit 1, and the measured values printed.
  std::string t = good_lesson();
  test::write_file(dir / "01.lesson.json", t.replace(t.find("A:/requests > 0"), 15, "A:/requests < 0"));
  r = test::run_command(c + " check 1");
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("FAIL  something is read"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(false)"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// A step's run read back from what `cachelab lesson run --out` wrote is the run itself: the same summary, knobs,
// series cells and events as sim's run_step in memory, so figures drawn from the files equal the CLI's.
TEST(Lessons, AStepReadBackFromItsRunDirectoryIsTheRunInMemory) {
  const auto dir = test::temp_dir("lesson-readback");
  const auto lessons = test::source_dir() + "/scenarios/lessons";
  auto r = test::run_command(test::cachelab() + " lesson --dir " + lessons + " run 9 --step 1 --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const lesson::Lesson l = lesson::load_lesson_file(lessons + "/09-hot-key-l1.lesson.json");
  const lesson::StepRun mem = lesson::run_step(l.steps[0]);
  const lesson::StepRun disk = lesson::read_step_run("A", dir / "A");
  EXPECT_EQ(disk.id, "A");
  EXPECT_EQ(disk.result.summary, mem.result.summary);
  EXPECT_EQ(disk.result.knobs, mem.result.knobs);
  EXPECT_EQ(disk.result.series.columns, mem.result.series.columns);
  EXPECT_EQ(disk.result.series.rows, mem.result.series.rows);
  EXPECT_EQ(disk.result.events, mem.result.events);
  ASSERT_FALSE(l.steps[0].look_at.empty());
  for (const auto& la : l.steps[0].look_at)
    EXPECT_EQ(lesson::format_look_at_value(la, {disk}, "A"), lesson::format_look_at_value(la, {mem}, "A"));
  EXPECT_THROW(lesson::read_step_run("B", dir / "B"), ResultsError);  // step B was not written
  std::filesystem::remove_all(dir);
}

// Grading: the budget is enforced knob by knob, whatever the SLOs say.
TEST(Lessons, GradingFlagsKnobsOutsideTheBudget) {
  const auto all = lesson::load_catalogue(test::source_dir() + "/scenarios/lessons");
  const lesson::Lesson* c4 = nullptr;
  for (const auto& l : all)
    if (l.id() == "C4") c4 = &l;
  ASSERT_NE(c4, nullptr);
  json mine = json::parse(test::read_file(c4->challenge.start));
  mine["cluster"]["maxmemory"] = "8mb";                 // allowed knob, above its bound
  mine["cluster"]["maxmemory_policy"] = "allkeys-lru";  // allowed
  mine["seed"] = 99;                                    // not in the budget
  mine["slo"]["hit_ratio_min"] = 0.1;                   // not in the budget (and ignored when grading)
  mine["name"] = "my-answer";                           // free
  const auto dir = test::temp_dir("lesson-grade");
  const std::string f = test::write_file(dir / "mine.json", mine.dump(2));
  const lesson::Grade g = lesson::grade(*c4, f);
  EXPECT_FALSE(g.pass);
  std::string all_problems;
  for (const auto& p : g.problems) all_problems += p + "\n";
  EXPECT_NE(all_problems.find("/cluster/maxmemory: 4194304 -> 8388608 is above the budget's maximum 4,194,304"),
            std::string::npos)
      << all_problems;
  EXPECT_NE(all_problems.find("/seed: 8 -> 99 is not in the budget"), std::string::npos) << all_problems;
  EXPECT_NE(all_problems.find("/slo/hit_ratio_min: 0.8 -> 0.1 is not in the budget"), std::string::npos)
      << all_problems;
  EXPECT_EQ(all_problems.find("/name"), std::string::npos) << all_problems;
  ASSERT_EQ(g.changes.size(), 1u);
  EXPECT_NE(g.changes[0].find("/cluster/maxmemory_policy"), std::string::npos);
  // The SLOs graded are the challenge's, not the participant's 0.1.
  bool saw = false;
  for (const auto& s : g.slo_lines) saw = saw || s.find("hit_ratio_min: target 0.8") != std::string::npos;
  EXPECT_TRUE(saw);
  // The command line grades a file: exit 1 when it does not pass, naming what is off.
  auto r =
      test::run_command(test::cachelab() + " lesson --dir " + test::source_dir() + "/scenarios/lessons check C4 " + f);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("off:  /seed: 8 -> 99 is not in the budget"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cachelab
