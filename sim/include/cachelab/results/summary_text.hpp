#pragma once
// The run summary as a person reads it (`cachelab run`, `cachelab live`): what happened, in words, with every
// number through cachelab::fmt. It says apart what the application saw fail, what the cache could not answer but
// the database did (degraded, by error kind), the database's timeouts and rejections, availability, every kind of
// acknowledged write lost, and what each SLO measures. It reads only summary.json's keys (results/README.md), so
// both modes print the same table.
#include <string>

#include <nlohmann/json.hpp>

namespace cachelab::results {

struct SummaryTextContext {
  std::string name, title;  // the scenario's
  double warmup_s = 0;
  double duration_s = 0;  // for the nodes' ops/s
  std::string dir;        // the run directory, "" when none was written
};

std::string summary_text(const nlohmann::json& summary, const SummaryTextContext& ctx);

// One SLO row of summary.json `slo` as a line: "SLO error_rate_max  PASS  share of requests that failed for the
// application: 0 (target at most 0.001)". The value and target are formatted for the SLO's unit.
std::string slo_line(const nlohmann::json& slo);

}  // namespace cachelab::results
