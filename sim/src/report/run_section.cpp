// The run part of a report: headline numbers, SLO verdicts and the series charts of one run directory.
#include <algorithm>
#include <cmath>
#include <map>

#include "cachelab/io/number_format.hpp"
#include "cachelab/report/html_report.hpp"
#include "cachelab/report/svg_chart.hpp"
#include "cachelab/results/reader.hpp"

namespace cachelab::report {

namespace {

std::string row(const std::string& k, const std::string& v) {
  return "<tr><th>" + xml_escape(k) + "</th><td>" + xml_escape(v) + "</td></tr>\n";
}

std::string n_or_na(double v, std::string (*f)(double)) { return std::isfinite(v) ? f(v) : "n/a"; }
std::string count(double v) {
  return n_or_na(v, [](double x) { return fmt::count(x); });
}
std::string ratio(double v) {
  return n_or_na(v, [](double x) { return fmt::ratio(x); });
}
std::string us(double v) {
  return n_or_na(v, [](double x) { return fmt::duration_us(x); });
}

std::string slo_text(const std::string& name, double v) {
  if (!std::isfinite(v)) return "n/a";
  if (name.rfind("latency_", 0) == 0) return fmt::duration_ms(v);
  if (name == "hit_ratio_min" || name == "availability_min") return fmt::ratio(v);
  if (name == "error_rate_max") return fmt::probability(v);
  if (name == "origin_requests_per_s_max") return fmt::rate_per_s(v);
  return fmt::count(v);
}

LineSeries column_series(const results::Series& s, const std::string& col, const std::string& name, double scale = 1) {
  LineSeries out{name, {}, {}};
  const auto* t = s.column("t_s");
  const auto* y = s.column(col);
  if (!t || !y) return out;
  out.x = *t;
  for (double v : *y) out.y.push_back(v * scale);
  return out;
}

}  // namespace

std::string run_section(const std::filesystem::path& dir, const std::string& heading) {
  const results::Run run = results::load_run(dir);
  const auto& s = run.summary;
  std::string h = "<section>\n<h2>" + xml_escape(heading) + "</h2>\n";
  h += "<p class=\"sub\">" + xml_escape(run.info.name) +
       (run.info.title.empty() ? "" : ": " + xml_escape(run.info.title)) + "<br>" + xml_escape(run.info.mode) +
       " run, seed " + std::to_string(run.info.seed) + ", started " + xml_escape(run.info.started_utc) +
       ", directory " + xml_escape(dir.filename().string()) + "</p>\n";

  h += "<h3>Headline numbers</h3>\n<table class=\"kv\">\n";
  h += row("measured", std::isfinite(s.measured_s) ? fmt::duration_s(s.measured_s) : "n/a");
  h += row("requests",
           count(s.requests) + " (" + n_or_na(s.throughput_per_s, [](double x) { return fmt::rate_per_s(x); }) + ")");
  h += row("failed (the application saw an error)",
           count(s.failed_requests) + " (database " + count(s.failed_by_cause.origin) + ", cache " +
               count(s.failed_by_cause.cache) + ", write-behind buffer full " +
               count(s.failed_by_cause.write_buffer_full) +
               (s.failed_by_cause.client_not_started > 0
                    ? ", client not started " + count(s.failed_by_cause.client_not_started)
                    : std::string()) +
               ")");
  h += row("degraded (the cache failed, the database answered)",
           count(s.degraded_requests) + " (connection " + count(s.degraded_by_error.connection) + ", CLUSTERDOWN " +
               count(s.degraded_by_error.clusterdown) + ", timeout " + count(s.degraded_by_error.timeout) + ")");
  h += row("availability", ratio(s.availability));
  h += row("cache error rate", std::isfinite(s.cache_error_rate) ? fmt::probability(s.cache_error_rate) : "n/a");
  h += row("stale reads (shared cache / L1 / replicas)", count(s.stale_reads.cache.reads) + " / " +
                                                             count(s.stale_reads.l1.reads) + " / " +
                                                             count(s.stale_reads.replica.reads));
  h += row("hit ratio", ratio(s.hit_ratio));
  h += row("latency p50 / p99 / p99.9 / max", us(s.latency_us.p50) + " / " + us(s.latency_us.p99) + " / " +
                                                  us(s.latency_us.p999) + " / " + us(s.latency_us.max));
  h += row("database queries", count(s.origin.requests) + " (" +
                                   n_or_na(s.origin.requests_per_s, [](double x) { return fmt::rate_per_s(x); }) + ")");
  h += row("database timeouts / rejected", count(s.origin.timeouts) + " / " + count(s.origin.rejected));
  const std::vector<std::pair<const char*, double>> errs = {{"moved", s.errors.moved},
                                                            {"ask", s.errors.ask},
                                                            {"tryagain", s.errors.tryagain},
                                                            {"clusterdown", s.errors.clusterdown},
                                                            {"oom", s.errors.oom},
                                                            {"timeout", s.errors.timeout},
                                                            {"connection", s.errors.connection},
                                                            {"crossslot", s.errors.crossslot},
                                                            {"noreplicas", s.errors.noreplicas},
                                                            {"reply", s.errors.reply}};
  std::string e;
  for (const auto& [k, v] : errs)
    if (std::isfinite(v) && v > 0) e += (e.empty() ? "" : ", ") + std::string(k) + " " + fmt::count(v);
  h += row("cache errors by kind", e.empty() ? "none" : e);
  h += row("evicted / expired keys", count(s.evicted_keys) + " / " + count(s.expired_keys));
  if (std::isfinite(s.writes_lost_by_kind.total))
    h += row("acknowledged writes lost", count(s.writes_lost_by_kind.total) + " (failover " +
                                             count(s.writes_lost_by_kind.failover) + ", deposed master " +
                                             count(s.writes_lost_by_kind.deposed_master) + ", write-behind crash " +
                                             count(s.writes_lost_by_kind.write_behind) + ")");
  else if (std::isfinite(s.writes_lost))
    h += row("acknowledged writes lost", count(s.writes_lost));
  for (const auto& f : s.failovers)
    h += row("failover of " + f.node,
             "killed at " + fmt::duration_s(f.t_kill_s) + ", " +
                 (f.new_master.empty() ? "no replica promoted"
                                       : f.new_master + " promoted at " + fmt::duration_s(f.t_promoted_s)));
  h += "</table>\n";

  h += "<h3>SLO verdicts</h3>\n";
  if (s.slo.empty()) {
    h += "<p>The scenario sets no SLO.</p>\n";
  } else {
    h += "<table><tr><th>SLO</th><th>target</th><th>value</th><th>verdict</th></tr>\n";
    for (const auto& x : s.slo)
      h += "<tr><td>" + xml_escape(x.stream.empty() ? x.name : x.name + " [" + x.stream + "]") + "</td><td>" +
           xml_escape(slo_text(x.name, x.target)) + "</td><td>" + xml_escape(slo_text(x.name, x.value)) +
           "</td><td class=\"" + (x.pass ? "pass\">PASS" : "fail\">FAIL") + "</td></tr>\n";
    h += "</table>\n";
  }

  // Charts over time; faults as dashed lines, warm-up shaded.
  std::vector<Marker> marks;
  for (const auto& ev : run.events)
    if (ev.type == "fault")
      marks.push_back({ev.t_s, ev.raw.value("action", std::string("fault")) + (ev.node.empty() ? "" : " " + ev.node)});
  const double warmup = run.info.scenario.is_object() ? run.info.scenario.value("warmup_s", 0.0) : 0.0;
  auto base = [&](const std::string& title, const std::string& ylab) {
    LineChart c;
    c.title = title;
    c.x_label = "time (s)";
    c.y_label = ylab;
    c.markers = marks;
    c.shade_until_x = warmup;
    c.x_format = [](double v) { return fmt::sig(v, 3); };
    return c;
  };
  // A chart of counts per interval by kind: whole-number ticks with separators ("20,000"), 0..5 at least (no "0.2
  // errors"), and a legend.
  auto count_axis = [](LineChart& c) {
    double hi = 0;
    for (const auto& x : c.series)
      for (double v : x.y)
        if (std::isfinite(v)) hi = std::max(hi, v);
    if (hi < 5) c.y_max = 5;
    c.y_format = [](double v) { return fmt::count(v); };
    c.legend = true;  // which kind each line is, even when only one kind occurred
  };
  const auto& se = run.series;
  h += "<h3>Over time</h3>\n<div class=\"charts\">\n";
  {
    auto c = base("Request rate", "requests per second");
    c.series = {column_series(se, "requests_per_s", "completed"), column_series(se, "offered_per_s", "offered")};
    c.y_format = [](double v) { return fmt::rate_per_s(v); };
    h += render_svg(c);
  }
  {
    auto c = base("Hit ratio", "hits / reads");
    c.series = {column_series(se, "hit_ratio", "hit ratio")};
    c.y_min = 0, c.y_max = 1;
    c.y_format = [](double v) { return fmt::sig(v, 1); };  // ticks step by 0.1 or 0.2
    h += render_svg(c);
  }
  {
    auto c = base("Latency percentiles", "application latency");
    c.series = {column_series(se, "latency_us_p50", "p50", 1e-3), column_series(se, "latency_us_p90", "p90", 1e-3),
                column_series(se, "latency_us_p99", "p99", 1e-3)};
    c.y_format = [](double v) { return v == 0 ? std::string("0") : fmt::duration_ms(v); };  // "500 ms", "1.00 s"
    h += render_svg(c);
  }
  {
    auto c = base("Database load", "queries per second");
    c.series = {column_series(se, "origin_requests_per_s", "database queries")};
    c.y_format = [](double v) { return fmt::rate_per_s(v); };
    h += render_svg(c);
  }
  {
    // What the application saw: failed requests, degraded ones, and the database's timeouts and refusals (series.csv
    // columns since issue 15's audit; an older run directory has none and the chart says so).
    auto c = base("Failures", "requests per interval");
    for (const auto& [col, label] :
         {std::pair{"failed_requests", "failed (the application saw an error)"},
          std::pair{"degraded_requests", "degraded (the database answered)"},
          std::pair{"origin_timeouts", "database timeouts"}, std::pair{"origin_rejected", "database rejected"}}) {
      const auto* v = se.column(col);
      bool any = false;
      if (v)
        for (double x : *v) any = any || (std::isfinite(x) && x > 0);
      if (any) c.series.push_back(column_series(se, col, label));
    }
    if (c.series.empty())
      c.series.push_back(column_series(
          se, "failed_requests",
          se.column("failed_requests") ? "none failed or degraded (all 0)" : "not in this series.csv (an older run)"));
    count_axis(c);
    h += render_svg(c);
  }
  {
    auto c = base("Cache errors", "errors per interval");
    for (const char* k : {"moved", "ask", "tryagain", "clusterdown", "oom", "timeout", "connection", "crossslot",
                          "noreplicas", "reply"}) {
      const auto* col = se.column(std::string("errors_") + k);
      bool any = false;
      if (col)
        for (double v : *col) any = any || (std::isfinite(v) && v > 0);
      if (any) c.series.push_back(column_series(se, std::string("errors_") + k, k));
    }
    if (c.series.empty()) {
      c.series.push_back(column_series(se, "errors_timeout", "every kind (all 0)"));
    }
    count_axis(c);
    h += render_svg(c);
  }
  {
    auto c = base("Node memory", "used_memory");
    for (const auto& n : se.node_names())
      c.series.push_back(column_series(se, n + ".used_memory_bytes", n, 1.0 / 1048576));
    c.y_suffix = " MiB";
    h += render_svg(c);
  }
  h += "</div>\n</section>\n";
  return h;
}

}  // namespace cachelab::report
