// Running a lesson's steps, evaluating its claims, and grading a challenge.
#include <chrono>
#include <cmath>
#include <fstream>
#include <map>

#include "cachelab/lesson/lesson.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/slo_text.hpp"
#include "cachelab/run/runner.hpp"

namespace cachelab::lesson {

namespace fs = std::filesystem;
using nlohmann::json;

Scenario load_step(const Step& step, const std::vector<std::string>& extra_sets) {
  std::vector<std::string> sets = step.sets;
  sets.insert(sets.end(), extra_sets.begin(), extra_sets.end());
  return load_scenario_file(step.file.string(), sets);
}

StepResult make_step_result(const Scenario& s, RunOutput out) {
  return {std::move(out.summary), s.resolved, std::move(out.series), std::move(out.events)};
}

StepRun read_step_run(const std::string& id, const fs::path& run_dir) {
  const results::Run run = results::load_run(run_dir);  // validates every file, with the reader's messages
  StepRun r;
  r.id = id;
  r.result.summary = run.summary.raw;
  r.result.knobs = run.info.scenario;
  for (const auto& e : run.events) r.result.events.push_back(e.raw);
  // The series as text: expressions read the cells as written, like the in-memory table (the reader's doubles
  // would turn "" into NaN and drop the role columns' strings).
  std::ifstream in(run_dir / "series.csv", std::ios::binary);
  std::string line;
  auto split = [](const std::string& l) {
    std::vector<std::string> cells(1);
    for (char c : l) {
      if (c == ',')
        cells.emplace_back();
      else if (c != '\r')
        cells.back() += c;
    }
    return cells;
  };
  if (std::getline(in, line)) r.result.series.columns = split(line);
  while (std::getline(in, line))
    if (!line.empty()) r.result.series.rows.push_back(split(line));
  return r;
}

static StepRun simulate_as(const std::string& id, const Scenario& s) {
  const auto t0 = std::chrono::steady_clock::now();
  RunOutput out = simulate(s);
  StepRun r;
  r.id = id;
  r.result = make_step_result(s, std::move(out));
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

StepRun run_file(const std::string& id, const fs::path& file, const std::vector<std::string>& sets) {
  return simulate_as(id, load_scenario_file(file.string(), sets));
}

StepRun run_step(const Step& step, const std::vector<std::string>& extra_sets) {
  return simulate_as(step.id, load_step(step, extra_sets));
}

static std::map<std::string, const StepResult*> index(const std::vector<StepRun>& runs) {
  std::map<std::string, const StepResult*> m;
  for (const auto& r : runs) m[r.id] = &r.result;
  return m;
}

std::vector<CheckOutcome> evaluate(const std::vector<Expectation>& expect, const std::vector<StepRun>& runs) {
  const auto m = index(runs);
  std::vector<CheckOutcome> out;
  for (const auto& e : expect) out.push_back({&e, e.check.check(m)});
  return out;
}

std::vector<Expectation> ready_expectations(const std::vector<Expectation>& expect, const std::vector<StepRun>& runs) {
  std::vector<Expectation> ready;
  for (const auto& e : expect) {
    bool have = true;
    for (const auto& id : e.check.steps()) {
      bool found = false;
      for (const auto& r : runs) found = found || r.id == id;
      have = have && found;
    }
    if (have) ready.push_back(e);
  }
  return ready;
}

std::vector<std::string> outcome_details(const CheckOutcome& o) {
  const auto& v = o.verdict;
  std::vector<std::string> lines = {"check: " + o.expectation->check.text()};
  for (const auto& r : v.readings)
    lines.push_back(r.ref + " = " + (r.value ? format_number(*r.value) : "undefined: " + r.why_missing));
  if (!v.undefined) {
    std::string m = "measured:";
    for (size_t i = 0; i < v.sides.size(); ++i) m += (i ? " " + v.ops[i - 1] + " " : " ") + format_number(v.sides[i]);
    lines.push_back(m + (v.pass ? "  (true)" : "  (false)"));
  }
  return lines;
}

std::string format_outcome(const CheckOutcome& o) {
  std::string s = std::string(o.verdict.pass ? "  PASS  " : "  FAIL  ") + o.expectation->claim + "\n";
  for (const auto& line : outcome_details(o)) s += "        " + line + "\n";
  return s;
}

std::string format_look_at_value(const LookAt& l, const std::vector<StepRun>& runs, const std::string& current) {
  const auto m = index(runs);
  std::vector<Reading> readings;
  const auto v = l.value.value(m, current, &readings);
  if (v) return format_number(*v, l.decimals) + (l.unit.empty() ? "" : (l.unit == "%" ? "" : " ") + l.unit);
  for (const auto& r : readings)
    if (!r.value) return "- (" + r.why_missing + ")";
  return "-";
}

std::string format_look_at(const LookAt& l, const std::vector<StepRun>& runs, const std::string& current) {
  std::string label = "  " + l.label + " ";
  while (label.size() < 52) label += '.';
  return label + " " + format_look_at_value(l, runs, current) + "\n";
}

namespace {

// Every leaf of a resolved scenario, by JSON Pointer (arrays by index; an array's length as "/#").
void flatten(const json& j, const std::string& p, std::map<std::string, json>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) flatten(v, p + "/" + k, out);
  } else if (j.is_array()) {
    out[p + "/#"] = j.size();
    for (size_t i = 0; i < j.size(); ++i) flatten(j[i], p + "/" + std::to_string(i), out);
  } else {
    out[p] = j;
  }
}

bool under(const std::string& leaf, const std::string& allowed) {
  if (leaf == allowed) return true;
  if (leaf.size() > allowed.size() && leaf.compare(0, allowed.size(), allowed) == 0 && leaf[allowed.size()] == '/')
    return true;
  return false;
}

std::string show(const json& v) { return v.is_null() ? "null" : v.dump(); }

}  // namespace

