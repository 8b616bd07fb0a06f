#pragma once
// Follow one request (issue 18 part 4): a deterministic sample of the application's requests, each with every hop
// the client logic sees (commands sent and to which node and why, replies, redirections, retries, the database
// trip, the fill, completion), in virtual time. The client logic calls the hooks (a pointer test per event when no
// tracer is set); the run session turns the records into requests.jsonl (results/request_trace.hpp). It lives with
// the client logic, which both back-ends share, so live mode records the same hops.
//
// The sample: each request gets a priority splitmix64(seq ^ salt(seed)) and the tracer keeps the `limit` requests
// of lowest priority seen so far (bottom-k sampling): at the end, a uniform sample of `limit` requests of the whole
// run, whatever its length, in memory bounded by `limit` traces of at most kMaxHops hops. Requests whose traces are
// displaced while in flight stop being recorded. Nothing here draws from a random stream, schedules an event or
// changes what the client does, so every other result is the same with and without it.
#include <cstdint>
#include <vector>

#include "cachelab/core/time.hpp"
#include "cachelab/protocol/backend.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

class RequestTracer {
 public:
  // What the client logic reports. The fields of a Hop each kind uses are listed with it.
  enum class HopKind : uint8_t {
    Start,         // the request reaches the client logic later than its due time (a paused instance; live: lag)
    Send,          // a cache command goes out: cmd, purpose, via, node (the target), slot, asking, readonly
    PoolWait,      // the command waits for a pooled connection to `node`
    PoolGranted,   // a pooled connection is free: the waiting command goes out now
    BreakerOpen,   // the command is failed without sending: the breaker of `node` is open
    Reply,         // a reply from `node`: reply (ReplyKind), target (MOVED/ASK: the node named), value
    Retry,         // the command will be resent after `value` ns: a = attempt number
    DbQuery,       // a query to the database: a = 1 for a write
    DbService,     // a database server takes the query: value = queue wait (ns), value2 = service time (ns)
    DbReply,       // the database's answer: a = OriginOutcome
    L1Hit,         // served from the client instance's L1 cache
    SingleFlight,  // waits for another request's load of the same key (single-flight)
    LockWait,      // another client holds the key's lock: polls again after `value` ns
    XFetchEarly,   // XFetch recomputes before the expiry
    StaleServed,   // a stale value is served (stale-while-revalidate, or lock_wait stale)
    Done,          // the application has its answer: a = hit, b = FailCause, value = latency (ns)
    End,           // the client logic is done with the request (after the fill, the unlock...)
  };
  // Why a command went to its node.
  enum class Via : uint8_t { SlotMap, Ask, Replica, Standalone, Sharding };
  // What a command is for (the client logic's stage).
  enum class Purpose : uint8_t { Read, Fill, Lock, Unlock, Write, Invalidate, Update, Incr, MGet, MGetFill, Script };
  struct Hop {
    Time t;
    HopKind kind;
    uint8_t a = 0, b = 0, c = 0;  // Send: cmd, purpose, via; Reply: ReplyKind; flags below
    uint8_t flags = 0;            // Send: 1 asking, 2 readonly
    uint16_t slot = 0;
    uint32_t node = UINT32_MAX;
    uint32_t target = UINT32_MAX;
    int64_t value = 0, value2 = 0;
  };
  struct Trace {
    Request req;
    uint64_t priority = 0;
    uint32_t tag = UINT32_MAX;  // the client logic's slot while the request is being followed
    bool active = false;        // still being recorded
    bool done = false;          // the application got its answer (a Done hop)
    bool truncated = false;     // more than kMaxHops hops: the rest were not kept
    std::vector<Hop> hops;
  };
  static constexpr size_t kMaxHops = 256;
  // --trace-requests at most: a followed request costs about 4.5 KB until the file is written (flash-sale, 100k: +460 MB)
  static constexpr uint64_t kMaxLimit = 100'000;

  // Requests due in [from, to) only (a fault's window: --trace-window); the default is the whole run.
  RequestTracer(uint64_t limit, uint64_t seed, Time from = Time::ns(0), Time to = Time::ns(INT64_MAX));

  // The client logic starts request `r` in slot `tag` at `now`: kept when its priority is among the lowest so far.
  void begin(uint32_t tag, const Request& r, Time now);
  bool following(uint32_t tag) const { return tag < by_tag_.size() && by_tag_[tag] != 0; }
  void hop(uint32_t tag, const Hop& h);
  // The slot is released: the request's trace is complete.
  void end(uint32_t tag, Time now);

  // The kept traces in seq order (active ones included: in flight at the end).
  std::vector<const Trace*> traces() const;
  uint64_t limit() const { return limit_; }
  uint64_t seen() const { return seen_; }  // requests offered to the sample (due within the window)
  Time from() const { return from_; }
  Time to() const { return to_; }

 private:
  void drop(uint32_t index);
  uint64_t limit_, salt_;
  Time from_, to_;
  uint64_t seen_ = 0;
  std::vector<Trace> pool_;       // at most limit_ traces
  std::vector<uint32_t> free_;    // unused entries of pool_
  std::vector<uint32_t> heap_;    // max-heap by priority over the kept entries of pool_
  std::vector<uint32_t> by_tag_;  // client slot -> pool index + 1 (0: not followed)
};

}  // namespace cachelab
