#include "model/chart_model.hpp"

#include <algorithm>
#include <cmath>

namespace cachelab::gui {

QList<QPointF> LineSpec::points() const {
  QList<QPointF> all;
  for (const auto& s : segments) all += s;
  return all;
}

QList<ChartDef> timeSeriesCharts() {
  return {
      {"request-rate", "Request rate", "req / s", {{"requests_per_s", "completed"}, {"offered_per_s", "offered"}}},
      {"hit-ratio", "Hit ratio", "hits / reads", {{"hit_ratio", "hit ratio"}}, AxisUnit::Ratio},
      {"latency", "Latency", "", {{"latency_us_p50", "p50"}, {"latency_us_p99", "p99"}}, AxisUnit::Micros},
      {"origin-load", "Origin load", "req / s", {{"origin_requests_per_s", "origin requests"}}},
      {"origin-concurrency",
       "Origin concurrency",
       "in flight",
       {{"origin_concurrency_max", "concurrency max"}, {"origin_queue_max", "queue max"}}},
      {"errors",
       "Cache errors by kind",
       "per interval",
       {{"errors_moved", "MOVED"},
        {"errors_ask", "ASK"},
        {"errors_tryagain", "TRYAGAIN"},
        {"errors_clusterdown", "CLUSTERDOWN"},
        {"errors_oom", "OOM"},
        {"errors_timeout", "timeout"},
        {"errors_connection", "connection"}},
       AxisUnit::Plain,
       true},
      // What the cache errors cost (series.csv, results/README.md): requests the application saw fail, requests
      // the database answered instead of the cache, and the database's own timeouts and refusals.
      {"failures",
       "Failures",
       "per interval",
       {{"failed_requests", "failed"},
        {"degraded_requests", "degraded (database answered)"},
        {"origin_timeouts", "database timeouts"},
        {"origin_rejected", "database refused"}},
       AxisUnit::Plain,
       true},
  };
}

QList<QList<QPointF>> columnSegments(const cachelab::results::Series& series, const std::string& column) {
  QList<QList<QPointF>> segments;
  const auto* t = series.column("t_s");
  const auto* v = series.column(column);
  if (!t || !v) return segments;
  bool open = false;
  for (std::size_t i = 0; i < v->size(); ++i) {
    if (std::isnan((*v)[i])) {
      open = false;
      continue;
    }
    if (!open) segments.append(QList<QPointF>{});
    open = true;
    segments.last().append(QPointF((*t)[i], (*v)[i]));
  }
  return segments;
}

std::pair<double, double> timeSpan(const RunSet& runs) {
  double hi = 0;
  for (const auto& r : runs)
    if (const auto* t = r->series.column("t_s"); t && !t->empty()) hi = std::max(hi, t->back());
  return {0.0, hi > 0 ? hi : 1.0};
}

AxisScale chooseAxisScale(AxisUnit unit, const QString& yLabel, double maxAbs) {
  switch (unit) {
    case AxisUnit::Ratio:
      return {1, yLabel};
    case AxisUnit::Micros:
      if (maxAbs >= 1e6) return {1e6, "s"};
      if (maxAbs >= 1e3) return {1e3, "ms"};
      return {1, QString::fromUtf8("µs")};
    case AxisUnit::Bytes:
      // Binary units, as formatBytes prints them in tables and `cachelab run` in its summary, and as Redis reads
      // maxmemory ("64mb" is 64 MiB): a node capped at 64mb reads 64 on the axis, not 67.1.
      if (maxAbs >= 0x1p30) return {0x1p30, "GiB"};
      if (maxAbs >= 0x1p20) return {0x1p20, "MiB"};
      if (maxAbs >= 0x1p10) return {0x1p10, "KiB"};
      return {1, "bytes"};
    case AxisUnit::Plain:
      // SI prefixes keep the vertical title short enough to read whole in a small chart: "k req / s".
      if (maxAbs >= 1e7) return {1e6, "M " + yLabel};
      if (maxAbs >= 1e4) return {1e3, "k " + yLabel};
      return {1, yLabel};
  }
  return {1, yLabel};
}

double niceTickStep(double span) {
  if (!(span > 0)) return 1;
  const double raw = span / 8;
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  for (double m : {1.0, 2.0, 5.0})
    if (raw <= m * mag * 1.25) return m * mag;
  return 10 * mag;
}

QList<ChartMarker> setMarkers(const RunSet& runs) {
  QList<ChartMarker> out;
  for (const auto& r : runs)
    for (const auto& m : faultMarkers(*r))
      if (!out.contains(m)) out.append(m);
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.t_s < b.t_s; });
  return out;
}

ChartSpec buildChart(const ChartDef& def, const RunSet& runs) {
  ChartSpec spec{def.id, def.title, def.yLabel, {}, 0, 0, def.unit, setMarkers(runs), {}};
  std::tie(spec.tMin, spec.tMax) = timeSpan(runs);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    for (const auto& c : def.columns) {
      if (!runs[r]->series.column(c.column.toStdString())) continue;
      LineSpec line;
      line.name = runs.size() > 1 ? c.label + " (" + runLabel(runs, r) + ")" : c.label;
      line.column = c.column;
      line.run = static_cast<int>(r);
      line.segments = columnSegments(runs[r]->series, c.column.toStdString());
      if (def.dropZeroLines) {
        const auto pts = line.points();
        if (std::all_of(pts.begin(), pts.end(), [](const QPointF& p) { return p.y() == 0; })) {
          if (!spec.zeroThroughout.contains(c.label)) spec.zeroThroughout.append(c.label);
          continue;
        }
      }
      spec.lines.append(line);
    }
  }
  // A label stays in the note only when no run drew it.
  for (const auto& line : spec.lines)
    for (const auto& c : def.columns)
      if (c.column == line.column) spec.zeroThroughout.removeAll(c.label);
  return spec;
}

ChartSpec buildNodeChart(const QString& metric, const QString& title, const QString& yLabel, const RunSet& runs,
                         AxisUnit unit) {
  ChartSpec spec{"node-" + metric,
                 title,
                 yLabel,
                 {},
                 0,
                 0,
                 unit,
                 runs.empty() ? QList<ChartMarker>{} : setMarkers({runs.front()}),
                 {}};
  std::tie(spec.tMin, spec.tMax) = timeSpan(runs);
  if (runs.empty()) return spec;
  const auto& series = runs.front()->series;
  for (const auto& node : series.node_names()) {
    const std::string column = node + "." + metric.toStdString();
    if (!series.column(column)) continue;
    LineSpec line;
    line.name = QString::fromStdString(node);
    line.column = QString::fromStdString(column);
    line.segments = columnSegments(series, column);
    spec.lines.append(line);
  }
  return spec;
}

}  // namespace cachelab::gui
