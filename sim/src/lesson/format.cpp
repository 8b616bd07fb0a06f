// A lesson as terminal text (cachelab lesson show), and the command that reproduces a step.
#include <cctype>
#include <sstream>

#include "cachelab/lesson/lesson.hpp"

namespace cachelab::lesson {

std::string wrap(const std::string& text, size_t width, const std::string& indent) {
  std::string out, line = indent;
  std::istringstream paragraphs(text);
  std::string para;
  bool first_para = true;
  while (std::getline(paragraphs, para)) {  // a '\n' in the text starts a new paragraph
    if (!first_para) out += "\n";
    first_para = false;
    std::istringstream words(para);
    std::string w;
    line = indent;
    bool empty = true;
    while (words >> w) {
      if (!empty && line.size() + 1 + w.size() > width) {
        out += line + "\n";
        line = indent;
        empty = true;
      }
      line += (empty ? "" : " ") + w;
      empty = false;
    }
    out += line;
  }
  return out + "\n";
}

static std::string quote(const std::string& arg) {
  bool plain = !arg.empty();
  for (char c : arg)
    plain =
        plain && (std::isalnum(static_cast<unsigned char>(c)) || std::string("/_.=,:-+").find(c) != std::string::npos);
  if (plain) return arg;
  std::string q = "'";
  for (char c : arg) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string reproduce_command(const Step& s, const std::string& program) {
  std::string cmd = program + " run " + quote(s.file.string());
  for (const auto& set : s.sets) cmd += " --set " + quote(set);
  return cmd;
}

std::string format_lesson(const Lesson& l, size_t width, bool answers) {
  std::string s;
  const std::string head = (l.is_challenge ? "Challenge " : "Lesson ") + l.id() + ": " + l.title;
  s += head + "\n" + std::string(head.size(), '=') + "\n";
  s += "  " + std::to_string(l.minutes) + " minutes.  Concepts: ";
  for (size_t i = 0; i < l.concepts.size(); ++i) s += (i ? ", " : "") + l.concepts[i];
  s += "\n\nGoal\n" + wrap(l.goal, width, "  ");
  s += "\nPredict (before you run anything)\n" + wrap(l.predict, width, "  ");
  if (l.is_challenge) {
    s += "\nYour starting scenario\n  " + l.challenge.start.string() + "\n";
    s += "  Copy it, change only these knobs, and grade your copy with: cachelab lesson check " + l.id() +
         " YOUR_FILE.json\n";
    for (const auto& a : l.challenge.allowed) {
      std::string line = "    " + a.pointer;
      if (a.min) line += "  >= " + format_number(*a.min);
      if (a.max) line += "  <= " + format_number(*a.max);
      if (!a.note.empty()) line += "  (" + a.note + ")";
      s += line + "\n";
    }
    if (l.challenge.max_changes > 0)
      s += "  At most " + std::to_string(l.challenge.max_changes) + " knobs may differ from the start.\n";
    s += "  Passing means: every SLO of the starting scenario met";
    try {  // the SLOs, from the start file (the grade uses them, whatever the participant's file says)
      const Scenario start = load_scenario_file(l.challenge.start.string());
      std::string slos;
      for (const auto& [k, v] : start.resolved["slo"].items())
        if (v.is_number()) slos += (slos.empty() ? "" : ", ") + k + " " + format_number(v.get<double>());
      if (!slos.empty()) s += " (" + slos + ")";
    } catch (const ScenarioError&) {}
    s += l.expect.empty() ? ".\n" : ", and:\n";
    for (const auto& e : l.expect) s += wrap("- " + e.claim, width, "    ");
    if (!l.challenge.hints.empty()) {
      s += "\nHints (read one at a time)\n";
      for (size_t i = 0; i < l.challenge.hints.size(); ++i)
        s += wrap(std::to_string(i + 1) + ". " + l.challenge.hints[i], width, "  ");
    }
  }
  if (!l.steps.empty()) {
    s += "\nSteps (cachelab lesson run " + l.id() + " --step K)\n";
    for (size_t i = 0; i < l.steps.size(); ++i) {
      const auto& st = l.steps[i];
      s += "  " + std::to_string(i + 1) + ". [" + st.id + "] " + st.title + "\n";
      s += "       $ " + reproduce_command(st) + "\n";
      if (!st.cli.empty()) s += wrap("CLI: " + st.cli, width, "       ");
      if (!st.gui.empty()) s += wrap("GUI: " + st.gui, width, "       ");
    }
  }
  if (!l.is_challenge) {
    s += "\nWhat the runs show (each checked by cachelab lesson check " + l.id() + ")\n";
    for (const auto& e : l.expect) s += wrap("- " + e.claim, width, "  ");
  }
  if (!l.is_challenge || answers) s += "\nWhy\n" + wrap(l.explain, width, "  ");  // a challenge's why is its answer
  if (!l.discuss.empty()) {
    s += "\nDiscuss\n";
    for (size_t i = 0; i < l.discuss.size(); ++i) {
      s += wrap(std::to_string(i + 1) + ". " + l.discuss[i].question, width, "  ");
      if (answers) s += wrap("Answer: " + l.discuss[i].answer, width, "     ");
    }
  }
  if (!l.try_next.empty()) s += "\nTry next\n" + wrap(l.try_next, width, "  ");
  return s;
}

}  // namespace cachelab::lesson
