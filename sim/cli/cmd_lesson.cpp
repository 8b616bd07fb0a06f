// cachelab lesson list | show N [--answers] | run N [--step K] [--out DIR] | check (N [FILE] | --all) [--jobs J]
//                | validate FILE
// The workshop's lessons and challenges (sim/include/cachelab/lesson/lesson.hpp, docs/workshop/README.md).
// Exit codes: 0 every claim holds (or the challenge is passed), 1 a claim does not hold, 2 bad input.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <thread>

#include "cachelab/lesson/lesson.hpp"
#include "cachelab/results/writer.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

using namespace cachelab::lesson;
namespace fs = std::filesystem;

struct Opts {
  std::string dir, id, file, step, out;
  bool answers = false, all = false, no_timing = false;
  int jobs = 1;
  size_t width = 100;
};

void report_bad(const ScenarioError& e) {
  std::cerr << e.what() << "\n"
            << e.issues().size() << (e.issues().size() == 1 ? " problem" : " problems") << " in " << e.file() << "\n";
}

std::vector<Lesson> catalogue(const Opts& o, const Context& ctx) {
  return load_catalogue(o.dir.empty() ? find_lesson_dir(ctx.argv0) : fs::path(o.dir));
}

const Lesson* find(const std::vector<Lesson>& all, const std::string& id) {
  std::string want = id;
  for (auto& c : want) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (!want.empty() && want[0] == '#') want.erase(0, 1);
  for (const auto& l : all)
    if (l.id() == want) return &l;
  return nullptr;
}

void unknown(const std::vector<Lesson>& all, const std::string& id) {
  std::cerr << "cachelab lesson: no lesson \"" << id << "\"; there are";
  for (const auto& l : all) std::cerr << " " << l.id();
  std::cerr << " (cachelab lesson list)\n";
}

