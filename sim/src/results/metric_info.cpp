#include "cachelab/results/metric_info.hpp"

#include <cmath>

#include "cachelab/io/number_format.hpp"

namespace cachelab::results {

namespace {

bool metric_starts(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool metric_ends(std::string_view s, std::string_view e) {
  return s.size() >= e.size() && s.substr(s.size() - e.size()) == e;
}

std::string metric_percentile_label(std::string_view suffix) {
  if (suffix == "p999") return "p99.9";
  return std::string(suffix);
}

// The metrics every summary has (compare.cpp metrics_of), results/README.md's meaning in a few words.
struct MetricInfoRow {
  const char* name;
  const char* label;
  MetricUnit unit;
  Better better;
};
constexpr MetricInfoRow kKnownMetrics[] = {
    {"requests", "requests", MetricUnit::Count, Better::Neither},
    {"reads", "reads", MetricUnit::Count, Better::Neither},
    {"writes", "writes", MetricUnit::Count, Better::Neither},
    {"hits", "cache hits", MetricUnit::Count, Better::Higher},
    {"misses", "cache misses", MetricUnit::Count, Better::Lower},
    {"hit_ratio", "hit ratio", MetricUnit::Ratio, Better::Higher},
    {"key_hit_ratio", "key hit ratio (keys of reads found)", MetricUnit::Ratio, Better::Higher},
    {"origin.requests", "database requests", MetricUnit::Count, Better::Lower},
    {"origin.rejected", "database rejections", MetricUnit::Count, Better::Lower},
    {"origin.timeouts", "database timeouts", MetricUnit::Count, Better::Lower},
    {"origin.concurrency_max", "database peak concurrency", MetricUnit::Count, Better::Lower},
    {"evicted_keys", "evicted keys", MetricUnit::Count, Better::Lower},
    {"expired_keys", "expired keys", MetricUnit::Count, Better::Neither},
    {"writes_acknowledged", "writes acknowledged", MetricUnit::Count, Better::Neither},
    {"writes_lost", "acknowledged writes lost", MetricUnit::Count, Better::Lower},
    {"writes_lost_by_kind.total", "acknowledged writes lost, every kind", MetricUnit::Count, Better::Lower},
    {"failed_requests", "failed requests (the application saw an error)", MetricUnit::Count, Better::Lower},
    {"error_rate", "error rate", MetricUnit::Probability, Better::Lower},
    {"degraded_requests", "degraded requests (the database answered)", MetricUnit::Count, Better::Lower},
    {"availability", "availability (share the cache answered)", MetricUnit::Ratio, Better::Higher},
    {"cache_failed_requests", "requests whose cache command failed", MetricUnit::Count, Better::Lower},
    {"cache_error_rate", "cache error rate", MetricUnit::Probability, Better::Lower},
    {"keys", "keys held at the end", MetricUnit::Count, Better::Neither},
    {"used_memory_bytes", "used memory at the end", MetricUnit::Bytes, Better::Neither},
    {"failovers.promotion_s", "failover: kill to promotion (mean)", MetricUnit::Seconds, Better::Lower},
    {"stale_reads.cache", "stale reads from the shared cache", MetricUnit::Count, Better::Lower},
    {"stale_reads.l1", "stale reads from the L1 cache", MetricUnit::Count, Better::Lower},
    {"stale_reads.replica", "stale reads from replicas", MetricUnit::Count, Better::Lower},
};

// A stream's figures (streams.<name>.<figure>, compare.cpp).
constexpr MetricInfoRow kStreamMetrics[] = {
    {"requests", "requests", MetricUnit::Count, Better::Neither},
    {"hit_ratio", "hit ratio", MetricUnit::Ratio, Better::Higher},
    {"latency_us.p50", "latency p50", MetricUnit::Micros, Better::Lower},
    {"latency_us.p99", "latency p99", MetricUnit::Micros, Better::Lower},
    {"origin_requests", "database requests", MetricUnit::Count, Better::Lower},
    {"failed_requests", "failed requests", MetricUnit::Count, Better::Lower},
};

MetricInfo metric_info_row(const MetricInfoRow& k, std::string label_prefix = {}) {
  return {std::move(label_prefix) + k.label, k.unit, k.better, true};
}

}  // namespace

MetricInfo metric_info(std::string_view name) {
  if (metric_starts(name, "latency_us."))
    return {"latency " + metric_percentile_label(name.substr(11)), MetricUnit::Micros, Better::Lower, true};
  if (metric_starts(name, "origin.latency_us."))
    return {"database latency " + metric_percentile_label(name.substr(18)), MetricUnit::Micros, Better::Lower, true};
  if (metric_starts(name, "errors."))
    return {std::string(name.substr(7)) + " errors", MetricUnit::Count, Better::Lower, true};
  for (const auto& k : kKnownMetrics)
    if (name == k.name) return metric_info_row(k);
  if (metric_starts(name, "failovers.") && metric_ends(name, ".promotion_s") && name.size() > 22)
    return {"failover of " + std::string(name.substr(10, name.size() - 22)) + ": kill to promotion",
            MetricUnit::Seconds, Better::Lower, true};
  if (metric_starts(name, "streams.")) {
    const std::string_view rest = name.substr(8);
    for (const auto& k : kStreamMetrics) {
      const std::string_view figure = k.name;
      if (rest.size() > figure.size() + 1 && metric_ends(rest, figure) && rest[rest.size() - figure.size() - 1] == '.')
        return metric_info_row(k, "stream " + std::string(rest.substr(0, rest.size() - figure.size() - 1)) + ": ");
    }
  }
  // Another name (a metric registered with the run session, metrics/run_metric.hpp): its unit from its name, as
  // summary.json's keys carry theirs (results/README.md), no better direction.
  MetricUnit unit = MetricUnit::Count;
  if (metric_ends(name, "_us"))
    unit = MetricUnit::Micros;
  else if (metric_ends(name, "_s"))
    unit = MetricUnit::Seconds;
  else if (metric_ends(name, "_bytes"))
    unit = MetricUnit::Bytes;
  else if (metric_ends(name, "_ratio"))
    unit = MetricUnit::Ratio;
  else if (metric_ends(name, "_rate"))
    unit = MetricUnit::Probability;
  return {std::string(name), unit, Better::Neither, false};
}

std::string format_metric(double v, MetricUnit unit) {
  if (!std::isfinite(v)) return fmt::count(v);
  switch (unit) {
    case MetricUnit::Count:
      return v == std::floor(v) && std::fabs(v) < 1e15 ? fmt::count(v) : fmt::sig(v, 4);
    case MetricUnit::Ratio:
      return fmt::ratio(v);
    case MetricUnit::Probability:
      return fmt::probability(v);
    case MetricUnit::Micros:
      return v == 0 ? std::string("0") : fmt::duration_us(v);
    case MetricUnit::Seconds:
      return v == 0 ? std::string("0") : fmt::duration_s(v);
    case MetricUnit::Bytes:
      return fmt::bytes(v);
  }
  return fmt::sig(v, 4);
}

}  // namespace cachelab::results
