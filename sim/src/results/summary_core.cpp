#include "cachelab/results/summary_core.hpp"

#include <cmath>
#include <cstdint>
#include <string>
#include <utility>

#include "describe.hpp"

namespace cachelab::results {

using nlohmann::json;

namespace {

enum class Kind { Count, Real };  // how a figure is written: an unsigned integer, or a real

template <class S>
struct Field {
  const char* key;
  double S::*member;
  Kind kind;
};

constexpr Field<Summary> kTop[] = {
    {"measured_s", &Summary::measured_s, Kind::Real},
    {"requests", &Summary::requests, Kind::Count},
    {"reads", &Summary::reads, Kind::Count},
    {"writes", &Summary::writes, Kind::Count},
    {"offered", &Summary::offered, Kind::Count},
    {"failed_requests", &Summary::failed_requests, Kind::Count},
    {"hits", &Summary::hits, Kind::Count},
    {"misses", &Summary::misses, Kind::Count},
    {"hit_ratio", &Summary::hit_ratio, Kind::Real},
    {"throughput_per_s", &Summary::throughput_per_s, Kind::Real},
    {"degraded_requests", &Summary::degraded_requests, Kind::Count},
    {"availability", &Summary::availability, Kind::Real},
    {"writes_acknowledged", &Summary::writes_acknowledged, Kind::Count},
    {"error_rate", &Summary::error_rate, Kind::Real},
    {"cache_failed_requests", &Summary::cache_failed_requests, Kind::Count},
    {"cache_error_rate", &Summary::cache_error_rate, Kind::Real},
    {"key_hits", &Summary::key_hits, Kind::Count},
    {"key_misses", &Summary::key_misses, Kind::Count},
    {"key_hit_ratio", &Summary::key_hit_ratio, Kind::Real},
};
constexpr Field<FailedByCause> kFailedByCause[] = {
    {"origin", &FailedByCause::origin, Kind::Count},
    {"cache", &FailedByCause::cache, Kind::Count},
    {"write_buffer_full", &FailedByCause::write_buffer_full, Kind::Count},
    {"client_not_started", &FailedByCause::client_not_started, Kind::Count},
};
constexpr Field<DegradedByError> kDegradedByError[] = {
    {"connection", &DegradedByError::connection, Kind::Count},
    {"clusterdown", &DegradedByError::clusterdown, Kind::Count},
    {"timeout", &DegradedByError::timeout, Kind::Count},
};
constexpr Field<WritesLost> kWritesLost[] = {
    {"failover", &WritesLost::failover, Kind::Count},
    {"deposed_master", &WritesLost::deposed_master, Kind::Count},
    {"write_behind", &WritesLost::write_behind, Kind::Count},
    {"total", &WritesLost::total, Kind::Count},
};
constexpr Field<LatencyUs> kLatency[] = {
    {"p50", &LatencyUs::p50, Kind::Real}, {"p90", &LatencyUs::p90, Kind::Real},
    {"p99", &LatencyUs::p99, Kind::Real}, {"p999", &LatencyUs::p999, Kind::Real},
    {"max", &LatencyUs::max, Kind::Real}, {"mean", &LatencyUs::mean, Kind::Real},
};
// The names are metrics/recorder.cpp's error_name(), one per ErrorKind.
constexpr Field<Errors> kErrors[] = {
    {"moved", &Errors::moved, Kind::Count},
    {"ask", &Errors::ask, Kind::Count},
    {"tryagain", &Errors::tryagain, Kind::Count},
    {"clusterdown", &Errors::clusterdown, Kind::Count},
    {"oom", &Errors::oom, Kind::Count},
    {"timeout", &Errors::timeout, Kind::Count},
    {"connection", &Errors::connection, Kind::Count},
    {"crossslot", &Errors::crossslot, Kind::Count},
    {"noreplicas", &Errors::noreplicas, Kind::Count},
    {"reply", &Errors::reply, Kind::Count},
};
constexpr Field<Origin> kOrigin[] = {
    {"requests", &Origin::requests, Kind::Count},
    {"reads", &Origin::reads, Kind::Count},
    {"writes", &Origin::writes, Kind::Count},
    {"rejected", &Origin::rejected, Kind::Count},
    {"timeouts", &Origin::timeouts, Kind::Count},
    {"requests_per_s", &Origin::requests_per_s, Kind::Real},
    {"concurrency_max", &Origin::concurrency_max, Kind::Count},
    {"queue_max", &Origin::queue_max, Kind::Count},
};
// stale_reads.<source>; the sources are metrics/recorder.cpp's stale_source_name().
constexpr Field<StaleSummary> kStale[] = {
    {"reads", &StaleSummary::reads, Kind::Count},
    {"age_ms_mean", &StaleSummary::age_ms_mean, Kind::Real},
    {"age_ms_max", &StaleSummary::age_ms_max, Kind::Real},
};
constexpr std::pair<const char*, StaleSummary StaleReads::*> kStaleSources[] = {
    {"cache", &StaleReads::cache}, {"l1", &StaleReads::l1}, {"replica", &StaleReads::replica}};

constexpr Field<NodeSummary> kNode[] = {
    {"keys", &NodeSummary::keys, Kind::Count},
    {"used_memory_bytes", &NodeSummary::used_memory_bytes, Kind::Count},
    {"maxmemory_bytes", &NodeSummary::maxmemory_bytes, Kind::Count},
    {"ops", &NodeSummary::ops, Kind::Count},
    {"evicted_keys", &NodeSummary::evicted_keys, Kind::Count},
    {"expired_keys", &NodeSummary::expired_keys, Kind::Count},
    {"utilization", &NodeSummary::utilization, Kind::Real},
};

json value_json(double v, Kind kind) {
  if (std::isnan(v)) return json();
  // Counts are exact in a double up to 2^53; they are written as the integers they are.
  return kind == Kind::Count ? json(static_cast<std::uint64_t>(v)) : json(v);
}

template <class S, size_t N>
void write_fields(const S& s, const Field<S> (&fields)[N], json& out) {
  for (const auto& f : fields) out[f.key] = value_json(s.*(f.member), f.kind);
}

[[noreturn]] void wrong(const std::string& file, const std::string& ptr, const char* expected, const json& found) {
  throw ResultsError(file + ": " + ptr + ": expected " + expected + ", found " + describe(found));
}

// The object at `key` of `j` (an empty one when absent or null).
const json& object_at(const json& j, const char* key, const std::string& file, const std::string& ptr) {
  static const json empty = json::object();
  const auto it = j.find(key);
  if (it == j.end() || it->is_null()) return empty;
  if (!it->is_object()) wrong(file, ptr, "an object", *it);
  return *it;
}

template <class S, size_t N>
void read_fields(const json& j, const std::string& file, const std::string& ptr, const Field<S> (&fields)[N], S& s) {
  for (const auto& f : fields) {
    const auto it = j.find(f.key);
    if (it == j.end() || it->is_null()) continue;
    if (!it->is_number())
      wrong(file, ptr + "/" + f.key, f.kind == Kind::Count ? "a count (a number) or null" : "a number or null", *it);
    s.*(f.member) = it->template get<double>();
  }
}

}  // namespace

json core_to_json(const Summary& s) {
  json out;
  out["mode"] = s.mode;
  out["seed"] = s.seed;
  write_fields(s, kTop, out);
  json latency, errors, origin, origin_latency;
  write_fields(s.latency_us, kLatency, latency);
  write_fields(s.errors, kErrors, errors);
  write_fields(s.origin, kOrigin, origin);
  write_fields(s.origin.latency_us, kLatency, origin_latency);
  origin["latency_us"] = origin_latency;
  out["latency_us"] = latency;
  out["errors"] = errors;
  out["origin"] = origin;
  json failed, degraded;
  write_fields(s.failed_by_cause, kFailedByCause, failed);
  write_fields(s.degraded_by_error, kDegradedByError, degraded);
  out["failed_by_cause"] = failed;
  out["degraded_by_error"] = degraded;
  json stale;
  for (const auto& [name, member] : kStaleSources) write_fields(s.stale_reads.*member, kStale, stale[name]);
  out["stale_reads"] = stale;
  return out;
}

json writes_lost_to_json(const WritesLost& w) {
  json out;
  write_fields(w, kWritesLost, out);
  return out;
}

void core_from_json(const json& j, const std::string& file, Summary& s) {
  if (!j.is_object()) wrong(file, "/", "a JSON object", j);
  if (const auto it = j.find("mode"); it != j.end() && !it->is_null()) {
    if (!it->is_string()) wrong(file, "/mode", "a string", *it);
    s.mode = it->get<std::string>();
  }
  if (const auto it = j.find("seed"); it != j.end() && !it->is_null()) {
    if (!it->is_number_unsigned() && !(it->is_number_integer() && it->get<std::int64_t>() >= 0))
      wrong(file, "/seed", "a non-negative integer", *it);
    s.seed = it->get<std::uint64_t>();
  }
  read_fields(j, file, "", kTop, s);
  read_fields(object_at(j, "latency_us", file, "/latency_us"), file, "/latency_us", kLatency, s.latency_us);
  read_fields(object_at(j, "errors", file, "/errors"), file, "/errors", kErrors, s.errors);
  const json& origin = object_at(j, "origin", file, "/origin");
  read_fields(origin, file, "/origin", kOrigin, s.origin);
  read_fields(object_at(origin, "latency_us", file, "/origin/latency_us"), file, "/origin/latency_us", kLatency,
              s.origin.latency_us);
  read_fields(object_at(j, "failed_by_cause", file, "/failed_by_cause"), file, "/failed_by_cause", kFailedByCause,
              s.failed_by_cause);
  read_fields(object_at(j, "degraded_by_error", file, "/degraded_by_error"), file, "/degraded_by_error",
              kDegradedByError, s.degraded_by_error);
  read_fields(object_at(j, "writes_lost_by_kind", file, "/writes_lost_by_kind"), file, "/writes_lost_by_kind",
              kWritesLost, s.writes_lost_by_kind);
  const json& stale = object_at(j, "stale_reads", file, "/stale_reads");
  for (const auto& [name, member] : kStaleSources)
    read_fields(object_at(stale, name, file, std::string("/stale_reads/") + name), file,
                std::string("/stale_reads/") + name, kStale, s.stale_reads.*member);
}

json node_to_json(const NodeSummary& n) {
  json ranges = json::array();
  for (const auto& [first, last] : n.slot_ranges) ranges.push_back(json::array({first, last}));
  json out = {
      {"name", n.name}, {"role", n.role}, {"slots", value_json(n.slot_count, Kind::Count)}, {"slot_ranges", ranges}};
  write_fields(n, kNode, out);
  for (const auto& [key, value] : n.extra.items()) out[key] = value;
  return out;
}

void node_from_json(const json& j, const std::string& file, const std::string& ptr, NodeSummary& n) {
  if (!j.is_object()) wrong(file, ptr, "an object", j);
  read_fields(j, file, ptr, kNode, n);
  for (const auto& [key, value] : j.items()) {
    bool named = key == "name" || key == "role" || key == "slots" || key == "slot_ranges";
    for (const auto& f : kNode) named = named || key == f.key;
    if (!named) n.extra[key] = value;
  }
}

}  // namespace cachelab::results
