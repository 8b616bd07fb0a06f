#include "cachelab/metrics/recorder.hpp"

#include <algorithm>

namespace cachelab {

const char* error_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::Moved:
      return "moved";
    case ErrorKind::Ask:
      return "ask";
    case ErrorKind::TryAgain:
      return "tryagain";
    case ErrorKind::ClusterDown:
      return "clusterdown";
    case ErrorKind::Oom:
      return "oom";
    case ErrorKind::Timeout:
      return "timeout";
    case ErrorKind::Connection:
      return "connection";
    case ErrorKind::CrossSlot:
      return "crossslot";
    case ErrorKind::NoReplicas:
      return "noreplicas";
    case ErrorKind::Reply:
      return "reply";
    case ErrorKind::kCount:
      break;
  }
  return "?";
}

const char* stale_source_name(StaleSource s) {
  switch (s) {
    case StaleSource::Cache:
      return "cache";
    case StaleSource::L1:
      return "l1";
    case StaleSource::Replica:
      return "replica";
    case StaleSource::kCount:
      break;
  }
  return "?";
}

static void count_trouble(Counters& c, const RequestOutcome& o) {
  switch (o.fail) {
    case FailCause::None:
      break;
    case FailCause::Origin:
      ++c.failed, ++c.failed_origin;
      break;
    case FailCause::Cache:
      ++c.failed, ++c.failed_cache;
      break;
    case FailCause::BufferFull:
      ++c.failed, ++c.failed_buffer_full;
      break;
    case FailCause::NotStarted:
      ++c.failed, ++c.failed_not_started;
      break;
  }
  if (o.cache_error >= 0) ++c.cache_failed;
  if (o.unavailable >= 0) {
    ++c.degraded;
    ++c.degraded_by[static_cast<size_t>(o.unavailable)];
  }
}

static void count_done(Counters& c, const Request& r, bool hit, const RequestOutcome& o) {
  ++c.requests;
  // Nearly every request neither failed nor met a cache error: one test skips the outcome's counters.
  if (o.fail != FailCause::None || o.cache_error >= 0 || o.unavailable >= 0) [[unlikely]]
    count_trouble(c, o);
  if (r.op == Op::Read || r.op == Op::MGet) {  // MGET is a read of several keys: a hit when all were cached
    ++c.reads;
    (hit ? c.hits : c.misses)++;  // a read that failed at the origin still missed the cache
    if (r.op == Op::Read) (hit ? c.key_hits : c.key_misses)++;  // an MGET's keys: keys_read
  } else {
    ++c.writes;
  }
}

void Recorder::request_done(const Request& r, Time done, bool hit, const RequestOutcome& outcome) {
  const uint64_t latency_ns = static_cast<uint64_t>((done - r.due).nanos());
  count_done(interval_, r, hit, outcome);
  const bool m = measured(r.due);
  latency_.record(latency_ns, m);
  if (m) count_done(total_, r, hit, outcome);
  if (!streams_.empty()) [[unlikely]]
    stream_done(r, latency_ns, hit, outcome);
}

void Recorder::stream_done(const Request& r, uint64_t latency_ns, bool hit, const RequestOutcome& outcome) {
  if (r.stream >= streams_.size()) return;
  Stream& st = streams_[r.stream];
  const bool m = measured(r.due);
  for (StreamCounters* c : {&st.interval, m ? &st.total : nullptr}) {
    if (!c) continue;
    ++c->requests;
    if (outcome.fail != FailCause::None) ++c->failed;
    if (outcome.cache_error >= 0) ++c->cache_failed;
    if (r.op == Op::Read || r.op == Op::MGet) {
      ++c->reads;
      (hit ? c->hits : c->misses)++;
    }
  }
  if (m) st.latency.record(latency_ns);
}

void Recorder::cache_error(ErrorKind k, Time at) {
  ++interval_.errors[static_cast<size_t>(k)];
  if (measured(at)) ++total_.errors[static_cast<size_t>(k)];
}

void Recorder::keys_read(const Request& r, uint64_t found, uint64_t missing) {
  for (Counters* c : {&interval_, measured(r.due) ? &total_ : nullptr}) {
    if (!c) continue;
    c->key_hits += found;
    c->key_misses += missing;
  }
}

void Recorder::stale_read(StaleSource src, Time age, Time at) {
  const uint64_t ns = static_cast<uint64_t>(std::max<int64_t>(0, age.nanos()));
  for (Counters* c : {&interval_, measured(at) ? &total_ : nullptr}) {
    if (!c) continue;
    StaleCounts& s = c->stale[static_cast<size_t>(src)];
    ++s.reads;
    s.age_ns_sum += ns;
    s.age_ns_max = std::max(s.age_ns_max, ns);
  }
}

void Recorder::cache_write_acked(Time at) {
  ++interval_.writes_acknowledged;
  if (measured(at)) ++total_.writes_acknowledged;
}

void Recorder::origin_started(bool write, Time at, int stream) {
  for (Counters* c : {&interval_, measured(at) ? &total_ : nullptr}) {
    if (!c) continue;
    ++c->origin_requests;
    (write ? c->origin_writes : c->origin_reads)++;
  }
  if (stream >= 0 && static_cast<size_t>(stream) < streams_.size()) [[unlikely]] {
    ++streams_[stream].interval.origin_requests;
    if (measured(at)) ++streams_[stream].total.origin_requests;
  }
}

void Recorder::origin_finished(Time issued, Time at, OriginOutcome outcome) {
  for (Counters* c : {&interval_, measured(issued) ? &total_ : nullptr}) {
    if (!c) continue;
    if (outcome == OriginOutcome::Timeout) ++c->origin_timeouts;
    if (outcome == OriginOutcome::Rejected) ++c->origin_rejected;
  }
  if (outcome != OriginOutcome::Ok) return;
  const uint64_t ns = static_cast<uint64_t>((at - issued).nanos());
  origin_latency_.record(ns, measured(issued));
}

void Recorder::origin_load(uint64_t outstanding, uint64_t queued, Time at) {
  interval_.origin_concurrency_max = std::max(interval_.origin_concurrency_max, outstanding);
  interval_.origin_queue_max = std::max(interval_.origin_queue_max, queued);
  if (measured(at)) {
    total_.origin_concurrency_max = std::max(total_.origin_concurrency_max, outstanding);
    total_.origin_queue_max = std::max(total_.origin_queue_max, queued);
  }
}

void Recorder::reset_interval() {
  interval_ = Counters{};
  for (Stream& st : streams_) st.interval = StreamCounters{};
  latency_.close();
  origin_latency_.close();
}

}  // namespace cachelab
