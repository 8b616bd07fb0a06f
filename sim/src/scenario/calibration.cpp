#include "cachelab/scenario/calibration.hpp"

#include <cmath>

#include "cachelab/io/input_file.hpp"
#include "cachelab/scenario/loader.hpp"
#include "json_scan.hpp"

namespace cachelab {

using json = nlohmann::json;

namespace {

// What a knob's value must be, for the error message, and whether `v` is it.
struct CalibrationKnobRule {
  const char* pointer;
  bool distribution;  // {"dist": "fixed", "value": x} (a sampled knob held at its measured value) or a bare number
  bool zero_ok;       // 0 is a measurement (no cost per byte), else the value must be above 0
};

constexpr CalibrationKnobRule kCalibrationRules[] = {
    {"/network/rtt_us", true, false},
    {"/cluster/service_us", true, false},
    {"/cluster/get_ns_per_reply_byte", false, true},
    {"/network/nic_gbps", false, false},
};

std::string calibration_found(const json& v) {
  std::string text = v.dump();
  if (text.size() > 80) text = text.substr(0, 77) + "...";
  return v.type_name() + std::string(" ") + text;
}

bool calibration_number_ok(const json& v, bool zero_ok) {
  if (!v.is_number()) return false;
  const double x = v.get<double>();
  return std::isfinite(x) && (x > 0 || (zero_ok && x == 0)) && x < 1e12;
}

// "/knobs/~1network~1rtt_us": a knob's place in the file as a JSON Pointer (RFC 6901 escapes '~' and '/').
std::string calibration_knob_path(const std::string& key) {
  std::string escaped;
  for (const char c : key) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return "/knobs/" + escaped;
}

}  // namespace

const std::vector<std::string>& calibration_knobs() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (const auto& r : kCalibrationRules) n.emplace_back(r.pointer);
    return n;
  }();
  return names;
}

std::vector<std::string> calibration_overrides_from(const json& doc, const std::string& file) {
  std::vector<schema::Issue> issues;
  if (!doc.is_object()) throw ScenarioError(file, {{"", "a calibration object", calibration_found(doc)}});
  for (const auto& [key, value] : doc.items()) {
    if (key != "cachelab_calibration" && key != "knobs" && key != "measured" && key != "rounds" && key != "check")
      issues.push_back({"/" + key, "one of cachelab_calibration, knobs, measured, rounds, check", "an unknown member"});
  }
  if (!doc.contains("cachelab_calibration"))
    issues.push_back({"/cachelab_calibration", "the format version " + std::to_string(kCalibrationFormat),
                      "nothing (is this a file `cachelab-live calibrate` wrote?)"});
  else if (doc["cachelab_calibration"] != kCalibrationFormat)
    issues.push_back({"/cachelab_calibration", "the format version " + std::to_string(kCalibrationFormat),
                      calibration_found(doc["cachelab_calibration"])});
  std::vector<std::string> out;
  if (!doc.contains("knobs") || !doc["knobs"].is_object() || doc["knobs"].empty()) {
    issues.push_back({"/knobs", "an object of at least one knob (JSON Pointer: value)",
                      doc.contains("knobs") ? calibration_found(doc["knobs"]) : "nothing"});
  } else {
    const json& knobs = doc["knobs"];
    for (const auto& [key, value] : knobs.items()) {
      bool known = false;
      for (const auto& r : kCalibrationRules) known = known || key == r.pointer;
      if (!known) {
        std::string list;
        for (const auto& r : kCalibrationRules) list += (list.empty() ? "" : ", ") + std::string(r.pointer);
        issues.push_back({calibration_knob_path(key), "a knob a calibration sets (" + list + ")", "an unknown one"});
      }
    }
    for (const auto& r : kCalibrationRules) {
      if (!knobs.contains(r.pointer)) continue;
      const json& v = knobs[r.pointer];
      const std::string where = calibration_knob_path(r.pointer);
      bool ok;
      if (r.distribution) {
        ok = v.is_object() && v.size() == 2 && v.contains("dist") && v["dist"] == "fixed" && v.contains("value") &&
             calibration_number_ok(v["value"], r.zero_ok);
      } else {
        ok = calibration_number_ok(v, r.zero_ok);
      }
      if (!ok) {
        const std::string bound = r.zero_ok ? "a number of at least 0" : "a number above 0";
        issues.push_back(
            {where, r.distribution ? "{\"dist\": \"fixed\", \"value\": " + bound + "}" : bound, calibration_found(v)});
        continue;
      }
      out.push_back(std::string(r.pointer) + "=" + v.dump());
    }
  }
  if (!issues.empty()) throw ScenarioError(file, std::move(issues));
  return out;
}

std::vector<std::string> calibration_overrides(const std::string& path) {
  std::string text;
  try {
    text = io::read_regular_file(path, kMaxCalibrationFileBytes, "calibration file");
  } catch (const io::InputError& e) {
    throw ScenarioError(
        path, {{"", "a regular calibration file of at most " + io::bytes_text(kMaxCalibrationFileBytes), e.found()}});
  }
  const scan::Result checked = scan::scan(text);
  if (!checked.parsed) throw ScenarioError(path, {{"", "valid JSON", checked.error}});
  if (!checked.issues.empty()) throw ScenarioError(path, checked.issues);
  return calibration_overrides_from(json::parse(text), path);
}

std::vector<std::string> with_calibration(const std::string& path, const std::vector<std::string>& sets,
                                          CalibrationUse* use) {
  if (use) *use = {};
  if (path.empty()) return sets;
  std::vector<std::string> all = calibration_overrides(path);
  if (use) *use = {path, all.size()};
  all.insert(all.end(), sets.begin(), sets.end());
  return all;
}

}  // namespace cachelab
