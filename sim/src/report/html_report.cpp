// The report page and its sweep and plan parts. sweep.json and plan.json have no typed reader yet: they are read
// here with every field checked (a missing or mistyped field is a ResultsError naming the file and the field);
// their runs go through results::load_run.
#include "cachelab/report/html_report.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/number_format.hpp"
#include "cachelab/report/svg_chart.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/slo_text.hpp"

namespace cachelab::report {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

const char* kStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;margin:24px;color:#222;max-width:1500px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ccc;padding-bottom:4px;margin-top:32px}h3{font-size:15px}
table{border-collapse:collapse;margin:8px 0;font-size:13px}th,td{border:1px solid #ddd;padding:3px 8px;text-align:left;vertical-align:top}
table.kv th{background:#f6f6f6;font-weight:normal}td.pass{color:#1a7f37;font-weight:bold}td.fail{color:#c62828;font-weight:bold}
.sub{color:#555;font-size:13px}.answer{font-size:16px;background:#f1f8e9;border:1px solid #c5e1a5;padding:8px}
.none{font-size:16px;background:#fdecea;border:1px solid #f5c6cb;padding:8px}.charts{display:flex;flex-wrap:wrap;gap:12px}
svg.chart{background:#fff;border:1px solid #eee}
)";

json read_json(const fs::path& p) {
  std::string text;
  try {
    text = io::read_regular_file(p.string(), results::kMaxJsonFileBytes, p.filename().string());
  } catch (const std::exception& e) {
    throw ResultsError(p.string() + ": " + e.what());
  }
  try {
    return json::parse(text);
  } catch (const json::exception& e) {
    throw ResultsError(p.string() + ": expected JSON, found a syntax error: " + e.what());
  }
}

// A field of a results JSON file, checked: throws ResultsError naming the file and the JSON pointer.
const json& field(const json& j, const std::string& ptr, const fs::path& file) {
  const json::json_pointer jp(ptr);
  if (!j.contains(jp)) throw ResultsError(file.string() + ": " + ptr + ": expected a value, found nothing");
  return j.at(jp);
}

std::string td(const std::string& s, const std::string& cls = "") {
  return "<td" + (cls.empty() ? "" : " class=\"" + cls + "\"") + ">" + xml_escape(s) + "</td>";
}

double num_or_nan(const json& v) { return v.is_number() ? v.get<double>() : NAN; }

struct CurvePoint {
  std::string x;      // the first knob's value
  std::string group;  // the other knobs (and the case, for plans)
  std::map<std::string, double> m;
};

// Metric-vs-knob curves: the first knob on the x axis (in its listed order), one line per combination of the rest.
std::string knob_curves(const std::string& knob, const std::vector<std::string>& x_values,
                        const std::vector<CurvePoint>& pts) {
  struct M {
    const char* key;
    const char* title;
    std::function<std::string(double)> f;
    bool ratio;
  };
  const std::vector<M> metrics = {
      {"hit_ratio", "Hit ratio", [](double v) { return fmt::sig(v, 1); }, true},
      {"latency_p99_ms", "p99 latency (ms)", nullptr, false},
      {"origin_requests_per_s", "Database load", [](double v) { return fmt::rate_per_s(v); }, false},
      {"availability", "Availability", [](double v) { return fmt::sig(v, 1); }, true}};
  std::string h = "<div class=\"charts\">\n";
  std::vector<std::string> groups;
  for (const auto& p : pts)
    if (std::find(groups.begin(), groups.end(), p.group) == groups.end()) groups.push_back(p.group);
  if (groups.size() > 8) groups.resize(8);
  for (const auto& m : metrics) {
    LineChart c;
    c.title = std::string(m.title) + " by " + knob;
    c.x_label = knob;
    c.y_label = m.title;
    c.x_categories = x_values;
    c.points = true;
    c.y_format = m.f;
    if (m.ratio) c.y_min = 0, c.y_max = 1;
    bool any = false;
    for (const auto& g : groups) {
      LineSeries s{g.empty() ? m.title : g, {}, {}};
      for (size_t i = 0; i < x_values.size(); ++i) {
        double v = NAN;
        for (const auto& p : pts)
          if (p.group == g && p.x == x_values[i] && p.m.count(m.key)) v = p.m.at(m.key);
        s.x.push_back(static_cast<double>(i));
        s.y.push_back(v);
        any = any || std::isfinite(v);
      }
      c.series.push_back(std::move(s));
    }
    if (any) h += render_svg(c);
  }
  return h + "</div>\n";
}

std::string sweep_body(const fs::path& dir) {
  const fs::path file = dir / "sweep.json";
  const json sw = read_json(file);
  std::string h = "<h1>Sweep: " + xml_escape(field(sw, "/name", file).get<std::string>()) + "</h1>\n";
  const json& axes = field(sw, "/axes", file);
  const json& points = field(sw, "/points", file);
  h += "<p class=\"sub\">" + xml_escape(field(sw, "/scenario_file", file).get<std::string>()) + "; " +
       fmt::count(static_cast<double>(points.size())) + " of " +
       fmt::count(field(sw, "/points_total", file).get<double>()) +
       " points; seeds per point: " + fmt::count(static_cast<double>(field(sw, "/seeds", file).size())) + "</p>\n";
  std::vector<std::string> ptrs;
  for (const auto& a : axes) ptrs.push_back(a.at("pointer").get<std::string>());
  auto label = [](const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
  // The points, then curves over the first knob.
  h += "<h2>Points</h2>\n<table><tr><th>#</th>";
  for (const auto& p : ptrs) h += "<th>" + xml_escape(p) + "</th>";
  h += "<th>hit ratio</th><th>p99 latency</th><th>database load</th><th>error rate</th><th>SLOs</th></tr>\n";
  std::vector<CurvePoint> pts;
  for (size_t i = 0; i < points.size(); ++i) {
    const std::string base = "/points/" + std::to_string(i);
    const json& p = points[i];
    const json& m = field(sw, base + "/metrics", file);
    auto mean = [&](const char* k) { return m.contains(k) ? num_or_nan(m.at(k).value("mean", json())) : NAN; };
    h += "<tr>" + td(std::to_string(field(sw, base + "/index", file).get<long long>()));
    CurvePoint cp;
    for (size_t k = 0; k < ptrs.size(); ++k) {
      const std::string v = label(field(sw, base + "/knobs", file).at(ptrs[k]));
      h += td(v);
      if (k == 0)
        cp.x = v;
      else
        cp.group += (cp.group.empty() ? "" : ", ") + ptrs[k] + "=" + v;
    }
    const double hr = mean("hit_ratio"), p99 = mean("latency_p99_ms"), org = mean("origin_requests_per_s"),
                 er = mean("error_rate");
    cp.m = {{"hit_ratio", hr}, {"latency_p99_ms", p99}, {"origin_requests_per_s", org}};
    pts.push_back(cp);
    const bool pass = field(sw, base + "/slo_pass", file).get<bool>();
    std::string slo_cell = p.at("slo").empty() ? "no SLO" : (pass ? "PASS" : "FAIL:");
    for (const auto& x : p.at("slo"))
      if (!x.at("pass").get<bool>()) slo_cell += " " + results::slo_label(x);
    h += td(std::isfinite(hr) ? fmt::ratio(hr) : "n/a") + td(std::isfinite(p99) ? fmt::duration_ms(p99) : "n/a") +
         td(std::isfinite(org) ? fmt::rate_per_s(org) : "n/a") + td(std::isfinite(er) ? fmt::probability(er) : "n/a") +
         td(slo_cell, p.at("slo").empty() ? "" : (pass ? "pass" : "fail")) + "</tr>\n";
  }
  h += "</table>\n";
  if (!ptrs.empty()) {
    std::vector<std::string> xs;
    for (const auto& v : axes[0].at("values")) xs.push_back(label(v));
    h += "<h2>Metrics by " + xml_escape(ptrs[0]) + "</h2>\n" + knob_curves(ptrs[0], xs, pts);
  }
  if (!points.empty() && !points[0].at("runs").empty()) {
    const std::string first = points[0].at("runs")[0].at("dir").get<std::string>();
    const fs::path run_dir = fs::path(first).is_absolute() ? fs::path(first) : dir / fs::path(first).filename();
    if (results::looks_like_run_dir(run_dir)) h += run_section(run_dir, "The first point's run");
  }
  return h;
}

std::string plan_body(const fs::path& dir) {
  const fs::path file = dir / "plan.json";
  const json pl = read_json(file);
  std::string h = "<h1>Capacity plan: " + xml_escape(field(pl, "/name", file).get<std::string>()) + "</h1>\n";
  const json& cm = field(pl, "/cost_model", file);
  const bool typed = field(pl, "/cost_model/kind", file) == "node_types";
  auto cost_text = [&](double c) {
    return typed ? cm.at("currency").get<std::string>() + " " + fmt::money(c) + "/month" : fmt::sig(c, 4);
  };
  const json& best = field(pl, "/best", file);
  if (!best.is_null()) {
    h += "<p class=\"answer\">Answer: " + xml_escape(best.at("text").get<std::string>()) +
         "<br>binding SLO: " + xml_escape(best.at("binding_slo").get<std::string>()) + " (" +
         xml_escape(best.at("binding_case").get<std::string>()) + ")</p>\n";
  } else {
    h += "<p class=\"none\">No candidate meets every SLO.";
    if (pl.contains("blocking"))
      for (const auto& b : pl.at("blocking"))
        h += "<br>Stops every candidate: " + xml_escape(b.at("slo").get<std::string>()) +
             "; closest: " + xml_escape(b.at("closest").get<std::string>());
    if (pl.contains("widen")) {
      h += "<br>The search could widen:";
      for (const auto& w : pl.at("widen")) h += " " + xml_escape(w.get<std::string>()) + ";";
    }
    h += "</p>\n";
  }
  if (typed)
    h += "<p class=\"sub\">Prices: " + xml_escape(cm.at("note").get<std::string>()) + " (" +
         xml_escape(cm.at("catalogue").get<std::string>()) + ")</p>\n";
  h += "<p class=\"sub\">Cases: ";
  for (const auto& c : field(pl, "/cases", file)) h += xml_escape(c.get<std::string>()) + " ";
  h += "&middot; " + fmt::count(field(pl, "/simulated", file).get<double>()) + " candidates simulated (" +
       fmt::count(field(pl, "/runs", file).get<double>()) + " runs), " +
       fmt::count(field(pl, "/pruned_dominated", file).get<double>()) +
       " pruned as no stronger than a failed one (monotonic pruning), " +
       fmt::count(field(pl, "/pruned_estimate", file).get<double>()) + " by the analytic estimate, " +
       fmt::count(field(pl, "/not_run", file).get<double>()) + " not needed</p>\n";

  std::vector<std::string> ptrs;
  for (const auto& a : field(pl, "/axes", file)) ptrs.push_back(a.at("pointer").get<std::string>());
  h += "<h2>Candidates, cheapest first</h2>\n<table><tr><th>#</th>";
  for (const auto& p : ptrs) h += "<th>" + xml_escape(p) + "</th>";
  h += "<th>nodes</th><th>cost</th><th>verdict</th><th>what failed</th></tr>\n";
  std::vector<CurvePoint> pts;
  const json& cands = field(pl, "/candidates", file);
  for (size_t i = 0; i < cands.size(); ++i) {
    const std::string base = "/candidates/" + std::to_string(i);
    const json& c = cands[i];
    const std::string verdict = field(pl, base + "/verdict", file).get<std::string>();
    h += "<tr>" + td(std::to_string(field(pl, base + "/rank", file).get<long long>()));
    for (const auto& p : ptrs) h += td(field(pl, base + "/knobs", file).at(p).get<std::string>());
    std::string misses;
    for (const auto& cs : field(pl, base + "/cases", file)) {
      CurvePoint cp;
      cp.x = c.at("knobs").at(ptrs[0]).get<std::string>();
      for (size_t k = 1; k < ptrs.size(); ++k)
        cp.group += (cp.group.empty() ? "" : ", ") + c.at("knobs").at(ptrs[k]).get<std::string>();
      cp.group += (cp.group.empty() ? "" : ", ") + cs.at("case").get<std::string>();
      for (auto it = cs.at("metrics").begin(); it != cs.at("metrics").end(); ++it)
        cp.m[it.key()] = num_or_nan(it.value());
      pts.push_back(cp);
      for (const auto& x : cs.at("slo"))
        if (!x.at("pass").get<bool>()) {
          const std::string n = x.at("name").get<std::string>();
          const double v = num_or_nan(x.at("value")), t = x.at("target").get<double>();
          auto f = [&](double y) { return results::slo_value_text(n, y); };  // as `cachelab plan` prints it
          misses += (misses.empty() ? "" : "; ") + results::slo_label(x) + " " + f(v) + " (target " + f(t) + ") " +
                    (cs.at("case") == "steady" ? std::string("steady") : "with " + cs.at("case").get<std::string>());
          const json w = x.value("window", json());
          if (w.is_object())
            misses += ", in " + fmt::count(w.at("intervals").get<double>()) + " intervals between " +
                      fmt::duration_s(w.at("from_s").get<double>()) + " and " +
                      fmt::duration_s(w.at("to_s").get<double>());
        }
    }
    const std::string cls = verdict == "pass" ? "pass" : verdict == "fail" ? "fail" : "";
    // The verdict in words, as `cachelab plan` prints it (plan.json keeps the identifiers).
    const std::string verdict_text = verdict == "pass"               ? "PASS"
                                     : verdict == "fail"             ? "fail"
                                     : verdict == "pruned_dominated" ? "pruned: no stronger than one that failed"
                                     : verdict == "pruned_estimate"  ? "pruned: the analytic estimate misses an SLO"
                                     : verdict == "not_run"          ? "not run"
                                                                     : verdict;
    h += td(fmt::count(field(pl, base + "/nodes", file).get<double>())) +
         td(cost_text(field(pl, base + "/cost", file).get<double>())) + td(verdict_text, cls) + td(misses) + "</tr>\n";
  }
  h += "</table>\n";
  if (!ptrs.empty()) {
    const json& ax0 = field(pl, "/axes/0/values", file);
    std::vector<std::string> xs;
    for (const auto& v : ax0) xs.push_back(v.get<std::string>());
    h += "<h2>Simulated candidates by " + xml_escape(ptrs[0]) + "</h2>\n" + knob_curves(ptrs[0], xs, pts);
  }
  // The answer's runs (every case), or the cheapest simulated candidate's when nothing passes.
  const json* shown = nullptr;
  for (const auto& c : cands)
    if ((!best.is_null() && c.at("rank") == best.at("rank")) || (best.is_null() && !shown && !c.at("cases").empty()))
      shown = &c;
  if (shown)
    for (const auto& cs : shown->at("cases")) {
      const fs::path run_dir = dir / cs.at("runs").at(0).get<std::string>();
      if (results::looks_like_run_dir(run_dir))
        h += run_section(run_dir, std::string(best.is_null() ? "The cheapest simulated candidate" : "The answer") +
                                      ", " + cs.at("case").get<std::string>());
    }
  return h;
}

}  // namespace

std::string page(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + xml_escape(title) +
         "</title>\n<style>\n" + kStyle + "</style>\n</head>\n<body>\n" + body +
         "<p class=\"sub\">Written by cachelab report; self-contained (inline CSS and SVG, no scripts, no "
         "network).</p>\n"
         "</body>\n</html>\n";
}

DirKind detect_dir(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    throw ResultsError(dir.string() + ": expected a run, sweep or plan directory, found " +
                       (fs::exists(dir, ec) ? "a file" : "nothing"));
  if (fs::exists(dir / "plan.json", ec)) return DirKind::Plan;
  if (fs::exists(dir / "sweep.json", ec)) return DirKind::Sweep;
  if (results::looks_like_run_dir(dir)) return DirKind::Run;
  throw ResultsError(dir.string() +
                     ": expected a run directory (summary.json, series.csv, ...), a sweep (sweep.json) "
                     "or a plan (plan.json), found none of them");
}

std::string report_html(const fs::path& dir) {
  try {
    switch (detect_dir(dir)) {
      case DirKind::Run: {
        const auto body = run_section(dir, "Run " + dir.filename().string());
        return page("cachelab report: " + dir.filename().string(), "<h1>cachelab run report</h1>\n" + body);
      }
      case DirKind::Sweep:
        return page("cachelab sweep report: " + dir.filename().string(), sweep_body(dir));
      case DirKind::Plan:
        return page("cachelab plan report: " + dir.filename().string(), plan_body(dir));
    }
  } catch (const json::exception& e) {
    throw ResultsError(dir.string() + ": a results file has an unexpected shape: " + e.what());
  }
  return "";
}

}  // namespace cachelab::report
