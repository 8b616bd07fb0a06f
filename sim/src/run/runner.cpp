#include "cachelab/run/runner.hpp"

#include <chrono>

#include "cachelab/run/session.hpp"
#include "sim_world.hpp"

namespace cachelab {

using nlohmann::json;

json evaluate_slos(const SloConfig& slo, const json& summary) {
  json out = json::array();
  auto add = [&](const char* name, const std::optional<double>& target, const json& value, bool at_most) {
    if (!target) return;
    json row = {{"name", name}, {"target", *target}, {"value", value}};
    if (value.is_null()) {
      row["pass"] = false;
      row["margin"] = json();
    } else {
      const double v = value.get<double>();
      const double margin = at_most ? *target - v : v - *target;
      row["pass"] = margin >= 0;
      row["margin"] = margin;
    }
    out.push_back(row);
  };
  auto ms = [&](const char* p) {
    const json& v = summary.at("latency_us").at(p);
    return v.is_null() ? json() : json(v.get<double>() / 1000.0);
  };
  add("latency_p50_ms", slo.latency_p50_ms, ms("p50"), true);
  add("latency_p99_ms", slo.latency_p99_ms, ms("p99"), true);
  add("latency_p999_ms", slo.latency_p999_ms, ms("p999"), true);
  add("hit_ratio_min", slo.hit_ratio_min, summary.at("hit_ratio"), false);
  const double requests = summary.at("requests").get<double>();
  add("error_rate_max", slo.error_rate_max,
      requests > 0 ? json(summary.at("failed_requests").get<double>() / requests) : json(), true);
  const double measured = summary.at("measured_s").get<double>();
  add("origin_requests_per_s_max", slo.origin_requests_per_s_max,
      measured > 0 ? json(summary.at("origin").at("requests").get<double>() / measured) : json(), true);
  add("availability_min", slo.availability_min, summary.value("availability", json()), false);
  add("writes_lost_max", slo.writes_lost_max,
      summary.contains("writes_lost") ? json(summary.at("writes_lost").get<double>()) : json(), true);
  return out;
}

RunOutput simulate(const Scenario& s, RunObserver* observer) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunSession session(s);
  SimWorld world(s, session);
  RunOutput out = session.run(world, observer);
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return out;
}

}  // namespace cachelab
