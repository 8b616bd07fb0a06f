#pragma once
// A/B effects: `cachelab compare`'s rows (sim's compare_runs: each summary metric of two runs, their absolute and
// relative difference) with a name for people, a unit and the direction that is better, so a comparison of two
// scenarios (or one scenario with other knobs) says what a change did: database requests -51% (better).
// The numbers are compare_runs'; the GUI adds only the labels and which way is better.
#include <string>
#include <vector>

#include <QString>

#include <nlohmann/json.hpp>

#include "cachelab/results/metric_info.hpp"
#include "model/run_set.hpp"

namespace cachelab::gui {

using Better = cachelab::results::Better;
using MetricUnit = cachelab::results::MetricUnit;

struct MetricInfo {
  QString label;
  MetricUnit unit = MetricUnit::Count;
  Better better = Better::Neither;
};

// What a compare_runs metric name means ("origin.requests", "latency_us.p99", "failovers.master-1.promotion_s"):
// the kernel's table (results/metric_info.hpp), the one `cachelab compare` formats its cells with.
MetricInfo metricInfo(const std::string& name);

struct EffectRow {
  std::string name;
  MetricInfo info;
  double primary = 0, reference = 0, diff = 0, rel = 0;  // diff = primary - reference; rel = diff / |reference|
  int effect = 0;                                        // +1 better, -1 worse, 0 unchanged or no better direction
  QString primaryText, referenceText, diffText, relText, effectText;
  bool changed() const;  // the two values differ (a value missing in one run counts as a change)
};

// The rows of compare_runs(reference, primary)'s verdict ("a" is the reference, "b" the primary run).
std::vector<EffectRow> effectRows(const nlohmann::json& verdict);

// Runs the comparison of the primary run (runs[0]) against the reference (runs[1]); throws ResultsError.
nlohmann::json compareAgainstReference(const RunSet& runs);

// True for a simulated and a live run of the same scenario: the only pair where `cachelab compare`'s
// tolerance verdicts mean something.
bool isSimLivePair(const RunSet& runs);

// Numbers for the table: a value in its unit, and a signed difference ("+5,164", "−1.2 ms", "+103%").
QString formatMetric(double v, MetricUnit unit);
QString formatSignedMetric(double v, MetricUnit unit);
QString formatRelative(double rel);

}  // namespace cachelab::gui