// Runs `tasks` on `jobs` threads. The first exception is kept in `error`.
void run_all(const std::vector<std::function<void()>>& tasks, int jobs, std::string& error) {
  std::atomic<size_t> next{0};
  std::mutex m;
  auto work = [&] {
    for (size_t i = next++; i < tasks.size(); i = next++) {
      try {
        tasks[i]();
      } catch (const std::exception& e) {
        std::lock_guard<std::mutex> lock(m);
        if (error.empty()) error = e.what();
      }
    }
  };
  std::vector<std::thread> pool;
  for (int t = 1; t < jobs && t < static_cast<int>(tasks.size()); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
}

void print_grade(const Lesson& c, const Grade& g, const std::string& what) {
  std::printf("  %s: %s\n", what.c_str(), g.pass ? "PASS" : "FAIL");
  for (const auto& ch : g.changes) std::printf("    changed  %s\n", ch.c_str());
  for (const auto& s : g.slo_lines) std::printf("    %s\n", s.c_str());
  for (const auto& o : g.outcomes) std::printf("%s", format_outcome(o).c_str());
  for (const auto& p : g.problems) std::printf("    off:  %s\n", p.c_str());
  (void)c;
}

// A lesson's runs and claims (check); returns true when every claim holds.
bool check_lesson(const Lesson& l, const std::vector<StepRun>& runs, double wall, bool timing) {
  const auto outcomes = evaluate(l.expect, runs);
  size_t pass = 0;
  for (const auto& o : outcomes) pass += o.verdict.pass;
  std::printf("Lesson %s: %s  (%zu step%s", l.id().c_str(), l.title.c_str(), runs.size(), runs.size() == 1 ? "" : "s");
  if (timing) std::printf(", %.1f s", wall);
  std::printf(")\n");
  for (const auto& o : outcomes) std::printf("%s", format_outcome(o).c_str());
  std::printf("  %s: %zu of %zu claims hold\n\n", pass == outcomes.size() ? "ok" : "FAILED", pass, outcomes.size());
  return pass == outcomes.size();
}

int do_check(const Opts& o, const Context& ctx) {
  const auto all = catalogue(o, ctx);
  std::vector<const Lesson*> chosen;
  if (o.all) {
    for (const auto& l : all) chosen.push_back(&l);
  } else {
    const Lesson* l = find(all, o.id);
    if (!l) {
      unknown(all, o.id);
      return kExitBadInput;
    }
    chosen.push_back(l);
  }
  if (!o.file.empty()) {  // a participant's answer to a challenge
    const Lesson& c = *chosen.front();
    if (!c.is_challenge) {
      std::cerr << "cachelab lesson check: " << c.id()
                << " is a lesson, not a challenge; only challenges grade a file\n";
      return kExitBadInput;
    }
    std::printf("Challenge %s: %s\n  grading %s\n", c.id().c_str(), c.title.c_str(), o.file.c_str());
    const Grade g = grade(c, o.file);
    print_grade(c, g, "your scenario");
    std::printf("  %s\n", g.pass ? "PASSED: every SLO met within the budget" : "NOT YET: see what is off above");
    return g.pass ? kExitOk : kExitFailure;
  }
  // Every step of every chosen lesson, and each challenge's start and solution, as one batch of tasks.
  std::vector<std::vector<StepRun>> runs(chosen.size());
  std::vector<std::pair<Grade, Grade>> grades(chosen.size());
  std::vector<std::function<void()>> tasks;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const Lesson& l = *chosen[i];
    if (l.is_challenge) {
      tasks.push_back([&, i] { grades[i].first = grade(*chosen[i], chosen[i]->challenge.start); });
      tasks.push_back([&, i] { grades[i].second = grade(*chosen[i], chosen[i]->challenge.solution); });
    } else {
      runs[i].resize(l.steps.size());
      for (size_t k = 0; k < l.steps.size(); ++k)
        tasks.push_back([&, i, k] { runs[i][k] = run_step(chosen[i]->steps[k]); });
    }
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::string error;
  run_all(tasks, o.jobs, error);
  if (!error.empty()) {
    std::cerr << "cachelab lesson check: a run failed: " << error << "\n";
    return kExitFailure;
  }
  size_t ok = 0;
  for (size_t i = 0; i < chosen.size(); ++i) {
    const Lesson& l = *chosen[i];
    if (!l.is_challenge) {
      double wall = 0;
      for (const auto& r : runs[i]) wall += r.wall_s;
      ok += check_lesson(l, runs[i], wall, !o.no_timing);
      continue;
    }
    // A challenge checks itself: the start must fail, the reference solution must pass.
    std::printf("Challenge %s: %s\n", l.id().c_str(), l.title.c_str());
    const Grade& start = grades[i].first;
    const Grade& sol = grades[i].second;
    print_grade(l, start, "start (" + l.challenge.start.string() + ", must fail)");
    print_grade(l, sol, "reference solution (" + l.challenge.solution.string() + ", must pass)");
    const bool good = !start.pass && sol.pass;
    std::printf("  %s\n\n", good ? "ok" : "FAILED");
    ok += good;
  }
  const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%zu of %zu %s", ok, chosen.size(),
              chosen.size() == 1 ? "holds" : "hold: every claim checked, every challenge graded as expected");
  if (!o.no_timing) std::printf(" (%.1f s of wall time, %d job%s)", wall, o.jobs, o.jobs == 1 ? "" : "s");
  std::printf("\n");
  return ok == chosen.size() ? kExitOk : kExitFailure;
}

