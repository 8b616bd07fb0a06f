#include "cachelab/sweep/plan_explain.hpp"

#include <cmath>

#include "cachelab/io/number_format.hpp"

namespace cachelab::sweep {

std::string phase_at(const Scenario& s, double t) {
  if (s.workload.shape.empty()) return "";
  double rate = s.workload.rate_per_s;
  std::string text = "rate " + fmt::rate_per_s(rate);
  for (const auto& st : s.workload.shape) {
    if (t < st.at_s) break;
    if (st.ramp_s > 0 && t < st.at_s + st.ramp_s) {
      text = "ramp from " + fmt::rate_per_s(rate) + " to " + fmt::rate_per_s(st.rate_per_s) + " (" +
             fmt::duration_s(st.at_s) + " to " + fmt::duration_s(st.at_s + st.ramp_s) + ")";
    } else {
      text = "rate " + fmt::rate_per_s(st.rate_per_s) + " from " + fmt::duration_s(st.at_s + st.ramp_s);
    }
    rate = st.rate_per_s;
  }
  return text;
}

std::optional<SloWindow> slo_window(const results::Series& series, const std::string& name, double target,
                                    double warmup_s, double interval_s, const Scenario& s) {
  std::string column;
  double scale = 1;
  bool at_most = true;
  if (name == "latency_p50_ms")
    column = "latency_us_p50", scale = 1e-3;
  else if (name == "latency_p99_ms" || name == "latency_p999_ms")
    column = "latency_us_p99", scale = 1e-3;
  else if (name == "hit_ratio_min")
    column = "hit_ratio", at_most = false;
  else if (name == "origin_requests_per_s_max")
    column = "origin_requests_per_s";
  else
    return std::nullopt;
  const auto* col = series.column(column);
  const auto* t = series.column("t_s");
  if (!col || !t) return std::nullopt;
  SloWindow w;
  double worst_excess = -INFINITY;
  for (size_t i = 0; i < col->size(); ++i) {
    const double end = (*t)[i], v = (*col)[i] * scale;
    if (end - interval_s < warmup_s - 1e-9 || !std::isfinite(v)) continue;
    const double excess = at_most ? v - target : target - v;
    if (excess <= 0) continue;
    if (w.intervals++ == 0) w.from_s = end - interval_s;
    w.to_s = end;
    if (excess > worst_excess) {
      worst_excess = excess;
      w.worst_t_s = end;
    }
  }
  if (w.intervals == 0) return std::nullopt;
  w.phase = phase_at(s, w.worst_t_s - interval_s / 2);
  return w;
}

std::string slo_shortfall_text(const std::string& n, double value, double target) {
  if (!std::isfinite(value)) return "no value";
  const bool at_most = !(n == "hit_ratio_min" || n == "availability_min");
  const double d = at_most ? value - target : target - value;
  std::string amount;
  if (n == "hit_ratio_min" || n == "availability_min")
    amount = fmt::sig(d, 3);
  else
    amount = slo_value_text(n, d);
  return amount + (at_most ? " over" : " under");
}

std::string slo_about(const std::string& label) {
  // A stream's SLO reads "name [stream]" (results::slo_label): what its name measures, for that stream.
  const size_t bracket = label.find(" [");
  if (bracket != std::string::npos) {
    const std::string about = slo_about(label.substr(0, bracket));
    return about.empty() ? about : about + ", stream " + label.substr(bracket + 2, label.size() - bracket - 3);
  }
  const std::string& n = label;
  if (n == "latency_p50_ms") return "median application latency";
  if (n == "latency_p99_ms") return "99th percentile application latency";
  if (n == "latency_p999_ms") return "99.9th percentile application latency";
  if (n == "hit_ratio_min") return "share of reads the cache answered";
  if (n == "error_rate_max") return "share of requests the application saw fail";
  if (n == "cache_error_rate_max") return "share of requests whose cache command ended in an error";
  if (n == "origin_requests_per_s_max") return "database queries per second";
  if (n == "availability_min") return "share of requests the cache answered";
  if (n == "writes_lost_max") return "acknowledged writes lost, every kind";
  return "";
}

}  // namespace cachelab::sweep
