#include "cachelab/schema/schema.hpp"

#include "cachelab/schema/json_pointer.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace cachelab::schema {

static constexpr double kMaxExactInteger = 9007199254740991.0;

FieldSpec integer(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Integer;
  return f;
}
FieldSpec number(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Number;
  return f;
}
FieldSpec boolean(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Boolean;
  return f;
}
FieldSpec string(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::String;
  return f;
}
FieldSpec size(std::string name) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Size;
  f.unit = "bytes";
  return f;
}
FieldSpec enumeration(std::string name, std::vector<std::string> choices) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Enum;
  f.choices = std::move(choices);
  return f;
}
FieldSpec object(std::string name, ObjectPtr spec) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Object;
  f.object = std::move(spec);
  f.def = json::object();
  return f;
}
FieldSpec array(std::string name, ObjectPtr element) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Array;
  f.object = std::move(element);
  f.def = json::array();
  return f;
}
FieldSpec variant_array(std::string name, std::string tag, std::vector<std::pair<std::string, ObjectPtr>> variants) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Array;
  f.tag = std::move(tag);
  f.variants = std::move(variants);
  f.def = json::array();
  return f;
}
FieldSpec variant(std::string name, std::string tag, std::vector<std::pair<std::string, ObjectPtr>> variants) {
  FieldSpec f;
  f.name = std::move(name);
  f.kind = Kind::Variant;
  f.tag = std::move(tag);
  f.variants = std::move(variants);
  return f;
}

std::string escape_pointer_token(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

static const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
      return "an integer";
    case json::value_t::number_float:
      return "a number";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    default:
      return "something else";
  }
}

std::string describe_found(const json& v) {
  if (v.is_null()) return "null";
  if (v.is_object()) return "an object";
  if (v.is_array()) return "an array of " + std::to_string(v.size());
  std::string text = v.dump();
  if (text.size() > 48) text = text.substr(0, 45) + "...";
  return text + " (" + type_name(v) + ")";
}

bool parse_size(const std::string& text, uint64_t& bytes) {
  std::string t;
  for (char c : text) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  size_t i = 0;
  while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) ++i;
  if (i == 0 || i > 18) return false;
  const uint64_t n = std::stoull(t.substr(0, i));
  const std::string unit = t.substr(i);
  uint64_t mul;
  if (unit.empty() || unit == "b")
    mul = 1;
  else if (unit == "k")
    mul = 1000;
  else if (unit == "kb")
    mul = 1024;
  else if (unit == "m")
    mul = 1000 * 1000;
  else if (unit == "mb")
    mul = 1024 * 1024;
  else if (unit == "g")
    mul = 1000ull * 1000 * 1000;
  else if (unit == "gb")
    mul = 1024ull * 1024 * 1024;
  else
    return false;
  if (n > UINT64_MAX / mul) return false;
  bytes = n * mul;
  return true;
}

static size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      const size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  // Edit distance is quadratic: a hint for a long word (a mutated file) is not worth it.
  if (word.size() > 64) return "";
  std::string best;
  size_t best_d = SIZE_MAX;
  for (const auto& c : candidates) {
    size_t d = edit_distance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  const size_t limit = std::max<size_t>(2, word.size() / 3);
  return best_d <= limit ? best : "";
}

// A knob in a time unit with no declared maximum is at most about three years (1e8 s): virtual time is int64
// nanoseconds (292 years), and a few such delays added together must still fit (1e12 s of service time wrapped to
// "event scheduled in the past (-9223372036854... ns)"). A rate is at most 1e8 per second (the simulator runs ~2e6
// requests per second of wall time). Issue 21.
static double implicit_max(const std::string& unit) {
  if (unit == "s") return 1e8;
  if (unit == "ms") return 1e11;
  if (unit == "us") return 1e14;
  if (unit == "1/s") return 1e8;
  return std::numeric_limits<double>::infinity();
}

static double effective_hi(const FieldSpec& f) { return std::isfinite(f.hi) ? f.hi : implicit_max(f.unit); }

static std::string range_text(const FieldSpec& f) {
  std::ostringstream os;
  auto num = [](double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  };
  const double hi = f.kind == Kind::Variant ? f.hi : effective_hi(f);
  const bool has_lo = std::isfinite(f.lo), has_hi = std::isfinite(hi);
  if (has_lo && has_hi) {
    os << (f.lo_open ? "> " : ">= ") << num(f.lo) << " and " << (f.hi_open ? "< " : "<= ") << num(hi);
  } else if (has_lo) {
    os << (f.lo_open ? "> " : ">= ") << num(f.lo);
  } else if (has_hi) {
    os << (f.hi_open ? "< " : "<= ") << num(hi);
  }
  return os.str();
}