int do_run(const Opts& o, const Context& ctx) {
  const auto all = catalogue(o, ctx);
  const Lesson* l = find(all, o.id);
  if (!l) {
    unknown(all, o.id);
    return kExitBadInput;
  }
  if (l->is_challenge) {
    std::cerr << "cachelab lesson run: " << l->id() << " is a challenge: run its start with `cachelab run "
              << l->challenge.start.string() << "`, grade yours with `cachelab lesson check " << l->id() << " FILE`\n";
    return kExitBadInput;
  }
  std::vector<size_t> which;
  if (o.step.empty()) {
    for (size_t i = 0; i < l->steps.size(); ++i) which.push_back(i);
  } else {
    for (size_t i = 0; i < l->steps.size(); ++i)
      if (l->steps[i].id == o.step || std::to_string(i + 1) == o.step) which.push_back(i);
    if (which.empty()) {
      std::cerr << "cachelab lesson run: lesson " << l->id() << " has no step \"" << o.step << "\"; its steps are";
      for (size_t i = 0; i < l->steps.size(); ++i) std::cerr << " " << i + 1 << " (" << l->steps[i].id << ")";
      std::cerr << "\n";
      return kExitBadInput;
    }
  }
  std::printf("Lesson %s: %s\n", l->id().c_str(), l->title.c_str());
  if (o.step.empty() || which.front() == 0)
    std::printf("%s", wrap("Predict first: " + l->predict, o.width, "  ").c_str());
  std::vector<StepRun> runs;
  for (size_t i : which) {
    const Step& s = l->steps[i];
    std::printf("\nStep %zu of %zu [%s]: %s\n  $ %s\n", i + 1, l->steps.size(), s.id.c_str(), s.title.c_str(),
                reproduce_command(s).c_str());
    std::fflush(stdout);
    const Scenario sc = load_step(s);
    const auto t0 = std::chrono::steady_clock::now();
    RunOutput out = simulate(sc);
    StepRun r;
    r.id = s.id;
    r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::string written;
    if (!o.out.empty()) {  // the files `cachelab run` writes, for cachelab-gui
      const fs::path dir = fs::path(o.out) / s.id;
      write_run_dir(dir, make_run_json(sc, out, "sim", utc_now_iso()), out.summary, out.series, out.events);
      written = dir.string();
    }
    r.result = make_step_result(sc, std::move(out));
    const auto& k = r.result.knobs;
    std::printf("  seed %llu, %s s simulated (%s s warm-up not counted), %.1f s of wall time\n",
                static_cast<unsigned long long>(k["seed"].get<uint64_t>()),
                format_number(k["duration_s"].get<double>()).c_str(),
                format_number(k["warmup_s"].get<double>()).c_str(), r.wall_s);
    runs.push_back(std::move(r));
    for (const auto& la : s.look_at) std::printf("%s", format_look_at(la, runs, s.id).c_str());
    if (!s.cli.empty()) std::printf("%s", wrap("In `cachelab run`'s table: " + s.cli, o.width, "  ").c_str());
    if (!s.gui.empty()) std::printf("%s", wrap("In cachelab-gui: " + s.gui, o.width, "  ").c_str());
    if (!s.note.empty()) std::printf("%s", wrap(s.note, o.width, "  ").c_str());
    if (!written.empty())
      std::printf("  results written to %s (open with: cachelab-gui %s)\n", written.c_str(), written.c_str());
  }
  // The claims whose steps all ran.
  const std::vector<Expectation> ready = ready_expectations(l->expect, runs);
  if (!ready.empty()) {
    std::printf("\nWhat this shows (the lesson's claims, checked on these runs)\n");
    for (const auto& o2 : evaluate(ready, runs)) std::printf("%s", format_outcome(o2).c_str());
  }
  if (o.step.empty() || which.back() + 1 == l->steps.size())
    std::printf("\nThen: cachelab lesson show %s (why, discussion, what to try next)\n", l->id().c_str());
  return kExitOk;
}

}  // namespace

