#pragma once
// An SLO's figure as every output prints it (cachelab plan, the plan's explanation, the HTML report), in the unit of
// the SLO's name (summary.json `slo`, results/README.md).
#include <string>

#include <nlohmann/json.hpp>

namespace cachelab::results {

// latency_*: a duration ("736 ms"); hit_ratio_min, availability_min: a ratio ("0.7733"); error rates: a share
// ("0.0566", "< 1e-9"); origin_requests_per_s_max: a rate ("27.1k/s"); otherwise a count ("61"); "n/a" when not finite.
std::string slo_value_text(const std::string& slo_name, double v);

// A row of summary.json `slo` as outputs name it: its `name`, or for a stream's SLO (slo.streams) "name [stream]".
std::string slo_label(const nlohmann::json& row);
// Its identity across runs and points (sweep tables, plan cases): `name`, or "streams.<stream>.<name>".
std::string slo_id(const nlohmann::json& row);

}  // namespace cachelab::results
