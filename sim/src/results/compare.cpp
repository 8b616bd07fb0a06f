#include "cachelab/results/compare.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "cachelab/io/number_format.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/results/metric_info.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab::compare {

using nlohmann::json;

namespace {
using Metrics = std::vector<std::pair<std::string, double>>;
Metrics metrics_of(const results::Summary& s);
}  // namespace

Tolerances default_tolerances() {
  return {{"hit_ratio", {0.01, false}},
          {"evicted_keys", {0.03, true}},
          {"latency_us.p50", {0.25, true}},
          {"latency_us.p99", {0.25, true}},
          {"failovers.promotion_s", {0.15, true}}};
}

void parse_tolerance(const std::string& text, Tolerances& into) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == text.size())
    throw std::invalid_argument("bad --tol '" + text + "' (expected metric=0.02 or metric=3%)");
  std::string v = text.substr(eq + 1);
  const bool rel = v.back() == '%';
  if (rel) v.pop_back();
  size_t used = 0;
  double x = 0;
  try {
    x = std::stod(v, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != v.size() || !(x >= 0) || !std::isfinite(x))
    throw std::invalid_argument("bad --tol value in '" + text + "' (expected a finite number >= 0)");
  const std::string name = text.substr(0, eq);
  // A misspelt metric would silently check nothing (issue 21: hit_ratoi=0.5).
  if (!known_metric(name)) {
    std::vector<std::string> names;
    for (const auto& [n, v] : metrics_of(results::Summary{})) names.push_back(n);
    const std::string hint = schema::did_you_mean(name, names);
    throw std::invalid_argument("unknown metric in --tol '" + text + "'" +
                                (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                                "; the metrics are those `cachelab compare` lists, and failovers.<node>.promotion_s");
  }
  into[name] = {rel ? x / 100.0 : x, rel};
}

static std::vector<std::string>& registered_names() {
  static std::vector<std::string> names;  // a catalogue filled at load time, like the registries; not run state
  return names;
}

void add_registered_metric(const std::string& name) { registered_names().push_back(name); }

const std::vector<std::string>& registered_metrics() { return registered_names(); }

bool known_metric(const std::string& name) {
  for (const auto& [n, v] : metrics_of(results::Summary{}))
    if (n == name) return true;
  // A stream's figures: streams.<name>.<metric> (the names depend on the runs).
  if (name.rfind("streams.", 0) == 0)
    for (const char* tail :
         {".requests", ".hit_ratio", ".latency_us.p50", ".latency_us.p99", ".origin_requests", ".failed_requests"}) {
      const std::string t(tail);
      if (name.size() > 8 + t.size() && name.compare(name.size() - t.size(), t.size(), t) == 0) return true;
    }
  const std::string head = "failovers.", tail = ".promotion_s";
  return name.size() > head.size() + tail.size() && name.rfind(head, 0) == 0 &&
         name.compare(name.size() - tail.size(), tail.size(), tail) == 0;
}

namespace {

void latency(Metrics& m, const std::string& p, const results::LatencyUs& l) {
  m.push_back({p + ".p50", l.p50});
  m.push_back({p + ".p90", l.p90});
  m.push_back({p + ".p99", l.p99});
  m.push_back({p + ".p999", l.p999});
  m.push_back({p + ".max", l.max});
  m.push_back({p + ".mean", l.mean});
}

Metrics metrics_of(const results::Summary& s) {
  Metrics m = {{"requests", s.requests}, {"reads", s.reads},   {"writes", s.writes},
               {"hits", s.hits},         {"misses", s.misses}, {"hit_ratio", s.hit_ratio}};
  latency(m, "latency_us", s.latency_us);
  const auto& e = s.errors;
  m.insert(m.end(), {{"errors.moved", e.moved},
                     {"errors.ask", e.ask},
                     {"errors.tryagain", e.tryagain},
                     {"errors.clusterdown", e.clusterdown},
                     {"errors.oom", e.oom},
                     {"errors.timeout", e.timeout},
                     {"errors.connection", e.connection},
                     {"origin.requests", s.origin.requests},
                     {"origin.rejected", s.origin.rejected},
                     {"origin.timeouts", s.origin.timeouts},
                     {"origin.concurrency_max", s.origin.concurrency_max}});
  latency(m, "origin.latency_us", s.origin.latency_us);
  m.insert(m.end(), {{"evicted_keys", s.evicted_keys},
                     {"expired_keys", s.expired_keys},
                     {"writes_acknowledged", s.writes_acknowledged},
                     {"writes_lost", s.writes_lost}});
  // What the application saw fail and what the cache could not answer (issue 15); no default tolerance.
  m.insert(m.end(), {{"failed_requests", s.failed_requests},
                     {"error_rate", s.error_rate},
                     {"degraded_requests", s.degraded_requests},
                     {"availability", s.availability},
                     {"cache_failed_requests", s.cache_failed_requests},
                     {"cache_error_rate", s.cache_error_rate},
                     {"writes_lost_by_kind.total", s.writes_lost_by_kind.total}});
  // Keys held and used_memory at the end, over all nodes (masters and replicas): the kept-keys-under-maxmemory
  // check (issue 4) compares `keys`. Missing when the summary lists no nodes.
  double keys = 0, used = 0;
  for (const auto& n : s.nodes) keys += n.keys, used += n.used_memory_bytes;
  m.push_back({"keys", s.nodes.empty() ? results::kMissing : keys});
  m.push_back({"used_memory_bytes", s.nodes.empty() ? results::kMissing : used});
  // Promotion time per failed master: from the kill to the replica's promotion.
  double promo_sum = 0;
  int promo_n = 0;
  for (const auto& f : s.failovers) {
    const double d = f.t_promoted_s - f.t_kill_s;
    m.push_back({"failovers." + f.node + ".promotion_s", d});
    if (std::isfinite(d)) promo_sum += d, ++promo_n;
  }
  m.push_back({"failovers.promotion_s", promo_n ? promo_sum / promo_n : results::kMissing});
  // Keys of reads and stale reads (issue 16).
  m.insert(m.end(), {{"key_hit_ratio", s.key_hit_ratio},
                     {"stale_reads.cache", s.stale_reads.cache.reads},
                     {"stale_reads.l1", s.stale_reads.l1.reads},
                     {"stale_reads.replica", s.stale_reads.replica.reads}});
  // Each stream's figures (workload.streams, issue 16 part 4), when the summary has them.
  if (const auto it = s.raw.find("streams"); it != s.raw.end() && it->is_object())
    for (const auto& item : it->items()) {
      // Not a structured binding: Clang 14 (make sanitize) cannot capture one in a lambda.
      const std::string& name = item.key();
      const json& st = item.value();
      auto val = [&](const char* ptr) {
        const json::json_pointer p{ptr};
        return st.contains(p) && st.at(p).is_number() ? st.at(p).get<double>() : results::kMissing;
      };
      const std::string p = "streams." + name + ".";
      m.insert(m.end(), {{p + "requests", val("/requests")},
                         {p + "hit_ratio", val("/hit_ratio")},
                         {p + "latency_us.p50", val("/latency_us/p50")},
                         {p + "latency_us.p99", val("/latency_us/p99")},
                         {p + "origin_requests", val("/origin_requests")},
                         {p + "failed_requests", val("/failed_requests")}});
    }
  // Metrics registered with the run session (metrics/run_metric.hpp), at summary.json `/<name>` in both modes.
  for (const auto& name : registered_metrics()) {
    const auto it = s.raw.find(name);
    m.push_back({name, it != s.raw.end() && it->is_number() ? it->get<double>() : results::kMissing});
  }
  return m;
}

json num(double v) { return std::isfinite(v) ? json(v) : json(); }

double series_mean(const results::Series& s, const std::string& col) {
  const auto* c = s.column(col);
  const auto* w = s.column("warmup");
  if (!c) return results::kMissing;
  double sum = 0;
  int n = 0;
  for (size_t i = 0; i < c->size(); ++i) {
    if (w && i < w->size() && (*w)[i] == 1) continue;
    if (std::isfinite((*c)[i])) sum += (*c)[i], ++n;
  }
  return n ? sum / n : results::kMissing;
}

}  // namespace

json compare_runs(const std::filesystem::path& a, const std::filesystem::path& b, const Tolerances& tol) {
  const results::Run ra = results::load_run(a), rb = results::load_run(b);
  const Metrics ma = metrics_of(ra.summary), mb = metrics_of(rb.summary);
  json rows = json::array();
  bool pass = true;
  auto find = [](const Metrics& m, const std::string& name) {
    for (const auto& [n, v] : m)
      if (n == name) return v;
    return results::kMissing;
  };
  std::vector<std::string> names;
  for (const auto& [n, v] : ma) names.push_back(n);
  for (const auto& [n, v] : mb)
    if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  for (const auto& name : names) {
    const double va = find(ma, name), vb = find(mb, name);
    const double abs_diff = vb - va;
    const double rel_diff = va != 0 ? abs_diff / std::fabs(va) : (vb == 0 ? 0 : results::kMissing);
    json row = {{"name", name},
                {"a", num(va)},
                {"b", num(vb)},
                {"abs_diff", num(abs_diff)},
                {"rel_diff", num(rel_diff)},
                {"tolerance", json()},
                {"relative", json()},
                {"within", json()}};
    if (auto it = tol.find(name); it != tol.end()) {
      const Tolerance& t = it->second;
      bool within;
      if (!std::isfinite(va) && !std::isfinite(vb))
        within = true;  // absent in both (no failover): agree
      else if (!std::isfinite(va) || !std::isfinite(vb))
        within = false;
      else if (t.relative)
        within = va == vb || (va != 0 && std::fabs(abs_diff) / std::fabs(va) <= t.value + 1e-12);
      else
        within = std::fabs(abs_diff) <= t.value + 1e-12;
      row["tolerance"] = t.value;
      row["relative"] = t.relative;
      row["within"] = within;
      pass = pass && within;
    }
    rows.push_back(row);
  }
  json series = json::array();
  for (const char* col :
       {"requests_per_s", "hit_ratio", "latency_us_p50", "latency_us_p99", "origin_requests_per_s", "evicted_keys"})
    series.push_back(
        {{"column", col}, {"a_mean", num(series_mean(ra.series, col))}, {"b_mean", num(series_mean(rb.series, col))}});
  return {{"run_a", a.string()}, {"run_b", b.string()}, {"mode_a", ra.info.mode}, {"mode_b", rb.info.mode},
          {"pass", pass},        {"metrics", rows},     {"series", series}};
}

std::string format_verdict(const json& v) {
  std::string out;
  char line[256];
  // A series column's mean (series.csv: requests_per_s, hit_ratio, latency_us_p50, evicted_keys): its unit from
  // its name, as results/README.md names them.
  auto series_cell = [](const std::string& col, const json& x) {
    if (x.is_null()) return std::string("-");
    const double v = x.get<double>();
    if (col.size() > 6 && col.compare(col.size() - 6, 6, "_per_s") == 0) return fmt::rate_per_s(v);
    if (col.rfind("latency_us", 0) == 0) return results::format_metric(v, results::MetricUnit::Micros);
    if (col == "hit_ratio") return results::format_metric(v, results::MetricUnit::Ratio);
    return results::format_metric(v, results::MetricUnit::Count);
  };
  // Right-aligned by characters, not bytes: "µs" is two bytes and printf's widths count bytes.
  auto right = [](const std::string& text, size_t width) {
    size_t chars = 0;
    for (unsigned char ch : text) chars += (ch & 0xC0) != 0x80;
    return std::string(chars < width ? width - chars : 0, ' ') + text;
  };
  // Paths, modes and node names come from the command line and the files: escaped (no terminal escape sequences).
  out += "A: " + io::printable(v["run_a"].get<std::string>()) + " (" + io::printable(v["mode_a"].get<std::string>()) +
         ")\nB: " + io::printable(v["run_b"].get<std::string>()) + " (" +
         io::printable(v["mode_b"].get<std::string>()) + ")\n\n";
  std::snprintf(line, sizeof line, "%-32s %14s %14s %12s %9s %10s  %s\n", "metric", "A", "B", "B-A", "rel", "tolerance",
                "verdict");
  out += line;
  for (const auto& r : v["metrics"]) {
    const std::string name = r["name"].get<std::string>();
    // Each cell in the metric's unit (results/metric_info.hpp, the table the dashboard's compare view reads too).
    const results::MetricUnit unit = results::metric_info(name).unit;
    auto cell = [&](const json& x) {
      return x.is_null() ? std::string("-") : results::format_metric(x.get<double>(), unit);
    };
    std::string tol = "-", verdict = "";
    if (!r["tolerance"].is_null()) {
      tol = r["relative"].get<bool>() ? fmt::percent(r["tolerance"].get<double>()) : cell(r["tolerance"]);
      verdict = r["within"].get<bool>() ? "ok" : "DIFFERS";
    }
    const std::string rel = r["rel_diff"].is_null() ? "-" : fmt::percent(r["rel_diff"].get<double>());
    std::snprintf(line, sizeof line, "%-32s", io::printable(name, 64).c_str());
    out += line + (" " + right(cell(r["a"]), 14)) + (" " + right(cell(r["b"]), 14)) +
           (" " + right(cell(r["abs_diff"]), 12)) + (" " + right(rel, 9)) + (" " + right(tol, 10)) + "  " + verdict +
           "\n";
  }
  out += "\nseries means (measured rows):\n";
  for (const auto& r : v["series"]) {
    const std::string col = r["column"].get<std::string>();
    std::snprintf(line, sizeof line, "  %-28s", io::printable(col, 64).c_str());
    out += line + (" " + right(series_cell(col, r["a_mean"]), 14)) + (" " + right(series_cell(col, r["b_mean"]), 14)) +
           "\n";
  }
  out += v["pass"].get<bool>() ? "\nall within tolerance\n" : "\nsome metrics differ beyond tolerance\n";
  return out;
}

}  // namespace cachelab::compare
