#include "cachelab/sweep/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "cachelab/results/slo_text.hpp"

namespace cachelab::sweep {

using nlohmann::json;

const std::vector<std::string>& metric_names() {
  static const std::vector<std::string> names = {
      "hit_ratio",  "latency_p50_ms",        "latency_p99_ms",        "latency_p999_ms", "throughput_per_s",
      "error_rate", "origin_requests_per_s", "origin_latency_p99_ms", "evicted_keys"};
  return names;
}

json metrics_of(const json& s) {
  auto num = [](const json& v) { return v.is_number() ? v : json(); };
  auto ms = [&](const json& v) { return v.is_number() ? json(v.get<double>() / 1000.0) : json(); };
  const double requests = s.value("requests", 0.0);
  const double measured = s.value("measured_s", 0.0);
  return {
      {"hit_ratio", num(s.at("hit_ratio"))},
      {"latency_p50_ms", ms(s.at("latency_us").at("p50"))},
      {"latency_p99_ms", ms(s.at("latency_us").at("p99"))},
      {"latency_p999_ms", ms(s.at("latency_us").at("p999"))},
      {"throughput_per_s", num(s.value("throughput_per_s", json()))},
      {"error_rate", requests > 0 ? json(s.value("failed_requests", 0.0) / requests) : json()},
      {"origin_requests_per_s", measured > 0 ? json(s.at("origin").at("requests").get<double>() / measured) : json()},
      {"origin_latency_p99_ms", ms(s.at("origin").at("latency_us").at("p99"))},
      {"evicted_keys", num(s.at("evicted_keys"))}};
}

json point_json(const std::vector<Axis>& axes, const GridPoint& p, const std::vector<RunRecord>& runs) {
  json knobs = json::object();
  for (size_t k = 0; k < axes.size(); ++k) knobs[axes[k].pointer] = p.values[k];
  json run_list = json::array();
  for (const auto& r : runs)
    run_list.push_back({{"seed", r.seed}, {"dir", r.dir}, {"metrics", r.metrics}, {"slo", r.slo}});
  json metrics = json::object();
  for (const auto& name : metric_names()) {
    std::vector<double> xs;
    for (const auto& r : runs)
      if (r.metrics.at(name).is_number()) xs.push_back(r.metrics.at(name).get<double>());
    if (xs.empty()) {
      metrics[name] = {{"mean", nullptr}, {"sd", nullptr}, {"min", nullptr}, {"max", nullptr}, {"n", 0}};
      continue;
    }
    double mean = 0;
    for (double x : xs) mean += x / static_cast<double>(xs.size());
    double var = 0;
    for (double x : xs) var += (x - mean) * (x - mean);
    metrics[name] = {{"mean", mean},
                     {"sd", xs.size() > 1 ? json(std::sqrt(var / static_cast<double>(xs.size() - 1))) : json()},
                     {"min", *std::min_element(xs.begin(), xs.end())},
                     {"max", *std::max_element(xs.begin(), xs.end())},
                     {"n", xs.size()}};
  }
  // SLOs in the order the first run lists them (evaluate_slos' fixed order).
  json slos = json::array();
  bool all = true;
  if (!runs.empty())
    for (const auto& first : runs.front().slo) {
      const std::string name = first.at("name"), id = results::slo_id(first);  // a stream's SLO: by its stream too
      int passes = 0, n = 0, nv = 0;
      double margin_min = INFINITY, value_sum = 0;
      bool margin_known = true;
      for (const auto& r : runs)
        for (const auto& x : r.slo)
          if (results::slo_id(x) == id) {
            ++n;
            passes += x.at("pass").get<bool>();
            if (x.at("margin").is_number())
              margin_min = std::min(margin_min, x.at("margin").get<double>());
            else
              margin_known = false;
            if (x.at("value").is_number()) {
              value_sum += x.at("value").get<double>();
              ++nv;
            }
          }
      const bool pass = passes == n && n > 0;
      all = all && pass;
      json row = {{"name", name},
                  {"target", first.at("target")},
                  {"runs", n},
                  {"passes", passes},
                  {"pass", pass},
                  {"margin_min", margin_known ? json(margin_min) : json()},
                  {"value_mean", nv ? json(value_sum / nv) : json()}};
      if (first.contains("stream")) row["stream"] = first.at("stream");
      slos.push_back(std::move(row));
    }
  return {{"index", p.index},   {"knobs", knobs}, {"runs", run_list},
          {"metrics", metrics}, {"slo", slos},    {"slo_pass", all}};
}

json sweep_json(const std::string& scenario_file, const std::string& name, const std::vector<Axis>& axes,
                const std::vector<uint64_t>& seeds, const Shard& shard, std::vector<json> points) {
  std::sort(points.begin(), points.end(), [](const json& a, const json& b) { return a.at("index") < b.at("index"); });
  json ax = json::array();
  size_t total = 1;
  for (const auto& a : axes) {
    ax.push_back({{"pointer", a.pointer}, {"values", a.values}});
    total *= a.values.size();
  }
  return {{"cachelab_version", CACHELAB_VERSION},
          {"scenario_file", scenario_file},
          {"name", name},
          {"axes", ax},
          {"seeds", seeds},
          {"shard", {{"index", shard.index}, {"count", shard.count}}},
          {"points_total", total},
          {"complete", points.size() == total},
          {"points", points}};
}

namespace {
std::string cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) {
    std::string s = v.get<std::string>();
    if (s.find_first_of(",\"\n") == std::string::npos) return s;
    std::string q = "\"";
    for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
    return q + "\"";
  }
  if (v.is_number_integer() || v.is_number_unsigned()) return v.dump();
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.9g", v.get<double>());
  return buf;
}
}  // namespace

