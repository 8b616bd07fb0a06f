#include "request_trace_out.hpp"

#include <algorithm>

#include "cachelab/metrics/recorder.hpp"
#include "cachelab/protocol/backend.hpp"
#include "cachelab/protocol/slot_hash.hpp"

namespace cachelab {

namespace {

using Kind = RequestTracer::HopKind;

const char* cmd_name(uint8_t c) {
  static const char* const names[] = {"GET", "SET", "DEL", "INCR", "MGET", "MSET", "KEYS", "SCAN", "EVALSHA"};
  return c < 9 ? names[c] : "?";
}
const char* purpose_name(uint8_t p) {
  static const char* const names[] = {"read",   "fill", "lock", "unlock",    "write", "invalidate",
                                      "update", "incr", "mget", "mget_fill", "script"};
  return p < 11 ? names[p] : "?";
}
const char* via_name(uint8_t v) {
  static const char* const names[] = {"slot_map", "ask", "replica", "standalone", "sharding"};
  return v < 5 ? names[v] : "?";
}
const char* reply_name(uint8_t k) {
  static const char* const names[] = {"value",     "nil",         "ok",   "moved",   "ask",
                                      "tryagain",  "clusterdown", "oom",  "timeout", "connection",
                                      "crossslot", "noreplicas",  "error"};
  return k < 13 ? names[k] : "?";
}
const char* origin_outcome_name(uint8_t o) {
  switch (static_cast<OriginOutcome>(o)) {
    case OriginOutcome::Ok:
      return "ok";
    case OriginOutcome::Timeout:
      return "timeout";
    case OriginOutcome::Rejected:
      return "rejected";
  }
  return "?";
}
const char* fail_name(FailCause f) {
  switch (f) {
    case FailCause::None:
      return "";
    case FailCause::Origin:
      return "origin";
    case FailCause::Cache:
      return "cache";
    case FailCause::BufferFull:
      return "buffer_full";
    case FailCause::NotStarted:
      return "client_not_started";
  }
  return "?";
}
const char* hop_type(Kind k) {
  switch (k) {
    case Kind::Start:
      return "start";
    case Kind::Send:
      return "send";
    case Kind::PoolWait:
      return "pool_wait";
    case Kind::PoolGranted:
      return "pool_granted";
    case Kind::BreakerOpen:
      return "breaker_open";
    case Kind::Reply:
      return "reply";
    case Kind::Retry:
      return "retry";
    case Kind::DbQuery:
      return "db_query";
    case Kind::DbService:
      return "db_service";
    case Kind::DbReply:
      return "db_reply";
    case Kind::L1Hit:
      return "l1_hit";
    case Kind::SingleFlight:
      return "single_flight";
    case Kind::LockWait:
      return "lock_wait";
    case Kind::XFetchEarly:
      return "xfetch_early";
    case Kind::StaleServed:
      return "stale_served";
    case Kind::Done:
      return "done";
    case Kind::End:
      return "end";
  }
  return "?";
}

}  // namespace

results::RequestTraceFile request_trace_file(const RequestTracer& tracer, const KeyNamer& namer,
                                             const std::vector<std::string>& node_names, uint64_t seed,
                                             Time warmup_end) {
  auto node_name = [&](uint32_t n) { return n < node_names.size() ? node_names[n] : "node-" + std::to_string(n); };
  results::RequestTraceFile f;
  f.sample = "bottom-k: the requests of lowest splitmix64(seq ^ salt(seed))";
  f.limit = tracer.limit();
  f.seen = tracer.seen();
  f.seed = seed;
  f.from_s = tracer.from().seconds();
  if (tracer.to() < Time::ns(INT64_MAX)) f.to_s = tracer.to().seconds();
  for (const RequestTracer::Trace* t : tracer.traces()) {
    const Request& q = t->req;
    results::TracedRequest r;
    r.seq = q.seq;
    r.client = q.client;
    r.op = op_name(q.op);
    r.key = namer.name(cache_key(q));
    r.key_number = q.key;
    r.key_count = q.key_count;
    r.hashed = results::hashed_part(r.key);
    r.crc16 = crc16(r.hashed.data(), r.hashed.size());
    r.slot = r.crc16 % kClusterSlots;
    r.due_ns = q.due.nanos();
    r.measured = q.due >= warmup_end;
    r.outcome = "in_flight";
    r.hops_truncated = t->truncated;
    results::TraceHop issue;
    issue.t_ns = r.due_ns;
    issue.type = "issue";
    r.hops.push_back(issue);
    uint32_t last_node = UINT32_MAX;
    auto touch = [&](uint32_t node) {
      const std::string name = node_name(node);
      if (std::find(r.nodes.begin(), r.nodes.end(), name) == r.nodes.end()) r.nodes.push_back(name);
      return name;
    };
    for (const RequestTracer::Hop& h : t->hops) {
      results::TraceHop o;
      o.t_ns = h.t.nanos();
      o.type = hop_type(h.kind);
      switch (h.kind) {
        case Kind::Send:
          last_node = h.node;
          o.node = touch(h.node);
          o.cmd = cmd_name(h.a);
          o.purpose = purpose_name(h.b);
          o.via = via_name(h.c);
          o.slot = h.c == static_cast<uint8_t>(RequestTracer::Via::Standalone) ||
                           h.c == static_cast<uint8_t>(RequestTracer::Via::Sharding)
                       ? -1
                       : h.slot;
          o.asking = h.flags & 1;
          o.readonly = h.flags & 2;
          o.key_count = static_cast<int>(h.value);
          break;
        case Kind::PoolWait:
        case Kind::PoolGranted:
        case Kind::BreakerOpen:
          if (last_node != UINT32_MAX) o.node = node_name(last_node);
          break;
        case Kind::Reply: {
          if (last_node != UINT32_MAX) o.node = node_name(last_node);
          o.reply = reply_name(h.a);
          const auto kind = static_cast<ReplyKind>(h.a);
          if (h.target != UINT32_MAX) o.target = node_name(h.target);
          if (kind == ReplyKind::Moved || kind == ReplyKind::Ask) ++r.redirects;
          if (kind == ReplyKind::Value) o.value_bytes = h.value;
          break;
        }
        case Kind::Retry:
          ++r.retries;
          o.attempt = h.a;
          o.delay_ns = h.value;
          break;
        case Kind::LockWait:
          o.delay_ns = h.value;
          break;
        case Kind::DbQuery:
          ++r.db_queries;
          o.write = h.a != 0;
          break;
        case Kind::DbService:
          o.queue_ns = h.value;
          o.service_ns = h.value2;
          break;
        case Kind::DbReply:
          o.outcome = origin_outcome_name(h.a);
          break;
        case Kind::Done: {
          const auto fail = static_cast<FailCause>(h.b);
          o.hit = h.a != 0;
          o.fail = fail_name(fail);
          o.outcome = fail == FailCause::None ? "ok" : "failed";
          o.latency_ns = h.value;
          r.outcome = o.outcome;
          r.fail = o.fail;
          r.hit = o.hit;
          r.latency_ns = h.value;
          const int first_error = (h.c & 0x0F) - 1, unavailable = (h.c >> 4) - 1;
          if (first_error >= 0) r.cache_error = error_name(static_cast<ErrorKind>(first_error));
          r.degraded = unavailable >= 0;
          break;
        }
        default:
          break;
      }
      r.hops.push_back(std::move(o));
    }
    f.requests.push_back(std::move(r));
  }
  return f;
}

}  // namespace cachelab
