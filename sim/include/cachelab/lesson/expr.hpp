#pragma once
// The expressions lessons use for the numbers they show and the claims they check, evaluated on run results.
//
//   check   := sum (CMP sum)*            CMP: < <= > >= == !=   ("2 <= A:/x <= 7" checks both pairs)
//   sum     := product (('+' | '-') product)*
//   product := unary (('*' | '/') unary)*        ('/' as division needs a space before it: "a / b")
//   unary   := '-' unary | NUMBER | REF | FUNC '(' ... ')' | '(' sum ')'
//   REF     := [STEP ':'] /json/pointer          a summary.json value (bare pointer: the current step)
//            | [STEP '.knob:'] /json/pointer     a value of the step's resolved scenario (defaults filled in)
//   FUNC    := max | min | mean | sum (STEP '.series:' COLUMN [, FROM_S, TO_S])    a series.csv column over the
//              measured rows, or over the rows whose interval ends in (FROM_S, TO_S] (warm-up included)
//            | count(STEP '.events:' TYPE)       rows of events.jsonl with that type
//            | len(REF)                          items of an array (or keys of an object)
//            | exists(REF)                       1 when the value is there and not null, else 0
// A pointer ends at white space, ',' or ')'. true/false count as 1/0; a null value (a failover that did not
// happen, a percentile of nothing) makes the expression undefined and its check fails, saying so.
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/run/runner.hpp"

namespace cachelab::lesson {

// What one step's run left behind, as expressions see it.
struct StepResult {
  nlohmann::json summary;
  nlohmann::json knobs;  // the resolved scenario
  SeriesTable series;
  std::vector<nlohmann::json> events;
};

// One value an expression read, for printing beside the verdict ("B:/origin/requests = 12,345").
struct Reading {
  std::string ref;
  std::optional<double> value;  // empty: null or missing
  std::string why_missing;      // "null in summary.json", "no such field", ...
};

struct Node;  // the parsed form (expr.cpp)

class Expr {
 public:
  // Throws std::invalid_argument with a message naming the position on a syntax error.
  static Expr parse(const std::string& text);
  Expr() = default;

  const std::string& text() const { return text_; }
  bool is_check() const { return !ops_.empty(); }
  // The step ids it refers to ("" = the current step).
  std::vector<std::string> steps() const;

  // A value (no comparison): empty when undefined.
  std::optional<double> value(const std::map<std::string, const StepResult*>& steps, const std::string& current,
                              std::vector<Reading>* readings = nullptr) const;

  struct Verdict {
    bool pass = false;
    bool undefined = false;     // some value was null or missing
    std::vector<double> sides;  // each side's value, left to right (when defined)
    std::vector<std::string> ops;
    std::vector<Reading> readings;
  };
  Verdict check(const std::map<std::string, const StepResult*>& steps, const std::string& current = "") const;

 private:
  std::string text_;
  std::vector<std::shared_ptr<const Node>> sides_;
  std::vector<std::string> ops_;
};

// A number for people: thousands separators, and digits that fit its size (0.7849, 12.3, 4,596,256).
std::string format_number(double v, int decimals = -1);

}  // namespace cachelab::lesson
