#pragma once
// The scenario schema: every knob is declared once, here-in-data (name, type, unit, default, range, one-line doc),
// and the same declaration drives validation, default filling, error messages and `cachelab knobs`.
// A declaration is a tree: objects hold fields; a field is a scalar, a size ("256mb"), an enum, a nested object,
// an array of objects, or a variant (an object whose "dist" or "action" key picks one of several shapes).
#include <functional>
#include <limits>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab::schema {

using nlohmann::json;

enum class Kind { Integer, Number, Boolean, String, Size, Enum, Object, Array, Variant };

struct ObjectSpec;
using ObjectPtr = std::shared_ptr<const ObjectSpec>;

struct FieldSpec {
  std::string name;
  Kind kind = Kind::Number;
  std::string unit;  // shown by `cachelab knobs`; the key name carries it too (`_ms`, `_s`, `_us`)
  std::string doc;
  json def;  // resolved default; ignored when required
  bool required = false;
  bool nullable = false;  // null (or absence, when def is null) means "off"
  double lo = -std::numeric_limits<double>::infinity();
  double hi = std::numeric_limits<double>::infinity();
  bool lo_open = false, hi_open = false;
  std::vector<std::string> choices;               // Enum
  std::function<bool(const std::string&)> check;  // String: extra check
  std::string check_doc;                          // what `check` expects, for the error message
  ObjectPtr object;                               // Object; Array elements
  std::string tag;                                // Variant: discriminating key
  std::vector<std::pair<std::string, ObjectPtr>> variants;
  size_t max_items = 100000;  // Array

  // Fluent setters, so declarations read like a table.
  FieldSpec& dflt(json v) {
    def = std::move(v);
    return *this;
  }
  FieldSpec& req() {
    required = true;
    return *this;
  }
  FieldSpec& null_ok() {
    nullable = true;
    return *this;
  }
  FieldSpec& min(double v, bool open = false) {
    lo = v;
    lo_open = open;
    return *this;
  }
  FieldSpec& max(double v, bool open = false) {
    hi = v;
    hi_open = open;
    return *this;
  }
  FieldSpec& in(std::string u) {
    unit = std::move(u);
    return *this;
  }
  FieldSpec& about(std::string d) {
    doc = std::move(d);
    return *this;
  }
};

struct ObjectSpec {
  std::string doc;
  std::vector<FieldSpec> fields;
  // Checks across fields of one resolved object (warmup_s < duration_s, ...): (resolved, report(rel_ptr, expected, found)).
  std::function<void(const json&,
                     const std::function<void(const std::string&, const std::string&, const std::string&)>&)>
      cross_check;
  const FieldSpec* find(const std::string& name) const {
    for (const auto& f : fields)
      if (f.name == name) return &f;
    return nullptr;
  }
};

// A new object spec with its doc, for declaring knob groups (knobs.cpp, workload_knobs.cpp, lessons).
inline std::shared_ptr<ObjectSpec> object_spec(std::string doc) {
  auto o = std::make_shared<ObjectSpec>();
  o->doc = std::move(doc);
  return o;
}

FieldSpec integer(std::string name);
FieldSpec number(std::string name);
FieldSpec boolean(std::string name);
FieldSpec string(std::string name);
FieldSpec size(std::string name);  // bytes, as an integer or a redis.conf string ("256mb")
FieldSpec enumeration(std::string name, std::vector<std::string> choices);
FieldSpec object(std::string name, ObjectPtr spec);
FieldSpec array(std::string name, ObjectPtr element);
FieldSpec variant(std::string name, std::string tag, std::vector<std::pair<std::string, ObjectPtr>> variants);
// An array whose items are variants picked by `tag` (the fault timeline: each item's "action").
FieldSpec variant_array(std::string name, std::string tag, std::vector<std::pair<std::string, ObjectPtr>> variants);

// One problem found in a scenario: where (a JSON Pointer), what was expected, what was found.
struct Issue {
  std::string pointer;
  std::string expected;
  std::string found;
};

// Validates `in` against `spec` and returns it with every default filled in. Every problem is appended to `issues`
// (validation goes on after the first one, so one run reports them all).
json resolve(const json& in, const ObjectSpec& spec, const std::string& pointer, std::vector<Issue>& issues);

// redis.conf memory units (config.c memtoll): plain bytes, k/kb/m/mb/g/gb, case-insensitive; k = 1000, kb = 1024.
// Returns false on anything else.
bool parse_size(const std::string& text, uint64_t& bytes);

// The closest candidate to `word` (edit distance), or "" when nothing is close enough to be a useful suggestion.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// Short rendering of a JSON value for error messages: `"abc" (a string)`, `-1 (a number)`.
std::string describe_found(const json& v);

// A knob's type as `cachelab knobs` prints it: "integer", "list", the enum's names joined by '|', "tag:a|b".
std::string kind_text(const FieldSpec& f);

// One row per knob, depth first, for `cachelab knobs`.
struct KnobRow {
  std::string pointer, type, unit, default_text, doc;
};
std::vector<KnobRow> list_knobs(const ObjectSpec& spec, const std::string& prefix = "");

}  // namespace cachelab::schema