Grade grade(const Lesson& c, const fs::path& file) {
  Grade g;
  const Scenario start = load_scenario_file(c.challenge.start.string());
  const Scenario mine = load_scenario_file(file.string());
  std::map<std::string, json> a, b;
  flatten(start.resolved, "", a);
  flatten(mine.resolved, "", b);
  std::map<std::string, std::pair<json, json>> diff;  // leaf -> (start, participant)
  for (const auto& [k, v] : a) {
    auto it = b.find(k);
    const json w = it == b.end() ? json() : it->second;
    if (v != w) diff[k] = {v, w};
  }
  for (const auto& [k, v] : b)
    if (!a.count(k)) diff[k] = {json(), v};
  std::map<const Allowed*, int> used;
  for (const auto& [leaf, vals] : diff) {
    if (leaf == "/name" || leaf == "/title" || leaf == "/description") continue;  // naming is free
    const Allowed* hit = nullptr;
    for (const auto& al : c.challenge.allowed)  // the most specific entry decides (its bounds apply)
      if (under(leaf, al.pointer) && (!hit || al.pointer.size() > hit->pointer.size())) hit = &al;
    const std::string line = leaf + ": " + show(vals.first) + " -> " + show(vals.second);
    if (!hit) {
      g.problems.push_back(line + " is not in the budget (you may change: " + [&] {
        std::string s;
        for (const auto& al : c.challenge.allowed) s += (s.empty() ? "" : ", ") + al.pointer;
        return s;
      }() + ")");
      continue;
    }
    ++used[hit];
    std::string bound;
    if (vals.second.is_number() && (hit->min || hit->max)) {
      const double x = vals.second.get<double>();
      if (hit->min && x < *hit->min) bound = "below the budget's minimum " + format_number(*hit->min);
      if (hit->max && x > *hit->max) bound = "above the budget's maximum " + format_number(*hit->max);
    }
    if (bound.empty())
      g.changes.push_back(line + " (allowed)");
    else
      g.problems.push_back(line + " is " + bound + (hit->note.empty() ? "" : " (" + hit->note + ")"));
  }
  if (c.challenge.max_changes > 0) {
    int n = 0;
    for (const auto& [al, k] : used) n += k;
    if (n > c.challenge.max_changes)
      g.problems.push_back("changed " + std::to_string(n) + " knobs of the budget; at most " +
                           std::to_string(c.challenge.max_changes) + " may change");
  }
  // The SLOs are the challenge's (the start file's), whatever the participant's file says.
  std::vector<std::string> sets = {"/slo=" + start.resolved["slo"].dump()};
  g.run = run_file("P", file, sets);
  for (const auto& slo : g.run.result.summary["slo"]) {
    const bool pass = slo["pass"].get<bool>();
    const std::string name = results::slo_label(slo);  // "name [stream]" for a stream's SLO
    g.slo_lines.push_back(std::string(pass ? "PASS" : "FAIL") + "  SLO " + name + ": target " +
                          (slo["target"].is_null() ? "-" : format_number(slo["target"].get<double>())) + ", measured " +
                          (slo["value"].is_null() ? "-" : format_number(slo["value"].get<double>())));
    if (!pass) g.problems.push_back("SLO " + name + " missed");
  }
  g.outcomes = evaluate(c.expect, {g.run});
  for (const auto& o : g.outcomes)
    if (!o.verdict.pass) g.problems.push_back("claim not met: " + o.expectation->claim);
  g.pass = g.problems.empty();
  return g;
}

}  // namespace cachelab::lesson
