#include "cachelab/results/summary_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string_view>
#include <vector>

#include "cachelab/io/number_format.hpp"
#include "cachelab/io/text.hpp"

namespace cachelab::results {

using nlohmann::json;

namespace {

// A number at `ptr` of `j`, NaN when absent or null (older summaries, live-only gaps).
double at(const json& j, std::string_view ptr) {
  const json::json_pointer p{std::string(ptr)};
  if (!j.contains(p)) return NAN;
  const json& v = j.at(p);
  return v.is_number() ? v.get<double>() : NAN;
}

// "a 1, b 2" over the non-zero entries; "" when all are zero or absent.
// `count_first`: "61 in a write-behind buffer" rather than "connection 79,025".
std::string nonzero_list(const std::vector<std::pair<std::string, double>>& items, bool count_first = false) {
  std::string out;
  for (const auto& [label, v] : items) {
    if (!(v > 0)) continue;
    if (!out.empty()) out += ", ";
    out += count_first ? fmt::count(v) + " " + label : label + " " + fmt::count(v);
  }
  return out;
}

std::string share_of(double n, double requests) {
  return requests > 0 && std::isfinite(n) ? " (" + fmt::percent(n / requests) + " of requests)" : "";
}

void line(std::string& out, const char* label, const std::string& text) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "  %-20s", label);
  out += buf + text + "\n";
}

// How an SLO's figures read: latency in time units, shares as ratios or probabilities, counts, rates.
std::string slo_value(const std::string& name, double v) {
  if (name.rfind("latency_", 0) == 0) return fmt::duration_ms(v);
  if (name == "error_rate_max" || name == "cache_error_rate_max") return fmt::probability(v);
  if (name == "origin_requests_per_s_max") return fmt::rate_per_s(v);
  if (name == "writes_lost_max") return fmt::count(v);
  return fmt::ratio(v);
}

}  // namespace

std::string slo_line(const json& slo) {
  const std::string name = slo.value("name", std::string("?"));
  const bool at_most = name.size() > 4 && (name.ends_with("_max") || name.rfind("latency_", 0) == 0);
  const std::string measures = slo.value("measures", std::string());
  const double value = slo.contains("value") && slo["value"].is_number() ? slo["value"].get<double>() : NAN;
  const double target = slo.contains("target") && slo["target"].is_number() ? slo["target"].get<double>() : NAN;
  // A stream's SLO (slo.streams) names its stream: "latency_p99_ms [tenant-a]", the value that stream's.
  const std::string stream =
      slo.contains("stream") && slo["stream"].is_string() ? slo["stream"].get<std::string>() : "";
  const std::string label =
      stream.empty() ? io::printable(name, 40) : io::printable(name, 40) + " [" + io::printable(stream, 40) + "]";
  char head[128];
  std::snprintf(head, sizeof head, "  SLO %-26s %s  ", label.c_str(), slo.value("pass", false) ? "PASS" : "FAIL");
  std::string out = head;
  out += (measures.empty() ? std::string("value") : measures) +
         (stream.empty() ? "" : " (stream " + io::printable(stream, 40) + ")") + ": " +
         (std::isnan(value) ? std::string("no value") : slo_value(name, value)) + " (target " +
         (at_most ? "at most " : "at least ") + slo_value(name, target) + ")";
  return out;
}