// An array declared without an element spec (array(name, nullptr)) holds scalars: numbers or strings, such as a
// plan's candidate values. What each one means is checked by the owner (the plan checks a value through the knob
// it names), since one list can hold values of any knob.
static bool scalar_list(const FieldSpec& f) { return f.kind == Kind::Array && !f.object && f.variants.empty(); }

static std::string expected_text(const FieldSpec& f) {
  std::string base;
  switch (f.kind) {
    case Kind::Integer:
      base = "an integer";
      break;
    case Kind::Number:
      base = "a number";
      break;
    case Kind::Boolean:
      base = "true or false";
      break;
    case Kind::String:
      base = f.check_doc.empty() ? "a string" : "a string (" + f.check_doc + ")";
      break;
    case Kind::Size:
      base = "a size in bytes: an integer or a string like \"256mb\" (units b, k, kb, m, mb, g, gb)";
      break;
    case Kind::Enum: {
      base = "one of";
      for (size_t i = 0; i < f.choices.size(); ++i) base += (i ? ", \"" : " \"") + f.choices[i] + "\"";
      break;
    }
    case Kind::Object:
      base = "an object";
      break;
    case Kind::Array:
      if (scalar_list(f))
        base = "an array of at most " + std::to_string(f.max_items) + " numbers or strings";
      else
        base = f.tag.empty() ? "an array of objects" : "an array of objects with \"" + f.tag + "\"";
      break;
    case Kind::Variant: {
      base = "an object with \"" + f.tag + "\" one of";
      for (size_t i = 0; i < f.variants.size(); ++i) base += (i ? ", \"" : " \"") + f.variants[i].first + "\"";
      break;
    }
  }
  const std::string r = range_text(f);
  if (!r.empty() && (f.kind == Kind::Integer || f.kind == Kind::Number || f.kind == Kind::Size)) base += " " + r;
  if (f.nullable) base += ", or null";
  return base;
}

static bool in_range(const FieldSpec& f, double v) {
  if (f.lo_open ? !(v > f.lo) : !(v >= f.lo)) return false;
  const double hi = effective_hi(f);
  if (f.hi_open && hi == f.hi ? !(v < hi) : !(v <= hi)) return false;
  return true;
}

// A distribution in a time unit: every parameter (value, mean, median, p99, min, max, stddev; not weights) within
// the unit's ceiling (implicit_max), or within the field's declared maximum.
static void check_dist_ceiling(const FieldSpec& f, const json& resolved, const std::string& ptr,
                               std::vector<Issue>& issues) {
  const double hi = effective_hi(f);
  if (!std::isfinite(hi) || !resolved.is_object()) return;
  auto visit = [&](const auto& self, const json& j, const std::string& at) -> void {
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string p = j.is_array() ? at + "/" + std::to_string(&*it - &j[0]) : at + "/" + it.key();
      if (it->is_structured())
        self(self, *it, p);
      else if (it->is_number() && (j.is_array() || it.key() != "weight") && !(it->template get<double>() <= hi)) {
        std::ostringstream os;
        os << hi;
        issues.push_back(
            {p, "at most " + os.str() + (f.unit.empty() ? "" : " " + f.unit) + " (a parameter of " + f.name + ")",
             describe_found(*it)});
      }
    }
  };
  visit(visit, resolved, ptr);
}

static json resolve_field(const FieldSpec& f, const json& v, const std::string& ptr, std::vector<Issue>& issues);

