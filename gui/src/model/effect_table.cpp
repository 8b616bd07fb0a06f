#include "model/effect_table.hpp"

#include <cmath>

#include "app/format.hpp"
#include "cachelab/results/compare.hpp"

namespace cachelab::gui {
namespace {

double value(const nlohmann::json& v) { return v.is_number() ? v.get<double>() : NAN; }

const QString kMinus = QString::fromUtf8("−");

}  // namespace

MetricInfo metricInfo(const std::string& name) {
  const results::MetricInfo m = results::metric_info(name);
  return {QString::fromStdString(m.label), m.unit, m.better};
}

QString formatMetric(double v, MetricUnit unit) {
  switch (unit) {
    case MetricUnit::Count:
      return formatCount(v);
    case MetricUnit::Ratio:
      return std::isnan(v) ? formatRatio(v) : QString::number(v, 'f', 4);
    case MetricUnit::Probability:
      return formatProbability(v);
    case MetricUnit::Micros:
      return formatMicros(v);
    case MetricUnit::Bytes:
      return formatBytes(v);
    case MetricUnit::Seconds:
      return std::isnan(v) ? formatCount(v) : QString::number(v, 'f', 2) + " s";
  }
  return formatNumber(v);
}

QString formatSignedMetric(double v, MetricUnit unit) {
  if (std::isnan(v)) return formatCount(v);
  if (v == 0) return "0";
  const QString magnitude = formatMetric(std::fabs(v), unit);
  return (v > 0 ? "+" : kMinus) + magnitude;
}

QString formatRelative(double rel) {
  if (std::isnan(rel)) return formatCount(rel);
  if (rel == 0) return "0%";
  const double pct = std::fabs(rel) * 100;
  if (pct < 0.01) return "<0.01%";  // the difference column carries the sign
  // Two significant digits below 10%, whole percents above: "+0.35%", "+4.2%", "-51%", "+103%".
  const int decimals = pct >= 10 ? 0 : pct >= 1 ? 1 : 2;
  return (rel > 0 ? "+" : kMinus) + QString::number(pct, 'f', decimals) + "%";
}

bool EffectRow::changed() const {
  if (std::isnan(primary) && std::isnan(reference)) return false;
  return std::isnan(primary) != std::isnan(reference) || primary != reference;
}

std::vector<EffectRow> effectRows(const nlohmann::json& verdict) {
  std::vector<EffectRow> rows;
  for (const auto& m : verdict.value("metrics", nlohmann::json::array())) {
    EffectRow r;
    r.name = m.value("name", std::string());
    r.info = metricInfo(r.name);
    r.reference = value(m["a"]);
    r.primary = value(m["b"]);
    r.diff = value(m["abs_diff"]);
    r.rel = value(m["rel_diff"]);
    r.primaryText = formatMetric(r.primary, r.info.unit);
    r.referenceText = formatMetric(r.reference, r.info.unit);
    r.diffText = formatSignedMetric(r.diff, r.info.unit);
    r.relText = formatRelative(r.rel);
    if (!std::isnan(r.diff) && r.diff != 0 && r.info.better != Better::Neither)
      r.effect = (r.diff > 0) == (r.info.better == Better::Higher) ? 1 : -1;
    r.effectText = r.effect > 0 ? "better" : r.effect < 0 ? "worse" : !r.changed() ? "same" : "changed";
    rows.push_back(std::move(r));
  }
  return rows;
}

nlohmann::json compareAgainstReference(const RunSet& runs) {
  // compare_runs(A, B) reports B - A relative to A: the reference is A, the primary run B.
  return compare::compare_runs(runs.at(1)->dir, runs.at(0)->dir, compare::default_tolerances());
}

bool isSimLivePair(const RunSet& runs) {
  if (runs.size() != 2) return false;
  const auto& a = runs[0]->info;
  const auto& b = runs[1]->info;
  const bool modes = (a.mode == "sim" && b.mode == "live") || (a.mode == "live" && b.mode == "sim");
  return modes && a.name == b.name;
}

}  // namespace cachelab::gui