std::string summary_text(const json& sum, const SummaryTextContext& ctx) {
  std::string out = io::printable(ctx.name, 200) + ": " + io::printable(ctx.title, 400) + "\n";
  const double requests = at(sum, "/requests");
  line(
      out, "measured",
      fmt::duration_s(at(sum, "/measured_s")) +
          (ctx.warmup_s > 0 ? " (after " + fmt::duration_s(ctx.warmup_s) + " warm-up)" : std::string(" (no warm-up)")));
  line(out, "requests", fmt::count(requests) + " (" + fmt::rate_per_s(at(sum, "/throughput_per_s")) + ")");

  // What the application saw fail, and why.
  const double failed = at(sum, "/failed_requests");
  if (failed > 0) {
    const std::string why =
        nonzero_list({{"database timed out or refused", at(sum, "/failed_by_cause/origin")},
                      {"cache error without fallback", at(sum, "/failed_by_cause/cache")},
                      {"write-behind buffer full", at(sum, "/failed_by_cause/write_buffer_full")},
                      {"client not started (no seed answered)", at(sum, "/failed_by_cause/client_not_started")}});
    line(out, "failed",
         fmt::count(failed) + share_of(failed, requests) + " failed for the application" +
             (why.empty() ? "" : ": " + why));
  } else {
    line(out, "failed", "none: no request failed for the application");
  }
  // What the cache could not answer: the request went to the database instead.
  const double degraded = at(sum, "/degraded_requests");
  if (degraded > 0) {
    const std::string kinds = nonzero_list({{"connection", at(sum, "/degraded_by_error/connection")},
                                            {"CLUSTERDOWN", at(sum, "/degraded_by_error/clusterdown")},
                                            {"timeout", at(sum, "/degraded_by_error/timeout")}});
    line(out, "degraded",
         fmt::count(degraded) + share_of(degraded, requests) + " the cache could not answer, sent to the database" +
             (kinds.empty() ? "" : ": " + kinds));
  } else {
    line(out, "degraded", "none: the cache answered every request it was asked");
  }
  line(out, "availability", fmt::ratio(at(sum, "/availability")) + " (share of requests the cache answered)");
  line(out, "hit ratio", fmt::ratio(at(sum, "/hit_ratio")));
  line(out, "latency",
       "p50 " + fmt::duration_us(at(sum, "/latency_us/p50")) + "  p90 " + fmt::duration_us(at(sum, "/latency_us/p90")) +
           "  p99 " + fmt::duration_us(at(sum, "/latency_us/p99")) + "  p99.9 " +
           fmt::duration_us(at(sum, "/latency_us/p999")) + "  max " + fmt::duration_us(at(sum, "/latency_us/max")));
  line(out, "origin (database)",
       fmt::count(at(sum, "/origin/requests")) + " queries (" + fmt::rate_per_s(at(sum, "/origin/requests_per_s")) +
           "), peak concurrency " + fmt::count(at(sum, "/origin/concurrency_max")) + ", p99 " +
           fmt::duration_us(at(sum, "/origin/latency_us/p99")) + ", " + fmt::count(at(sum, "/origin/timeouts")) +
           " timeouts, " + fmt::count(at(sum, "/origin/rejected")) + " rejected");
  // Cache errors: requests whose cache answer ended in an error, then every error reply by kind (commands,
  // redirections and retried attempts included).
  std::vector<std::pair<std::string, double>> kinds;
  if (sum.contains("errors") && sum["errors"].is_object())
    for (const auto& [k, v] : sum["errors"].items())
      if (v.is_number()) kinds.emplace_back(k, v.get<double>());
  const std::string replies = nonzero_list(kinds);
  const double cache_failed = at(sum, "/cache_failed_requests");
  if (replies.empty() && !(cache_failed > 0)) {
    line(out, "cache errors", "none");
  } else {
    std::string text = std::isfinite(cache_failed) ? fmt::count(cache_failed) + " requests got one (cache error rate " +
                                                         fmt::probability(at(sum, "/cache_error_rate")) + ")"
                                                   : std::string();
    if (!replies.empty()) text += (text.empty() ? "" : "; ") + std::string("error replies: ") + replies;
    line(out, "cache errors", text);
  }
  // Every kind of acknowledged write lost, named.
  const double lost_total = at(sum, "/writes_lost_by_kind/total");
  const double lost = std::isfinite(lost_total) ? lost_total : at(sum, "/writes_lost");
  if (lost > 0) {
    const std::string kinds_lost =
        std::isfinite(lost_total)
            ? nonzero_list(
                  {{"not yet replicated at a failover", at(sum, "/writes_lost_by_kind/failover")},
                   {"acknowledged by a deposed master", at(sum, "/writes_lost_by_kind/deposed_master")},
                   {"in a write-behind buffer lost in a client crash", at(sum, "/writes_lost_by_kind/write_behind")}},
                  true)
            : "in failovers";
    line(out, "writes lost", fmt::count(lost) + " acknowledged writes: " + kinds_lost);
  } else {
    line(out, "writes lost", "none of " + fmt::count(at(sum, "/writes_acknowledged")) + " acknowledged");
  }
  if (sum.contains("stale_reads") && sum["stale_reads"].is_object()) {
    // Reads served a value older than the database's (issue 16), by where they were served, and the oldest.
    const double cache = at(sum, "/stale_reads/cache/reads"), l1 = at(sum, "/stale_reads/l1/reads"),
                 replica = at(sum, "/stale_reads/replica/reads");
    double total = 0, oldest_ms = NAN;
    for (const char* src : {"cache", "l1", "replica"}) {
      const double n = at(sum, std::string("/stale_reads/") + src + "/reads");
      const double age = at(sum, std::string("/stale_reads/") + src + "/age_ms_max");
      if (std::isfinite(n)) total += n;
      if (std::isfinite(age) && !(oldest_ms >= age)) oldest_ms = age;
    }
    if (total > 0)
      line(out, "stale reads",
           fmt::count(total) + " reads older than the database: " +
               nonzero_list({{"shared cache", cache}, {"L1", l1}, {"replicas", replica}}) +
               (std::isfinite(oldest_ms) ? "; oldest " + fmt::duration_ms(oldest_ms) + " behind" : ""));
    else
      line(out, "stale reads", "none: every read returned the database's current value");
  }
  line(out, "evicted / expired",
       fmt::count(at(sum, "/evicted_keys")) + " / " + fmt::count(at(sum, "/expired_keys")) + " keys");
  if (sum.contains("streams") && sum["streams"].is_object() && !sum["streams"].empty()) {
    // Mixed streams (issue 16 part 4): each stream's own figures, in stream order.
    std::vector<std::pair<double, std::string>> order;
    for (const auto& [name, st] : sum["streams"].items()) order.emplace_back(at(st, "/index"), name);
    std::sort(order.begin(), order.end());
    char buf[200];
    std::snprintf(buf, sizeof buf, "%-12s %11s %9s %6s %9s %9s %11s %7s", "name", "requests", "rate", "hit", "p50",
                  "p99", "db queries", "failed");
    line(out, "streams", buf);
    for (const auto& [index, name] : order) {
      const json& st = sum["streams"][name];
      std::snprintf(buf, sizeof buf, "%-12s %11s %9s %6s %9s %9s %11s %7s", io::printable(name, 12).c_str(),
                    fmt::count(at(st, "/requests")).c_str(), fmt::rate_per_s(at(st, "/requests_per_s")).c_str(),
                    fmt::ratio(at(st, "/hit_ratio")).c_str(), fmt::duration_us(at(st, "/latency_us/p50")).c_str(),
                    fmt::duration_us(at(st, "/latency_us/p99")).c_str(), fmt::count(at(st, "/origin_requests")).c_str(),
                    fmt::count(at(st, "/failed_requests")).c_str());
      line(out, "", buf);
    }
  }
  if (sum.contains("nodes") && sum["nodes"].is_array() && !sum["nodes"].empty()) {
    char buf[160];
    std::snprintf(buf, sizeof buf, "%-12s %11s %10s %10s %8s %6s", "name", "keys", "used", "max", "ops", "util");
    line(out, "nodes", buf);
    const double secs = ctx.duration_s > 0 ? ctx.duration_s : NAN;
    for (const auto& n : sum["nodes"]) {
      const double max = at(n, "/maxmemory_bytes");
      std::snprintf(buf, sizeof buf, "%-12s %11s %10s %10s %8s %6s",
                    io::printable(n.value("name", std::string("?")), 12).c_str(), fmt::count(at(n, "/keys")).c_str(),
                    fmt::bytes(at(n, "/used_memory_bytes")).c_str(), max > 0 ? fmt::bytes(max).c_str() : "no limit",
                    fmt::rate_per_s(at(n, "/ops") / secs).c_str(), fmt::percent(at(n, "/utilization")).c_str());
      line(out, "", buf);
    }
  }
  if (sum.contains("slo") && sum["slo"].is_array())
    for (const auto& slo : sum["slo"]) out += slo_line(slo) + "\n";
  if (!ctx.dir.empty()) line(out, "results", io::printable(ctx.dir, 4096));
  return out;
}

}  // namespace cachelab::results
