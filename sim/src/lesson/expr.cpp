#include "cachelab/lesson/expr.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace cachelab::lesson {

using nlohmann::json;

struct Node {
  enum Kind { Num, Summary, Knob, Series, Count, Len, Exists, Neg, Add, Sub, Mul, Div } kind = Num;
  double num = 0;
  std::string step, path;  // path: a pointer, a series column or an event type
  std::string func;        // series: max, min, mean, sum
  std::optional<double> from, to;
  std::shared_ptr<const Node> a, b;
};

namespace {

using NodeP = std::shared_ptr<const Node>;
using Steps = std::map<std::string, const StepResult*>;

class Parser {
 public:
  explicit Parser(const std::string& t) : t_(t) {}

  void fail(const std::string& what) const {
    throw std::invalid_argument(what + " at character " + std::to_string(i_ + 1) + " of \"" + t_ + "\"");
  }
  void ws() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_]))) ++i_;
  }
  bool eat(const std::string& s) {
    ws();
    if (t_.compare(i_, s.size(), s) == 0) {
      i_ += s.size();
      return true;
    }
    return false;
  }
  bool at_end() {
    ws();
    return i_ >= t_.size();
  }
  std::string comparator() {
    ws();
    for (const char* op : {"<=", ">=", "==", "!=", "<", ">"})
      if (t_.compare(i_, std::string(op).size(), op) == 0) {
        i_ += std::string(op).size();
        return op;
      }
    return "";
  }

  NodeP sum() {
    NodeP l = product();
    for (;;) {
      ws();
      if (i_ < t_.size() && (t_[i_] == '+' || t_[i_] == '-')) {
        const bool add = t_[i_++] == '+';
        l = bin(add ? Node::Add : Node::Sub, l, product());
      } else {
        return l;
      }
    }
  }

 private:
  static NodeP bin(Node::Kind k, NodeP a, NodeP b) {
    auto n = std::make_shared<Node>();
    n->kind = k;
    n->a = std::move(a);
    n->b = std::move(b);
    return n;
  }
  NodeP product() {
    NodeP l = unary();
    for (;;) {
      ws();
      if (i_ < t_.size() && (t_[i_] == '*' || t_[i_] == '/')) {
        const bool mul = t_[i_++] == '*';
        l = bin(mul ? Node::Mul : Node::Div, l, unary());
      } else {
        return l;
      }
    }
  }
  std::string word() {
    const size_t s = i_;
    while (i_ < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[i_])) || t_[i_] == '_')) ++i_;
    return t_.substr(s, i_ - s);
  }
  std::string pointer() {
    if (i_ >= t_.size() || t_[i_] != '/') fail("expected a JSON Pointer starting with '/'");
    const size_t s = i_;
    while (i_ < t_.size() && !std::isspace(static_cast<unsigned char>(t_[i_])) && t_[i_] != ',' && t_[i_] != ')') ++i_;
    return t_.substr(s, i_ - s);
  }
  std::string column() {
    const size_t s = i_;
    while (i_ < t_.size() && !std::isspace(static_cast<unsigned char>(t_[i_])) && t_[i_] != ',' && t_[i_] != ')') ++i_;
    if (i_ == s) fail("expected a name");
    return t_.substr(s, i_ - s);
  }
  double number() {
    ws();
    const char* start = t_.c_str() + i_;
    char* end = nullptr;
    const double v = std::strtod(start, &end);
    if (end == start) fail("expected a number");
    i_ += static_cast<size_t>(end - start);
    return v;
  }
  // STEP '.series:' COLUMN or STEP '.events:' TYPE, as a function argument.
  void step_source(Node& n, const std::string& source) {
    ws();
    n.step = word();
    if (n.step.empty()) fail("expected a step id");
    if (!eat("." + source + ":")) fail("expected \"" + n.step + "." + source + ":\"");
    ws();
    n.path = column();
  }
  NodeP unary() {
    ws();
    if (i_ >= t_.size()) fail("expected a value");
    const char c = t_[i_];
    if (c == '-') {
      ++i_;
      auto n = std::make_shared<Node>();
      n->kind = Node::Neg;
      n->a = unary();
      return n;
    }
    if (c == '(') {
      ++i_;
      NodeP inner = sum();
      if (!eat(")")) fail("expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      auto n = std::make_shared<Node>();
      n->num = number();
      return n;
    }
    auto n = std::make_shared<Node>();
    if (c == '/') {
      n->kind = Node::Summary;
      n->path = pointer();
      return n;
    }
    const size_t start = i_;
    const std::string w = word();
    if (w.empty()) fail("expected a number, a reference or a function");
    if (eat("(")) {
      if (w == "max" || w == "min" || w == "mean" || w == "sum") {
        n->kind = Node::Series;
        n->func = w;
        step_source(*n, "series");
        if (eat(",")) {
          n->from = number();
          if (!eat(",")) fail("expected ', TO_S'");
          n->to = number();
        }
      } else if (w == "count") {
        n->kind = Node::Count;
        step_source(*n, "events");
      } else if (w == "len" || w == "exists") {
        n->kind = w == "len" ? Node::Len : Node::Exists;
        NodeP r = unary();
        if (r->kind != Node::Summary && r->kind != Node::Knob) fail(w + "() takes a reference");
        n->step = r->step;
        n->path = r->path;
        n->func = r->kind == Node::Knob ? "knob" : "summary";
      } else {
        i_ = start;
        fail("unknown function \"" + w + "\" (max, min, mean, sum, count, len, exists)");
      }
      if (!eat(")")) fail("expected ')'");
      return n;
    }
    if (t_.compare(i_, 6, ".knob:") == 0) {
      i_ += 6;
      n->kind = Node::Knob;
    } else if (i_ < t_.size() && t_[i_] == ':') {
      ++i_;
      n->kind = Node::Summary;
    } else {
      i_ = start;
      fail("expected STEP:/pointer, STEP.knob:/pointer, a function or a number");
    }
    n->step = w;
    n->path = pointer();
    return n;
  }

  const std::string& t_;
  size_t i_ = 0;
};