static void add_lesson(CLI::App& app, Context& ctx) {
  Context* c = &ctx;
  auto* cmd = app.add_subcommand("lesson", "the workshop's lessons and graded challenges");
  cmd->require_subcommand(1);
  auto o = std::make_shared<Opts>();
  cmd->add_option("--dir", o->dir, "folder of *.lesson.json (default: scenarios/lessons)");
  auto guarded = [c](const std::function<int()>& f) {
    try {
      c->code = f();
    } catch (const ScenarioError& e) {
      report_bad(e);
      c->code = kExitBadInput;
    } catch (const std::exception& e) {
      std::cerr << "cachelab lesson: " << e.what() << "\n";
      c->code = kExitFailure;
    }
  };

  cmd->add_subcommand("list", "every lesson and challenge: number, title, minutes, concepts")->callback([=] {
    guarded([&] {
      const auto all = catalogue(*o, *c);
      int minutes = 0;
      int w = 5;
      for (const auto& l : all) w = std::max(w, static_cast<int>(l.title.size()));
      std::printf("%-4s %-*s %4s  %s\n", "#", w, "title", "min", "concepts");
      bool challenges = false;
      for (const auto& l : all) {
        if (l.is_challenge && !challenges) {
          std::printf("\nchallenges (graded: cachelab lesson check CN YOUR_FILE.json)\n");
          challenges = true;
        }
        std::string concepts;
        for (size_t i = 0; i < l.concepts.size(); ++i) concepts += (i ? ", " : "") + l.concepts[i];
        std::printf("%-4s %-*s %4d  %s\n", l.id().c_str(), w, l.title.c_str(), l.minutes, concepts.c_str());
        minutes += l.minutes;
      }
      std::printf("\n%zu lessons and challenges, %d minutes in all; cachelab lesson show N\n", all.size(), minutes);
      return kExitOk;
    });
  });

  auto* show = cmd->add_subcommand("show", "a lesson as text: goal, prediction, steps, why, discussion");
  show->add_option("N", o->id, "lesson number (or C1.. for a challenge)")->required();
  show->add_flag("--answers", o->answers, "also print the answers to the discussion questions (for instructors)");
  show->add_option("--width", o->width, "wrap at this many columns")->check(CLI::Range(40, 400));
  show->callback([=] {
    guarded([&] {
      const auto all = catalogue(*o, *c);
      const Lesson* l = find(all, o->id);
      if (!l) {
        unknown(all, o->id);
        return kExitBadInput;
      }
      std::printf("%s", format_lesson(*l, o->width, o->answers).c_str());
      return kExitOk;
    });
  });

  auto* run = cmd->add_subcommand("run", "run a lesson's steps and print what to look at, with the numbers");
  run->add_option("N", o->id, "lesson number")->required();
  run->add_option("--step", o->step, "only this step (its number or id)");
  run->add_option("--out", o->out, "also write each step's results to OUT/<step id>/ (for cachelab-gui)");
  run->callback([=] { guarded([&] { return do_run(*o, *c); }); });

  auto* check = cmd->add_subcommand("check", "run every step and check every claim (exit 0/1); grade a challenge");
  check->add_option("N", o->id, "lesson number, or a challenge (C1..)");
  check->add_option("FILE", o->file, "a challenge: your scenario file to grade");
  check->add_flag("--all", o->all, "every lesson and challenge (CI runs this)");
  check->add_option("--jobs", o->jobs, "simulations at once")->check(CLI::Range(1, 256));
  check->add_flag("--no-timing", o->no_timing, "leave out wall times (the output is then the same on every run)");
  check->callback([=] {
    guarded([&] {
      if (o->all == !o->id.empty()) {
        std::cerr << "cachelab lesson check: give a lesson number or --all\n";
        return kExitBadInput;
      }
      if (o->all && !o->file.empty()) {
        std::cerr << "cachelab lesson check: a FILE is graded against one challenge, not with --all\n";
        return kExitBadInput;
      }
      return do_check(*o, *c);
    });
  });

  auto* validate = cmd->add_subcommand("validate", "check a lesson file (exit 0, or 2 listing every problem)");
  validate->add_option("FILE", o->file, "a *.lesson.json file")->required();
  validate->callback([=] {
    guarded([&] {
      const Lesson l = load_lesson_file(o->file);
      std::printf("%s: ok (%s %s, %zu steps, %zu claims)\n", o->file.c_str(), l.is_challenge ? "challenge" : "lesson",
                  l.id().c_str(), l.steps.size(), l.expect.size());
      return kExitOk;
    });
  });
}

static const Command lesson_command("lesson", add_lesson);

}  // namespace cachelab::cli
