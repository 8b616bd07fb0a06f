#pragma once
// `cachelab compare RUN_A RUN_B`: every summary metric of two runs side by side (absolute and relative difference),
// a verdict per metric that has a tolerance, and the main series' means. Qt-free and hiredis-free (only the results
// reader and nlohmann_json) so the `cachelab` command in sim/ can compile it in as is.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab::compare {

struct Tolerance {
  double value = 0;
  bool relative = false;  // |b - a| / |a| <= value; else |b - a| <= value
};
using Tolerances = std::map<std::string, Tolerance>;

// hit_ratio 0.01 absolute, evicted_keys 3%, latency_us.p50 and .p99 25% (loopback against the model's RTT),
// failover promotion time (failovers.<node>.promotion_s) 15%.
Tolerances default_tolerances();
// "metric=0.02" (absolute) or "metric=3%" (relative) onto `into`. Throws std::invalid_argument on bad text, a
// value that is not a finite number >= 0, or a metric compare does not know.
void parse_tolerance(const std::string& text, Tolerances& into);
// A metric name compare reports (hit_ratio, latency_us.p99, failovers.<node>.promotion_s, ...).
bool known_metric(const std::string& name);

// The summary keys of the metrics registered with the run session, in registration order: compare lines each up
// at summary.json `/<name>`. metrics/run_metric.hpp's registry adds every metric it registers (results sits below
// metrics, so it keeps the names, not the metrics).
void add_registered_metric(const std::string& name);
const std::vector<std::string>& registered_metrics();

// The verdict: {"run_a", "run_b", "pass", "metrics": [{name, a, b, abs_diff, rel_diff, tolerance, relative,
// within}], "series": [{column, a_mean, b_mean}]}. Metrics without a tolerance are shown with within = null.
// Throws cachelab::ResultsError when a directory is not a run.
nlohmann::json compare_runs(const std::filesystem::path& a, const std::filesystem::path& b, const Tolerances& tol);

// A table for people.
std::string format_verdict(const nlohmann::json& verdict);

}  // namespace cachelab::compare