std::string ref_text(const Node& n) {
  const std::string step = n.step.empty() ? "" : n.step;
  switch (n.kind) {
    case Node::Summary:
      return (step.empty() ? "" : step + ":") + n.path;
    case Node::Knob:
      return (step.empty() ? "" : step) + ".knob:" + n.path;
    case Node::Series: {
      std::string s = n.func + "(" + step + ".series:" + n.path;
      if (n.from) s += ", " + format_number(*n.from) + ", " + format_number(*n.to);
      return s + ")";
    }
    case Node::Count:
      return "count(" + step + ".events:" + n.path + ")";
    case Node::Len:
      return "len(" + step + (n.func == "knob" ? ".knob:" : ":") + n.path + ")";
    case Node::Exists:
      return "exists(" + step + (n.func == "knob" ? ".knob:" : ":") + n.path + ")";
    default:
      return "";
  }
}

std::optional<double> as_number(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (v.is_boolean()) return v.get<bool>() ? 1.0 : 0.0;
  return std::nullopt;
}

struct Eval {
  const Steps& steps;
  const std::string& current;
  std::vector<Reading>* readings;

  const StepResult* step(const Node& n, std::string& why) const {
    const std::string id = n.step.empty() ? current : n.step;
    auto it = steps.find(id);
    if (it == steps.end() || !it->second) {
      why = "step \"" + id + "\" was not run";
      return nullptr;
    }
    return it->second;
  }

  std::optional<double> read(const Node& n) const {
    std::string why;
    std::optional<double> v;
    if (const StepResult* r = step(n, why)) v = leaf(n, *r, why);
    if (readings) {
      const std::string text = ref_text(n);
      bool seen = false;
      for (const auto& x : *readings) seen = seen || x.ref == text;
      if (!seen) readings->push_back({text, v, why});
    }
    return v;
  }