std::string format_sweep_csv(const json& sweep) {
  std::vector<std::string> slo_names;
  for (const auto& p : sweep.at("points"))
    for (const auto& s : p.at("slo"))
      if (std::find(slo_names.begin(), slo_names.end(), results::slo_id(s)) == slo_names.end())
        slo_names.push_back(results::slo_id(s));
  std::string out = "point";
  for (const auto& a : sweep.at("axes")) out += "," + cell(a.at("pointer"));
  out += ",seeds";
  for (const auto& m : metric_names()) out += "," + m + "_mean," + m + "_sd";
  for (const auto& s : slo_names) out += ",slo_" + s + ",slo_" + s + "_margin_min";
  out += ",slo_pass,first_run_dir\n";
  for (const auto& p : sweep.at("points")) {
    out += cell(p.at("index"));
    for (const auto& a : sweep.at("axes")) out += "," + cell(p.at("knobs").at(a.at("pointer").get<std::string>()));
    out += "," + std::to_string(p.at("runs").size());
    for (const auto& m : metric_names())
      out += "," + cell(p.at("metrics").at(m).at("mean")) + "," + cell(p.at("metrics").at(m).at("sd"));
    for (const auto& name : slo_names) {
      json v, margin;
      for (const auto& s : p.at("slo"))
        if (results::slo_id(s) == name) {
          v = s.at("pass").get<bool>() ? "pass" : "fail";
          margin = s.at("margin_min");
        }
      out += "," + cell(v) + "," + cell(margin);
    }
    out += std::string(",") + (p.at("slo_pass").get<bool>() ? "pass" : "fail");
    out += "," + cell(p.at("runs").empty() ? json() : p.at("runs")[0].at("dir"));
    out += "\n";
  }
  return out;
}

json merge_sweeps(const std::vector<json>& parts, const std::vector<std::string>& part_dirs) {
  if (parts.empty()) throw SpecError("sweep-merge: no sweep directories given");
  const json& ref = parts[0];
  std::vector<json> points;
  std::set<size_t> seen;
  for (size_t i = 0; i < parts.size(); ++i) {
    const json& p = parts[i];
    for (const char* key : {"name", "axes", "seeds"})
      if (p.at(key) != ref.at(key))
        throw SpecError("sweep-merge: " + part_dirs[i] + " has a different '" + key + "' than " + part_dirs[0] +
                        " (not shards of one sweep)");
    for (json pt : p.at("points")) {
      const size_t idx = pt.at("index");
      if (!seen.insert(idx).second)
        throw SpecError("sweep-merge: point " + std::to_string(idx) + " appears twice (in " + part_dirs[i] + ")");
      for (auto& r : pt.at("runs")) r["sweep_dir"] = part_dirs[i];  // where this point's run directories are
      points.push_back(std::move(pt));
    }
  }
  std::vector<Axis> axes;
  for (const auto& a : ref.at("axes")) axes.push_back({a.at("pointer"), a.at("values")});
  json merged = sweep_json(ref.at("scenario_file"), ref.at("name"), axes, ref.at("seeds"), Shard{}, std::move(points));
  merged["merged_from"] = part_dirs;
  return merged;
}

void write_sweep_files(const std::filesystem::path& dir, const json& sweep) {
  auto put = [&](const std::string& name, const std::string& text) {
    const auto tmp = dir / (".tmp-" + name);
    {
      std::ofstream f(tmp, std::ios::binary);
      f << text;
      if (!f) throw std::runtime_error("cannot write " + tmp.string());
    }
    std::filesystem::rename(tmp, dir / name);
  };
  put("sweep.json", sweep.dump(2) + "\n");
  put("sweep.csv", format_sweep_csv(sweep));
}

}  // namespace cachelab::sweep
