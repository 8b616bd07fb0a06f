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
      {"request-rate", "Request rate", "requests / s",
       {{"requests_per_s", "completed"}, {"offered_per_s", "offered"}}},
      {"hit-ratio", "Hit ratio", "hits / reads", {{"hit_ratio", "hit ratio"}}},
      {"latency", "Latency", "µs", {{"latency_us_p50", "p50"}, {"latency_us_p99", "p99"}}},
      {"origin-load", "Origin load", "requests / s", {{"origin_requests_per_s", "origin requests"}}},
      {"origin-concurrency", "Origin concurrency", "in flight",
       {{"origin_concurrency_max", "concurrency max"}, {"origin_queue_max", "queue max"}}},
      {"errors", "Errors by kind", "per interval",
       {{"errors_moved", "MOVED"},
        {"errors_ask", "ASK"},
        {"errors_tryagain", "TRYAGAIN"},
        {"errors_clusterdown", "CLUSTERDOWN"},
        {"errors_oom", "OOM"},
        {"errors_timeout", "timeout"},
        {"errors_connection", "connection"}}},
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

ChartSpec buildChart(const ChartDef& def, const RunSet& runs) {
  ChartSpec spec{def.id, def.title, def.yLabel, {}, 0, 0};
  std::tie(spec.tMin, spec.tMax) = timeSpan(runs);
  for (std::size_t r = 0; r < runs.size(); ++r) {
    for (const auto& c : def.columns) {
      if (!runs[r]->series.column(c.column.toStdString())) continue;
      LineSpec line;
      line.name = runs.size() > 1 ? c.label + " (" + runLabel(runs, r) + ")" : c.label;
      line.column = c.column;
      line.run = static_cast<int>(r);
      line.segments = columnSegments(runs[r]->series, c.column.toStdString());
      spec.lines.append(line);
    }
  }
  return spec;
}

ChartSpec buildNodeChart(const QString& metric, const QString& title, const QString& yLabel, const RunSet& runs) {
  ChartSpec spec{"node-" + metric, title, yLabel, {}, 0, 0};
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