  static std::optional<double> leaf(const Node& n, const StepResult& r, std::string& why) {
    switch (n.kind) {
      case Node::Summary:
      case Node::Knob:
      case Node::Len:
      case Node::Exists: {
        const json& doc = (n.kind == Node::Knob || n.func == "knob") ? r.knobs : r.summary;
        json::json_pointer p;
        try {
          p = json::json_pointer(n.path);
        } catch (const std::exception&) {
          why = "not a JSON Pointer";
          return std::nullopt;
        }
        if (n.kind == Node::Exists) return doc.contains(p) && !doc.at(p).is_null() ? 1.0 : 0.0;
        if (!doc.contains(p)) {
          why = std::string("no such field in ") + (doc.is_null()          ? "(nothing)"
                                                    : n.kind == Node::Knob ? "the scenario"
                                                                           : "summary.json");
          return std::nullopt;
        }
        const json& v = doc.at(p);
        if (n.kind == Node::Len) {
          if (v.is_array() || v.is_object()) return static_cast<double>(v.size());
          why = "not an array";
          return std::nullopt;
        }
        if (v.is_null()) {
          why = "null (it did not happen in this run)";
          return std::nullopt;
        }
        auto d = as_number(v);
        if (!d) why = "not a number: " + v.dump();
        return d;
      }
      case Node::Series: {
        size_t col = r.series.columns.size(), warm = r.series.columns.size(), t = r.series.columns.size();
        for (size_t i = 0; i < r.series.columns.size(); ++i) {
          if (r.series.columns[i] == n.path) col = i;
          if (r.series.columns[i] == "warmup") warm = i;
          if (r.series.columns[i] == "t_s") t = i;
        }
        if (col == r.series.columns.size()) {
          why = "no such column in series.csv";
          return std::nullopt;
        }
        double acc = 0;
        size_t count = 0;
        for (const auto& row : r.series.rows) {
          if (col >= row.size() || row[col].empty()) continue;
          if (n.from) {
            const double ts = std::strtod(row[t].c_str(), nullptr);
            if (!(ts > *n.from && ts <= *n.to)) continue;
          } else if (warm < row.size() && row[warm] == "1") {
            continue;
          }
          char* end = nullptr;
          const double v = std::strtod(row[col].c_str(), &end);
          if (end == row[col].c_str()) continue;  // a text column (a node's role)
          if (count == 0)
            acc = v;
          else if (n.func == "max")
            acc = std::max(acc, v);
          else if (n.func == "min")
            acc = std::min(acc, v);
          else
            acc += v;
          ++count;
        }
        if (count == 0) {
          why = "no rows with a value";
          return std::nullopt;
        }
        return n.func == "mean" ? acc / static_cast<double>(count) : acc;
      }
      case Node::Count: {
        double c = 0;
        for (const auto& e : r.events)
          if (e.value("type", "") == n.path) ++c;
        return c;
      }
      default:
        return std::nullopt;
    }
  }

  std::optional<double> operator()(const Node& n) const {
    switch (n.kind) {
      case Node::Num:
        return n.num;
      case Node::Neg: {
        auto a = (*this)(*n.a);
        return a ? std::optional<double>(-*a) : std::nullopt;
      }
      case Node::Add:
      case Node::Sub:
      case Node::Mul:
      case Node::Div: {
        auto a = (*this)(*n.a);
        auto b = (*this)(*n.b);
        if (!a || !b) return std::nullopt;
        if (n.kind == Node::Add) return *a + *b;
        if (n.kind == Node::Sub) return *a - *b;
        if (n.kind == Node::Mul) return *a * *b;
        if (*b == 0) return std::nullopt;
        return *a / *b;
      }
      default:
        return read(n);
    }
  }
};

