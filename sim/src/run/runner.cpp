#include "cachelab/run/runner.hpp"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdlib>

#include "cachelab/client/request_tracer.hpp"

#include "cachelab/run/session.hpp"
#include "sim_world.hpp"

namespace cachelab {

using nlohmann::json;

// The rows of `slo`'s targets against `summary` (a whole run's, or one stream's figures in its shape), appended to
// `out`, each naming `stream` when it is not empty.
static void runner_slo_rows(const SloTargets& slo, const json& summary, const std::string& stream, json& out) {
  // `measures`: what the value is, in words, so a reader of the verdict need not know the knob's name.
  auto add = [&](const char* name, const std::optional<double>& target, const json& value, bool at_most,
                 const char* measures) {
    if (!target) return;
    json row = {{"name", name}, {"target", *target}, {"value", value}, {"measures", measures}};
    if (!stream.empty()) row["stream"] = stream;
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
  const double requests = summary.at("requests").get<double>();
  auto share = [&](const char* key) {
    return requests > 0 && summary.contains(key) ? json(summary.at(key).get<double>() / requests) : json();
  };
  add("latency_p50_ms", slo.latency_p50_ms, ms("p50"), true, "median latency the application saw");
  add("latency_p99_ms", slo.latency_p99_ms, ms("p99"), true, "99th-percentile latency the application saw");
  add("latency_p999_ms", slo.latency_p999_ms, ms("p999"), true, "99.9th-percentile latency the application saw");
  add("hit_ratio_min", slo.hit_ratio_min, summary.at("hit_ratio"), false, "share of reads the cache answered");
  add("error_rate_max", slo.error_rate_max, share("failed_requests"), true,
      "share of requests that failed for the application");
  add("cache_error_rate_max", slo.cache_error_rate_max, share("cache_failed_requests"), true,
      "share of requests whose cache command ended in an error (the database may have answered)");
  const double measured = summary.at("measured_s").get<double>();
  add("origin_requests_per_s_max", slo.origin_requests_per_s_max,
      measured > 0 ? json(summary.at("origin").at("requests").get<double>() / measured) : json(), true,
      "database queries per second");
  add("availability_min", slo.availability_min, summary.value("availability", json()), false,
      "share of requests the cache answered without connection error, CLUSTERDOWN or timeout");
  // Every kind of acknowledged write lost (failover, deposed master, write-behind buffer lost in a crash): the
  // summary's lines name them all, so the SLO counts them all (writes_lost alone is the replication kinds).
  json lost;
  if (summary.contains("writes_lost_by_kind") && summary.at("writes_lost_by_kind").value("total", json()).is_number())
    lost = summary.at("writes_lost_by_kind").at("total").get<double>();
  else if (summary.contains("writes_lost"))
    lost = summary.at("writes_lost").get<double>();
  add("writes_lost_max", slo.writes_lost_max, lost, true,
      "acknowledged writes lost, every kind (failover, deposed master, write-behind crash)");
}

json evaluate_slos(const SloConfig& slo, const json& summary) {
  json out = json::array();
  runner_slo_rows(slo, summary, "", out);
  // Per stream (slo.streams): the stream's figures (summary.json streams.<name>) in a summary's shape.
  for (const StreamSlo& st : slo.streams) {
    const json* fig = summary.contains("streams") && summary.at("streams").contains(st.stream)
                          ? &summary.at("streams").at(st.stream)
                          : nullptr;
    json view = {{"measured_s", summary.at("measured_s")},
                 {"hit_ratio", json()},
                 {"requests", 0},
                 {"latency_us", {{"p50", json()}, {"p99", json()}, {"p999", json()}}},
                 {"origin", {{"requests", 0}}}};
    if (fig) {
      view["requests"] = fig->at("requests");
      view["hit_ratio"] = fig->at("hit_ratio");
      view["latency_us"] = fig->at("latency_us");
      view["failed_requests"] = fig->at("failed_requests");
      view["cache_failed_requests"] = fig->at("cache_failed_requests");
      view["origin"]["requests"] = fig->at("origin_requests");
    }
    runner_slo_rows(st.targets, view, st.stream, out);
  }
  return out;
}

namespace {

std::string parse_trace_requests(const std::string& text, uint64_t& out) {
  const std::string expected = "expected a whole number from 1 to " + std::to_string(RequestTracer::kMaxLimit);
  bool digits = !text.empty() && text.size() <= 20;
  for (char c : text) digits = digits && c >= '0' && c <= '9';
  if (!digits) return expected + ", found '" + text + "'";
  errno = 0;
  const unsigned long long v = std::strtoull(text.c_str(), nullptr, 10);
  if (errno == ERANGE || v < 1 || v > RequestTracer::kMaxLimit) return expected + ", found " + text;
  out = v;
  return "";
}

std::string parse_trace_window(const std::string& text, double& from_s, double& to_s) {
  const std::string expected = "expected FROM:TO in seconds (0 <= FROM < TO, TO may be empty)";
  auto number = [](const std::string& t, double& v) {
    char* end = nullptr;
    v = std::strtod(t.c_str(), &end);
    return !t.empty() && *end == '\0' && std::isfinite(v) && v >= 0 && v <= 1e8;
  };
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return expected + ", found '" + text + "'";
  const std::string a = text.substr(0, colon), b = text.substr(colon + 1);
  to_s = -1;
  if (!number(a, from_s) || (!b.empty() && (!number(b, to_s) || !(to_s > from_s))))
    return expected + ", found '" + text + "'";
  return "";
}

}  // namespace

std::string parse_trace_options(const std::string& requests, const std::string& window, TraceOptions& out) {
  out = TraceOptions{};
  if (requests.empty()) return window.empty() ? "" : "--trace-window needs --trace-requests N";
  if (std::string why = parse_trace_requests(requests, out.limit); !why.empty()) return "--trace-requests: " + why;
  if (!window.empty())
    if (std::string why = parse_trace_window(window, out.from_s, out.to_s); !why.empty())
      return "--trace-window: " + why;
  return "";
}

RunOutput simulate(const Scenario& s, RunObserver* observer, const TraceOptions& trace) {
  const auto wall_start = std::chrono::steady_clock::now();
  RunSession session(s);
  session.trace_requests(trace);
  SimWorld world(s, session);
  RunOutput out = session.run(world, observer);
  out.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  return out;
}

}  // namespace cachelab
