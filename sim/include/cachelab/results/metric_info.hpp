#pragma once
// What each metric of `cachelab compare` means to a person: a label, the unit its number is read in and the
// direction that is better. One table for every reader of compare_runs' rows: the command's table (compare.cpp
// format_verdict) formats each cell in the metric's unit, and the dashboard's compare view (gui/src/model/
// effect_table.cpp) labels each row and says whether a change is better or worse. The names are compare_runs'
// (results/README.md: summary.json's keys, a dot for each level).
#include <string>
#include <string_view>

namespace cachelab::results {

enum class MetricUnit {
  Count,        // a number of things (requests, keys, errors); a mean of them may have decimals
  Ratio,        // a share in 0..1 read to 4 decimals (hit ratio, availability)
  Probability,  // a small share (error rates): 3 significant digits, "< 1e-9" below
  Micros,       // a duration in µs (latencies)
  Seconds,      // a duration in s (failover times)
  Bytes,        // a size in bytes (binary units, as the summary prints them)
};
enum class Better { Higher, Lower, Neither };

struct MetricInfo {
  std::string label;  // "database requests", "latency p99", "failover of master-1: kill to promotion"
  MetricUnit unit = MetricUnit::Count;
  Better better = Better::Neither;
  bool known = false;  // false: a name this table does not describe (a metric registered with the run session)
};

// The description of a compare_runs metric name ("origin.requests", "latency_us.p99", "streams.checkout.hit_ratio",
// "failovers.master-1.promotion_s"). An unknown name is labelled with itself, a Count with no better direction.
MetricInfo metric_info(std::string_view name);

// `v` in `unit`, through io/number_format.hpp ("0.7839", "13.3 ms", "64.0 MiB", "1,173,674"). NaN: "n/a".
std::string format_metric(double v, MetricUnit unit);

}  // namespace cachelab::results