void collect_steps(const Node& n, std::vector<std::string>& out) {
  if (n.kind == Node::Summary || n.kind == Node::Knob || n.kind == Node::Series || n.kind == Node::Count ||
      n.kind == Node::Len || n.kind == Node::Exists) {
    for (const auto& s : out)
      if (s == n.step) return;
    out.push_back(n.step);
    return;
  }
  if (n.a) collect_steps(*n.a, out);
  if (n.b) collect_steps(*n.b, out);
}

}  // namespace

Expr Expr::parse(const std::string& text) {
  Parser p(text);
  Expr e;
  e.text_ = text;
  e.sides_.push_back(p.sum());
  for (std::string op = p.comparator(); !op.empty(); op = p.comparator()) {
    e.ops_.push_back(op);
    e.sides_.push_back(p.sum());
  }
  if (!p.at_end()) p.fail("unexpected text");
  return e;
}

std::vector<std::string> Expr::steps() const {
  std::vector<std::string> out;
  for (const auto& s : sides_) collect_steps(*s, out);
  return out;
}

std::optional<double> Expr::value(const Steps& steps, const std::string& current,
                                  std::vector<Reading>* readings) const {
  if (sides_.empty()) return std::nullopt;
  return Eval{steps, current, readings}(*sides_.front());
}

Expr::Verdict Expr::check(const Steps& steps, const std::string& current) const {
  Verdict v;
  v.ops = ops_;
  Eval ev{steps, current, &v.readings};
  std::vector<std::optional<double>> sides;
  for (const auto& s : sides_) sides.push_back(ev(*s));
  for (const auto& s : sides) {
    if (!s)
      v.undefined = true;
    else
      v.sides.push_back(*s);
  }
  if (v.undefined || ops_.empty()) return v;
  v.pass = true;
  for (size_t i = 0; i < ops_.size(); ++i) {
    const double a = v.sides[i], b = v.sides[i + 1];
    const std::string& op = ops_[i];
    const bool ok = op == "<"    ? a < b
                    : op == "<=" ? a <= b
                    : op == ">"  ? a > b
                    : op == ">=" ? a >= b
                    : op == "==" ? a == b
                                 : a != b;
    v.pass = v.pass && ok;
  }
  return v;
}

std::string format_number(double v, int decimals) {
  if (!std::isfinite(v)) return std::isnan(v) ? "nan" : (v > 0 ? "inf" : "-inf");
  const bool automatic = decimals < 0;
  if (automatic) {  // about four significant digits, trailing zeros dropped
    const double a = std::fabs(v);
    if (a == std::floor(a) && a < 1e15)
      decimals = 0;
    else if (a >= 1000)
      decimals = 0;
    else if (a >= 100)
      decimals = 1;
    else if (a >= 10)
      decimals = 2;
    else if (a >= 1)
      decimals = 3;
    else if (a >= 0.001)
      decimals = 4;
    else
      decimals = 6;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string digits = buf;
  if (automatic && digits.find('.') != std::string::npos) {
    while (digits.back() == '0') digits.pop_back();
    if (digits.back() == '.') digits.pop_back();
  }
  // Thousands separators in the integer part (built afresh: GCC 12 warns wrongly on string::insert here).
  const size_t start = (digits[0] == '-') ? 1 : 0;
  size_t dot = digits.find('.');
  if (dot == std::string::npos) dot = digits.size();
  std::string s = digits.substr(0, start);
  for (size_t i = start; i < dot; ++i) {
    s.push_back(digits[i]);
    const size_t left = dot - i - 1;
    if (left > 0 && left % 3 == 0) s.push_back(',');
  }
  s.append(digits, dot, std::string::npos);
  if (start == 1 && s.find_first_not_of("-0.,") == std::string::npos) s.erase(0, 1);  // "-0.00" -> "0.00"
  return s;
}

}  // namespace cachelab::lesson
