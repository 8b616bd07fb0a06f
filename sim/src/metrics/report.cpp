#include "cachelab/metrics/report.hpp"

#include "cachelab/results/summary_core.hpp"

#include <cmath>
#include <cstdio>

namespace cachelab {

using nlohmann::json;

std::string format_fixed(double v, int decimals) {
  if (!std::isfinite(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s(buf);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

static json opt_json(const std::optional<double>& v) { return v ? json(*v) : json(); }

json latency_json(const LogHistogram& h) {
  auto us = [](std::optional<double> ns) { return ns ? std::optional<double>(*ns / 1000.0) : std::nullopt; };
  return {{"p50", opt_json(us(h.quantile(0.50)))},
          {"p90", opt_json(us(h.quantile(0.90)))},
          {"p99", opt_json(us(h.quantile(0.99)))},
          {"p999", opt_json(us(h.quantile(0.999)))},
          {"max", h.count() ? json(h.max() / 1000.0) : json()},
          {"mean", opt_json(us(h.mean()))}};
}

SeriesWriter::SeriesWriter(const std::vector<std::string>& node_names) : last_(node_names.size()) {
  columns_ = {"t_s",
              "warmup",
              "requests_per_s",
              "reads_per_s",
              "writes_per_s",
              "offered_per_s",
              "hit_ratio",
              "latency_us_p50",
              "latency_us_p90",
              "latency_us_p99",
              "latency_us_max",
              "origin_requests_per_s",
              "origin_concurrency_max",
              "origin_queue_max",
              "origin_latency_us_p99"};
  for (size_t k = 0; k < static_cast<size_t>(ErrorKind::kCount); ++k)
    columns_.push_back(std::string("errors_") + error_name(static_cast<ErrorKind>(k)));
  // The summary's outcomes per interval: when requests failed for the application, were degraded, and when the
  // database timed out or refused (the report's failures chart; summary failed_requests ... origin.rejected).
  for (const char* c : {"failed_requests", "degraded_requests", "origin_timeouts", "origin_rejected"})
    columns_.push_back(c);
  columns_.push_back("evicted_keys");
  columns_.push_back("expired_keys");
  for (const auto& n : node_names)
    for (const char* c : {".role", ".used_memory_bytes", ".keys", ".ops_per_s", ".evicted_keys", ".expired_stale_keys",
                          ".expired_stale_bytes", ".expired_keys", ".keyspace_hits", ".keyspace_misses"})
      columns_.push_back(n + c);
}

std::vector<std::string> SeriesWriter::row(double t_end_s, bool warmup, double secs, const Recorder::Interval& iv,
                                           const std::vector<NodeSample>& nodes) {
  const Counters& c = iv.c;
  std::vector<std::string> row;
  row.reserve(columns_.size());
  row.push_back(format_fixed(t_end_s, 6));
  row.push_back(warmup ? "1" : "0");
  row.push_back(format_fixed(c.requests / secs, 3));
  row.push_back(format_fixed(c.reads / secs, 3));
  row.push_back(format_fixed(c.writes / secs, 3));
  row.push_back(format_fixed(c.offered / secs, 3));
  row.push_back(
      c.hits + c.misses ? format_fixed(static_cast<double>(c.hits) / static_cast<double>(c.hits + c.misses), 6) : "");
  for (double q : {0.5, 0.9, 0.99}) {
    const auto v = iv.latency->quantile(q);
    row.push_back(v ? format_fixed(*v / 1000.0, 3) : "");
  }
  row.push_back(iv.latency->count() ? format_fixed(iv.latency->max() / 1000.0, 3) : "");
  row.push_back(format_fixed(c.origin_requests / secs, 3));
  row.push_back(std::to_string(c.origin_concurrency_max));
  row.push_back(std::to_string(c.origin_queue_max));
  const auto op99 = iv.origin_latency->quantile(0.99);
  row.push_back(op99 ? format_fixed(*op99 / 1000.0, 3) : "");
  for (uint64_t e : c.errors) row.push_back(std::to_string(e));
  for (uint64_t n : {c.failed, c.degraded, c.origin_timeouts, c.origin_rejected}) row.push_back(std::to_string(n));
  uint64_t evicted = 0, expired = 0;
  for (size_t i = 0; i < nodes.size(); ++i) {
    evicted += nodes[i].evicted_keys - last_[i].evicted_keys;
    expired += nodes[i].expired_keys - last_[i].expired_keys;
  }
  row.push_back(std::to_string(evicted));
  row.push_back(std::to_string(expired));
  for (size_t i = 0; i < nodes.size(); ++i) {
    const NodeSample& n = nodes[i];
    row.push_back(n.role);
    row.push_back(std::to_string(n.used_memory_bytes));
    row.push_back(std::to_string(n.keys));
    row.push_back(format_fixed((n.ops - last_[i].ops) / secs, 3));
    row.push_back(std::to_string(n.evicted_keys - last_[i].evicted_keys));
    row.push_back(std::to_string(n.expired_stale_keys));
    row.push_back(std::to_string(n.expired_stale_bytes));
    row.push_back(std::to_string(n.expired_keys - last_[i].expired_keys));  // per interval, like .evicted_keys
    row.push_back(std::to_string(n.keyspace_hits - last_[i].keyspace_hits));
    row.push_back(std::to_string(n.keyspace_misses - last_[i].keyspace_misses));
    last_[i] = n;
  }
  return row;
}

namespace {

// {p50, p90, p99, p999, max, mean} in microseconds from a histogram of nanoseconds; NaN (null) when empty.
results::LatencyUs latency_record(const LogHistogram& h) {
  auto us = [](std::optional<double> ns) { return ns ? *ns / 1000.0 : results::kMissing; };
  return {us(h.quantile(0.50)),
          us(h.quantile(0.90)),
          us(h.quantile(0.99)),
          us(h.quantile(0.999)),
          h.count() ? h.max() / 1000.0 : results::kMissing,
          us(h.mean())};
}

}  // namespace

json summary_from_recorder(const Recorder& rec, const std::string& mode, uint64_t seed, double measured_s) {
  const Counters& tot = rec.totals();
  auto count = [](uint64_t v) { return static_cast<double>(v); };
  results::Summary s;
  s.mode = mode;
  s.seed = seed;
  s.measured_s = measured_s;
  s.requests = count(tot.requests);
  s.reads = count(tot.reads);
  s.writes = count(tot.writes);
  s.offered = count(tot.offered);
  s.failed_requests = count(tot.failed);
  s.hits = count(tot.hits);
  s.misses = count(tot.misses);
  s.hit_ratio = tot.hits + tot.misses ? static_cast<double>(tot.hits) / static_cast<double>(tot.hits + tot.misses)
                                      : results::kMissing;
  s.throughput_per_s = measured_s > 0 ? tot.requests / measured_s : results::kMissing;
  // Share of requests the cache answered (no connection error, CLUSTERDOWN or timeout on the way).
  s.degraded_requests = count(tot.degraded);
  s.availability =
      tot.requests ? 1.0 - static_cast<double>(tot.degraded) / static_cast<double>(tot.requests) : results::kMissing;
  s.latency_us = latency_record(rec.latency());
  const auto err = [&](ErrorKind k) { return count(tot.errors[static_cast<size_t>(k)]); };
  static_assert(static_cast<size_t>(ErrorKind::kCount) == 10, "a new ErrorKind needs its field in results::Errors");
  s.errors = {err(ErrorKind::Moved),       err(ErrorKind::Ask),       err(ErrorKind::TryAgain),
              err(ErrorKind::ClusterDown), err(ErrorKind::Oom),       err(ErrorKind::Timeout),
              err(ErrorKind::Connection),  err(ErrorKind::CrossSlot), err(ErrorKind::NoReplicas),
              err(ErrorKind::Reply)};
  s.origin.requests = count(tot.origin_requests);
  s.origin.reads = count(tot.origin_reads);
  s.origin.writes = count(tot.origin_writes);
  s.origin.rejected = count(tot.origin_rejected);
  s.origin.timeouts = count(tot.origin_timeouts);
  s.origin.requests_per_s = measured_s > 0 ? tot.origin_requests / measured_s : results::kMissing;
  s.origin.concurrency_max = count(tot.origin_concurrency_max);
  s.origin.queue_max = count(tot.origin_queue_max);
  s.origin.latency_us = latency_record(rec.origin_latency());
  s.writes_acknowledged = count(tot.writes_acknowledged);
  const auto share = [&](uint64_t n) {
    return tot.requests ? static_cast<double>(n) / static_cast<double>(tot.requests) : results::kMissing;
  };
  s.error_rate = share(tot.failed);
  s.cache_failed_requests = count(tot.cache_failed);
  s.cache_error_rate = share(tot.cache_failed);
  s.failed_by_cause = {count(tot.failed_origin), count(tot.failed_cache), count(tot.failed_buffer_full),
                       count(tot.failed_not_started)};
  const auto degraded = [&](ErrorKind k) { return count(tot.degraded_by[static_cast<size_t>(k)]); };
  s.degraded_by_error = {degraded(ErrorKind::Connection), degraded(ErrorKind::ClusterDown),
                         degraded(ErrorKind::Timeout)};
  s.key_hits = count(tot.key_hits);
  s.key_misses = count(tot.key_misses);
  s.key_hit_ratio = tot.key_hits + tot.key_misses
                        ? static_cast<double>(tot.key_hits) / static_cast<double>(tot.key_hits + tot.key_misses)
                        : results::kMissing;
  for (size_t k = 0; k < static_cast<size_t>(StaleSource::kCount); ++k) {
    const StaleCounts& c = tot.stale[k];
    results::StaleSummary& out = k == 0 ? s.stale_reads.cache : k == 1 ? s.stale_reads.l1 : s.stale_reads.replica;
    out.reads = count(c.reads);
    out.age_ms_mean =
        c.reads ? static_cast<double>(c.age_ns_sum) / static_cast<double>(c.reads) / 1e6 : results::kMissing;
    out.age_ms_max = c.reads ? static_cast<double>(c.age_ns_max) / 1e6 : results::kMissing;
  }
  return results::core_to_json(s);
}

}  // namespace cachelab