static json resolve_variant(const FieldSpec& f, const json& v, const std::string& ptr, std::vector<Issue>& issues) {
  if (!v.is_object()) {
    issues.push_back({ptr, expected_text(f), describe_found(v)});
    return json();
  }
  std::vector<std::string> names;
  for (const auto& [n, _] : f.variants) names.push_back(n);
  auto it = v.find(f.tag);
  if (it == v.end()) {
    issues.push_back({ptr + "/" + f.tag,
                      "the key \"" + f.tag + "\" (one of " +
                          [&] {
                            std::string s;
                            for (size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + names[i];
                            return s;
                          }() +
                          ")",
                      "no such key"});
    return json();
  }
  if (!it->is_string()) {
    issues.push_back({ptr + "/" + f.tag, "a string naming the kind", describe_found(*it)});
    return json();
  }
  const std::string kind = it->get<std::string>();
  for (const auto& [n, spec] : f.variants) {
    if (n != kind) continue;
    json rest = v;
    rest.erase(f.tag);
    json out = resolve(rest, *spec, ptr, issues);
    json result = json::object();
    result[f.tag] = kind;
    for (auto& [k, val] : out.items()) result[k] = val;
    return result;
  }
  std::string msg = "one of";
  for (size_t i = 0; i < names.size(); ++i) msg += (i ? ", \"" : " \"") + names[i] + "\"";
  std::string found = describe_found(*it);
  const std::string hint = did_you_mean(kind, names);
  if (!hint.empty()) found += "; did you mean \"" + hint + "\"?";
  issues.push_back({ptr + "/" + f.tag, msg, found});
  return json();
}

static json resolve_field(const FieldSpec& f, const json& v, const std::string& ptr, std::vector<Issue>& issues) {
  if (v.is_null()) {
    if (f.nullable) return json();
    issues.push_back({ptr, expected_text(f), "null"});
    return json();
  }
  switch (f.kind) {
    case Kind::Integer: {
      bool integral = v.is_number_integer() ||
                      (v.is_number_float() && std::isfinite(v.get<double>()) &&
                       std::floor(v.get<double>()) == v.get<double>() && std::fabs(v.get<double>()) < 9e15);
      if (!integral) break;
      const double d = v.get<double>();
      // Integers are read as int64 and compared as doubles: beyond 2^53 neither is exact (2^63 read as signed
      // was negative), whatever a knob's declared range.
      if (std::fabs(d) > kMaxExactInteger) {
        issues.push_back(
            {ptr, expected_text(f) + " (integers at most 2^53 - 1 = 9007199254740991 in size)", describe_found(v)});
        return json();
      }
      if (!in_range(f, d)) break;
      if (v.is_number_unsigned()) return v.get<uint64_t>();
      return static_cast<int64_t>(v.is_number_float() ? d : v.get<int64_t>());
    }
    case Kind::Number: {
      if (!v.is_number() || !std::isfinite(v.get<double>()) || !in_range(f, v.get<double>())) break;
      return v;
    }
    case Kind::Boolean:
      if (!v.is_boolean()) break;
      return v;
    case Kind::String:
      if (!v.is_string()) break;
      if (f.check && !f.check(v.get<std::string>())) break;
      return v;
    case Kind::Size: {
      uint64_t bytes = 0;
      if (v.is_number_unsigned() || (v.is_number_integer() && v.get<int64_t>() >= 0))
        bytes = v.get<uint64_t>();
      else if (!v.is_string() || !parse_size(v.get<std::string>(), bytes))
        break;
      if (!in_range(f, static_cast<double>(bytes))) break;
      return bytes;
    }
    case Kind::Enum: {
      if (!v.is_string()) break;
      const auto s = v.get<std::string>();
      if (std::find(f.choices.begin(), f.choices.end(), s) != f.choices.end()) return v;
      std::string found = describe_found(v);
      const std::string hint = did_you_mean(s, f.choices);
      if (!hint.empty()) found += "; did you mean \"" + hint + "\"?";
      issues.push_back({ptr, expected_text(f), found});
      return json();
    }
    case Kind::Object:
      if (!v.is_object()) break;
      return resolve(v, *f.object, ptr, issues);
    case Kind::Array: {
      if (!v.is_array()) break;
      if (v.size() > f.max_items) {
        issues.push_back({ptr, "at most " + std::to_string(f.max_items) + " items", describe_found(v)});
        return json();
      }
      if (scalar_list(f)) {
        for (size_t i = 0; i < v.size(); ++i)
          if (!(v[i].is_string() || (v[i].is_number() && std::isfinite(v[i].get<double>())) || v[i].is_boolean())) {
            issues.push_back({ptr + "/" + std::to_string(i), "a number, a string or true/false", describe_found(v[i])});
            return json();
          }
        return v;
      }
      json out = json::array();
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string p = ptr + "/" + std::to_string(i);
        if (!v[i].is_object()) {
          issues.push_back({p, "an object", describe_found(v[i])});
          continue;
        }
        // An array of variants (faults: each item's "action" picks its shape) or of one object shape.
        out.push_back(f.tag.empty() ? resolve(v[i], *f.object, p, issues) : resolve_variant(f, v[i], p, issues));
      }
      return out;
    }
    case Kind::Variant: {
      json out = resolve_variant(f, v, ptr, issues);
      check_dist_ceiling(f, out, ptr, issues);
      return out;
    }
  }
  issues.push_back({ptr, expected_text(f), describe_found(v)});
  return json();
}

