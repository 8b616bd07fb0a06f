#include "cachelab/metrics/recorder.hpp"

#include <algorithm>

namespace cachelab {

const char* error_name(ErrorKind k) {
  switch (k) {
    case ErrorKind::Moved: return "moved";
    case ErrorKind::Ask: return "ask";
    case ErrorKind::TryAgain: return "tryagain";
    case ErrorKind::ClusterDown: return "clusterdown";
    case ErrorKind::Oom: return "oom";
    case ErrorKind::Timeout: return "timeout";
    case ErrorKind::Connection: return "connection";
    case ErrorKind::CrossSlot: return "crossslot";
    case ErrorKind::NoReplicas: return "noreplicas";
    case ErrorKind::Reply: return "reply";
    case ErrorKind::kCount: break;
  }
  return "?";
}

static void count_done(Counters& c, const Request& r, bool hit, const RequestOutcome& o) {
  ++c.requests;
  switch (o.fail) {
    case FailCause::None: break;
    case FailCause::Origin: ++c.failed, ++c.failed_origin; break;
    case FailCause::Cache: ++c.failed, ++c.failed_cache; break;
    case FailCause::BufferFull: ++c.failed, ++c.failed_buffer_full; break;
  }
  if (o.cache_error >= 0) ++c.cache_failed;
  if (o.unavailable >= 0) {
    ++c.degraded;
    ++c.degraded_by[static_cast<size_t>(o.unavailable)];
  }
  if (r.op == Op::Read || r.op == Op::MGet) {  // MGET is a read of several keys: a hit when all were cached
    ++c.reads;
    (hit ? c.hits : c.misses)++;  // a read that failed at the origin still missed the cache
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
}

void Recorder::cache_error(ErrorKind k, Time at) {
  ++interval_.errors[static_cast<size_t>(k)];
  if (measured(at)) ++total_.errors[static_cast<size_t>(k)];
}

void Recorder::cache_write_acked(Time at) {
  ++interval_.writes_acknowledged;
  if (measured(at)) ++total_.writes_acknowledged;
}

void Recorder::origin_started(bool write, Time at) {
  for (Counters* c : {&interval_, measured(at) ? &total_ : nullptr}) {
    if (!c) continue;
    ++c->origin_requests;
    (write ? c->origin_writes : c->origin_reads)++;
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
  latency_.close();
  origin_latency_.close();
}

}  // namespace cachelab
