#pragma once
// Where and by how much a run missed an SLO, for `cachelab plan`'s verdicts: the SLO's target and value in the
// units a person reads (cachelab::fmt), and, for the SLOs series.csv can show per interval (latency percentiles,
// hit ratio, origin load), the time window of the measured period in which the intervals miss the target and the
// workload phase (arrival-rate step) of the worst interval.
#include <optional>
#include <string>
#include <vector>

#include "cachelab/results/reader.hpp"
#include "cachelab/results/slo_text.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab::sweep {

struct SloWindow {
  double from_s = 0, to_s = 0;  // first and last missing interval (end times - interval)
  int intervals = 0;            // intervals that miss
  double worst_t_s = 0;         // the worst interval's end
  std::string phase;            // "rate 150k/s from 50.0 s", "" when the workload has one rate
};

// The series column and direction an SLO can be checked against per interval; nullopt for the others.
std::optional<SloWindow> slo_window(const results::Series& series, const std::string& slo_name, double target,
                                    double warmup_s, double interval_s, const Scenario& s);

// The workload phase at time t: "rate 60.0k/s", "ramp to 150k/s", "" when there is one rate.
std::string phase_at(const Scenario& s, double t_s);

// An SLO's value in its unit: results::slo_value_text (results/slo_text.hpp).
using results::slo_value_text;
// How far it is from the target, with the sign that reads: "711 ms over", "0.0267 under".
std::string slo_shortfall_text(const std::string& slo_name, double value, double target);
// What an SLO measures, in a few words (a stream's SLO, "name [stream]" as results::slo_label writes it: for that
// stream).
std::string slo_about(const std::string& slo_name);

}  // namespace cachelab::sweep