json resolve(const json& in, const ObjectSpec& spec, const std::string& pointer, std::vector<Issue>& issues) {
  json out = json::object();
  if (!in.is_object()) {
    issues.push_back({pointer, "an object", describe_found(in)});
    return out;
  }
  std::vector<std::string> names;
  for (const auto& f : spec.fields) names.push_back(f.name);
  for (auto it = in.begin(); it != in.end(); ++it) {
    if (spec.find(it.key())) continue;
    std::string found = "unknown key \"" + it.key() + "\"";
    const std::string hint = issues.size() < 100 ? did_you_mean(it.key(), names) : std::string();
    if (!hint.empty()) found += "; did you mean \"" + hint + "\"?";
    std::string expected = "one of the known keys";
    if (names.size() <= 12) {
      expected = "one of the keys";
      for (size_t i = 0; i < names.size(); ++i) expected += (i ? ", " : " ") + names[i];
    }
    issues.push_back({pointer + "/" + escape_pointer_token(it.key()), expected, found});
  }
  const size_t issues_before = issues.size();
  for (const auto& f : spec.fields) {
    const std::string p = pointer + "/" + escape_pointer_token(f.name);
    auto it = in.find(f.name);
    if (it == in.end()) {
      if (f.required) {
        issues.push_back({p, expected_text(f) + " (required)", "nothing: the key is missing"});
        continue;
      }
      // Defaults go through the same resolution, so nested objects get their own defaults filled in.
      out[f.name] = f.def.is_null() ? json() : resolve_field(f, f.def, p, issues);
      continue;
    }
    out[f.name] = resolve_field(f, *it, p, issues);
  }
  if (spec.cross_check && issues.size() == issues_before) {
    spec.cross_check(out, [&](const std::string& rel, const std::string& expected, const std::string& found) {
      issues.push_back({pointer + rel, expected, found});
    });
  }
  return out;
}

std::string kind_text(const FieldSpec& f) {
  switch (f.kind) {
    case Kind::Integer:
      return "integer";
    case Kind::Number:
      return "number";
    case Kind::Boolean:
      return "boolean";
    case Kind::String:
      return "string";
    case Kind::Size:
      return "size";
    case Kind::Enum: {
      std::string s;
      for (size_t i = 0; i < f.choices.size(); ++i) s += (i ? "|" : "") + f.choices[i];
      return s;
    }
    case Kind::Object:
      return "object";
    case Kind::Array:
      return scalar_list(f) ? "list" : "array";
    case Kind::Variant: {
      std::string s = f.tag + ":";
      for (size_t i = 0; i < f.variants.size(); ++i) s += (i ? "|" : "") + f.variants[i].first;
      return s;
    }
  }
  return "?";
}

std::vector<KnobRow> list_knobs(const ObjectSpec& spec, const std::string& prefix) {
  std::vector<KnobRow> rows;
  for (const auto& f : spec.fields) {
    const std::string p = prefix + "/" + f.name;
    std::string type = kind_text(f);
    std::string r = range_text(f);
    if (!r.empty()) type += " " + r;
    if (f.nullable) type += " or null";
    std::string def = f.required ? "(required)" : (f.kind == Kind::Object ? "" : f.def.dump());
    rows.push_back({p, type, f.unit, def, f.doc});
    if (f.kind == Kind::Array && !f.tag.empty()) {
      for (const auto& [n, vs] : f.variants) {
        auto sub = list_knobs(*vs, p + "/N{" + f.tag + "=" + n + "}");
        rows.insert(rows.end(), sub.begin(), sub.end());
      }
    } else if ((f.kind == Kind::Object || f.kind == Kind::Array) && f.object) {
      auto sub = list_knobs(*f.object, f.kind == Kind::Array ? p + "/N" : p);
      rows.insert(rows.end(), sub.begin(), sub.end());
    } else if (f.kind == Kind::Variant) {
      for (const auto& [n, vs] : f.variants) {
        auto sub = list_knobs(*vs, p + "{" + f.tag + "=" + n + "}");
        rows.insert(rows.end(), sub.begin(), sub.end());
      }
    }
  }
  return rows;
}

}  // namespace cachelab::schema
