#pragma once
// An SLO's figure as every output prints it (cachelab plan, the plan's explanation, the HTML report), in the unit of
// the SLO's name (summary.json `slo`, results/README.md).
#include <string>

namespace cachelab::results {

// latency_*: a duration ("736 ms"); hit_ratio_min, availability_min: a ratio ("0.7733"); error rates: a share
// ("0.0566", "< 1e-9"); origin_requests_per_s_max: a rate ("27.1k/s"); otherwise a count ("61"); "n/a" when not finite.
std::string slo_value_text(const std::string& slo_name, double v);

}  // namespace cachelab::results
