#pragma once
// The application's side of the cache, written once for both back-ends: routing by the client's slot map, the
// caching pattern and the stampede protection. Each request is a small state machine in a pooled slot (no allocation
// per request); replies come back through on_cache_reply / on_origin_reply, timers (lock polls, write-behind flushes,
// retries, L1 invalidation) through a Scheduler, which is the Simulation in virtual time and live mode's
// WallScheduler in wall-clock time. State machines rather than coroutines: a frame per request would allocate.
//
// Patterns (docs/design.md §4):
//  - cache-aside: a read GETs the key; on a hit it is done, on a miss it loads from the origin, returns the value to
//    the application, then SETs it (with the request's TTL). A write goes to the origin first, then invalidates (DEL)
//    or updates (SET) the cache.
//  - read-through: as cache-aside, but the cache layer returns the value after the fill (latency includes the SET).
//  - write-through: a write goes to the origin, then SETs the cache, and returns after both.
//  - write-behind: a write SETs the cache and returns; it is buffered per client instance and written to the origin
//    in batches (batch size or flush interval); a full buffer fails the write; a crashed instance loses its buffer.
//  - no-cache: every request goes to the origin, nothing to the cache (the origin alone, as a baseline).
// Protections (sim/src/client/stampede.cpp): single-flight, distributed lock, XFetch, stale-while-revalidate, TTL
// jitter. Connection pools per node (pool.cpp) bound the commands in flight per instance and node; cache warming
// (warm.cpp) loads the top keys at start.
//
// Accounting choices: a read whose GET fails (timeout, connection, CLUSTERDOWN) falls back to the origin and counts
// as a miss; the application's latency ends when it has its value (a miss's fill SET runs after that and is not
// part of it, except read-through); a write's latency includes the cache invalidation.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/cache/flat_map.hpp"
#include "cachelab/protocol/backend.hpp"
#include "cachelab/client/client_config.hpp"
#include "cachelab/client/request_tracer.hpp"
#include "cachelab/client/router.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/origin/versions.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

// A scheduler's time as the client logic's clock: the Simulation's virtual time, or live mode's WallScheduler, so
// latencies, timers and the request stream share one epoch. A template over the (final) scheduler class, so reading
// the clock stays one virtual call.
template <class S>
class SchedulerClock final : public Clock {
 public:
  explicit SchedulerClock(const S& scheduler) : scheduler_(scheduler) {}
  Time now() const override { return scheduler_.now(); }

 private:
  const S& scheduler_;
};

// The client logic's options: the scenario's `clients` section as it is (client_config.hpp, typed once by
// Scenario::from_resolved), plus what the run knows besides it.
struct ClientOptions : ClientsConfig {
  ClientOptions() = default;
  explicit ClientOptions(const ClientsConfig& c) : ClientsConfig(c) {}
  bool key_metrics = true;
  bool hash_objects =
      false;  // workload.hash_objects: reads are HGETALL, fills and updates HSET (CacheCommand::hash)  // per-key load tracking (a hash lookup per miss, none per hit)
  // The cluster's layout for replica reads: node indices are master-1..N (0..N-1), then replica-m-r at
  // N + (m-1) x replicas_per_master + (r-1), in both modes (the simulated world's and the spawned lab's order).
  int masters = 0, replicas_per_master = 0;
  bool needs_timers() const;
};

// A cache command's timeout (clients.timeout_ms, a number of milliseconds), for both back-ends.
inline Time command_timeout(const ClientsConfig& c) { return Time::from_seconds(c.timeout_ms / 1000.0); }

// Client-side counters (whole run, after warm-up), reported as summary.json "clients".
struct ClientStats {
  uint64_t read_loads = 0;         // origin loads for reads (recomputations), foreground and background
  uint64_t load_episodes = 0;      // per key: runs of loads until a fill lands (an expiry or miss "event")
  uint64_t max_loads_per_key = 0;  // concurrent origin loads of one key, at most
  uint64_t max_loads_key = 0;      // the key where that happened
  uint64_t single_flight_joined = 0, lock_acquired = 0, lock_contended = 0, lock_polls = 0;
  uint64_t xfetch_early = 0, stale_served = 0, background_refreshes = 0;
  uint64_t wb_buffered = 0, wb_batches = 0, wb_flushed = 0, wb_buffer_full = 0, wb_lost = 0, wb_failed = 0;
  uint64_t l1_hits = 0, l1_stale_reads = 0, retries = 0, breaker_open = 0, breaker_rejected = 0, crossslot = 0;
  uint64_t pool_queued = 0, pool_max_waiting = 0;  // commands that waited for a pooled connection; longest queue
  // Batching (batch.cpp): batches written, the commands in them, batches written by max_wait_us rather than full.
  uint64_t batches = 0, batched_commands = 0, batch_timer_flushes = 0;
  uint64_t warm_loads = 0, warm_filled = 0, warm_failed = 0;  // cache warming (whole run)
  uint64_t mget_fills = 0;                                    // SETs of keys an MGET missed, after their load
  uint64_t replica_reads = 0, replica_fallbacks = 0;  // reads sent to a replica; of those, retried on the master
  // Seed-list start (seeds.cpp, whole run): instances started, the last one's start, CLUSTER SLOTS sent to seeds and
  // unanswered, rounds where no seed answered, requests failed because their instance had not started.
  uint64_t instances_started = 0, seed_fetches = 0, seed_failures = 0, seed_rounds_failed = 0, not_started_failed = 0;
  Time last_started;
  nlohmann::json to_json(const ClientOptions& o) const;
};

// XFetch's rule (docs/validation.md §1.5): recompute early when now - delta*beta*ln(u) >= expiry, u uniform on
// (0, 1]. Times in ms; expiry < 0 (no TTL) never triggers.
inline bool xfetch_triggers(double now_ms, double delta_ms, double beta, double expire_at_ms, double u);
// Beyond kXFetchReach * delta * beta before expiry the rule cannot fire for any u >= 2^-53 (Rng::uniform_open01's
// smallest value; -ln 2^-53 = 36.74), so the reader skips the draw.
inline constexpr double kXFetchReach = 37.0;
// The delta travels as a 16-bit header: 12-bit mantissa, 4-bit exponent, microseconds (1/4096 relative precision,
// up to 134 s): it fits into the store's per-key padding, and live mode writes it into the value.
uint16_t encode_delta_us(uint64_t us);
uint64_t decode_delta_us(uint16_t code);

class ClientLogic final : private EventHandler {
 public:
  ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock, SlotRouter router,
              const ClientOptions& options, Scheduler* timers, Rng rng);
  // Cache-aside without timers (tests, old call sites).
  ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock, SlotRouter router,
              WriteMode write_mode);
  // The application issues a request (at clock.now()).
  void start(const Request& r);
  // A hint: `r` will start soon (the driver knows the next request one arrival ahead).
  void prefetch(const Request& r) const { router_.prefetch(r.key); }
  void on_cache_reply(uint32_t tag, const CacheReply& reply);
  void on_origin_reply(uint32_t tag, OriginOutcome outcome);
  // A CLUSTER SLOTS answer for one client instance (after a MOVED, as real cluster clients refresh), or a seed's
  // answer to an instance starting (clients.seeds; empty: the seed did not answer).
  void on_slots(uint16_t client, const std::vector<uint16_t>& owners);
  // Seed-list start (seeds.cpp): with clients.seeds, every instance asks its seeds from now on. The run session
  // calls it once, after scheduling the fault timeline, so that faults due at the start come first in both modes.
  void schedule_start();
  bool started(uint16_t client) const { return start_.empty() || start_[client].phase == kStarted; }
  // A client instance dies and comes back at once: its write-behind buffer (lost, counted), L1 and single-flight
  // table are gone; requests already in flight complete. Returns the buffered writes lost.
  uint64_t crash_instance(uint16_t client);
  // A client instance's application stalls for `duration` from now, as in a stop-the-world GC pause (pause.cpp):
  // what reaches it meanwhile (its new requests, replies, its timers) waits and is handled, in arrival order, when
  // the pause ends. A pause that overlaps an earlier one extends it. Needs timers.
  void pause_instance(uint16_t client, Time duration);
  bool paused(uint16_t client) const { return client < paused_until_.size() && paused_until_[client] > Time::ns(0); }
  // Cache warming (warm.cpp): load each key from the origin and SET it, `concurrency` loads at a time, in the
  // order given (most popular first). No application request: nothing is recorded as a request; the origin sees
  // the loads. Each request carries key, client, value size and TTL.
  void warm(std::vector<Request> keys);
  bool warming() const { return warm_next_ < warm_keys_.size() || warm_in_flight_ > 0; }
  // At most this many redirections per command before it fails (redis-cli and common clients use 16).
  static constexpr int kMaxRedirects = 16;
  size_t in_flight() const { return slots_.size() - free_.size(); }
  const ClientStats& stats() const { return stats_; }
  const ClientOptions& options() const { return opt_; }
  uint64_t buffered(uint16_t client) const { return client < wb_count_.size() ? wb_count_[client] : 0; }
  // Told after every application request completes (once recorded): the run session draws a closed-loop session's
  // next request from it (run/request_feed.cpp). A plain function pointer: one test per request when unset. The
  // observer must not re-enter the client logic; it schedules whatever it does.
  using CompletionObserver = void (*)(void* ctx, const Request& r, Time done);
  void set_completion_observer(CompletionObserver fn, void* ctx) {
    completed_ = fn;
    completed_ctx_ = ctx;
  }
  // Follow a sample of requests hop by hop (request_tracer.hpp); null (the default) records nothing. The tracer
  // only watches: results are the same with and without it.
  void set_tracer(RequestTracer* tracer) { tracer_ = tracer; }

 private:
  enum class Stage : uint8_t {
    ReadGet,
    ReadLoad,
    ReadFill,
    WriteOrigin,
    WriteCache,
    LockTry,
    LockWait,
    LockRelease,
    SfWait,
    WbCache,
    CacheOnly,
    MGetCmd,
    MGetLoad,
    MGetFill,
    Script,     // one EVALSHA in flight (script.cpp)
    ScriptStep  // clients.script_mode round_trips: one of the script's INCR in flight
  };
  enum Flag : uint8_t {
    kDegraded = 1,
    kBackground = 2,
    kLockHeld = 4,
    kStale = 8,
    kAnswered = 16,
    kSfLeader = 32,
    kWarm = 64
  };
  struct Pending {
    Request req;
    Stage stage;
    CacheCmd cmd;       // the cache command in flight, resent after a redirection
    uint8_t redirects;  // MOVED/ASK followed for this command
    uint8_t attempts;   // retries of this command
    uint8_t flags;
    uint8_t errs;          // ErrorKind + 1 of the first final cache error (low nibble) and first unavailable one (high)
    uint16_t aux;          // the SET's header (XFetch delta)
    uint32_t ask_node;     // UINT32_MAX when not asking
    uint32_t next_waiter;  // single-flight: the next request waiting for the same load
    int64_t ttl_ms;        // the fill's TTL (jitter and stale window applied)
    Time load_start;
    uint64_t found_mask;  // MGET: the keys the cache had (bit i: key + i), so the fill SETs only the others;
                          // ScriptStep: the script's calls done so far
    uint32_t version;     // the database version of the value read or written (sent with a SET; staleness)
    uint8_t route;        // reads: kRouteMaster, kRouteReplica (wanted), kRouteOnReplica (this command went to one)
  };
  static constexpr uint8_t kRouteMaster = 0, kRouteReplica = 1, kRouteOnReplica = 2;
  enum TimerKind : uint64_t {
    kPoll = 0,
    kFlush = 1,
    kRetry = 2,
    kL1Drop = 3,
    kBreakerFail = 4,
    kResume = 5,
    kSeedRound = 6,
    kBatchFlush = 7
  };
  static constexpr uint32_t kBatchTag = 0x80000000u;  // origin tags of write-behind batches (| instance)

  uint32_t acquire(const Request& r, Stage s);
  void release(uint32_t tag) {
    if (tracer_) tracer_->end(tag, clock_.now());
    free_.push_back(tag);
  }
  // A hop of a followed request (request_tracer.hpp); one pointer test when no tracer is set.
  void trace(uint32_t tag, RequestTracer::HopKind kind, int64_t value = 0, uint8_t a = 0) {
    if (!tracer_) return;
    RequestTracer::Hop h;
    h.t = clock_.now();
    h.kind = kind;
    h.value = value;
    h.a = a;
    tracer_->hop(tag, h);
  }
  void trace_send(uint32_t tag, const CacheCommand& c);
  void send(uint32_t tag, CacheCmd cmd);
  void finish(uint32_t tag, bool hit, FailCause fail);
  // The ErrorKind of an error reply, counted in the recorder; -1 for a reply that is not an error.
  int record_error(const CacheReply& reply);
  bool redirect(uint32_t tag, const CacheReply& reply);
  bool maybe_retry(uint32_t tag, const CacheReply& reply);
  void on_event(Time now, uint64_t tag) override;
  void on_timer(uint64_t ev);
  bool measured() const { return clock_.now() >= rec_.warmup_end(); }

  // Reads and protections (stampede.cpp).
  void start_read(uint32_t tag);
  void on_read_value(uint32_t tag, const CacheReply& reply);
  void on_read_miss(uint32_t tag, bool error);
  void load(uint32_t tag);
  void on_load_done(uint32_t tag, bool ok);
  void on_fill_acked(uint32_t tag);
  void on_lock_reply(uint32_t tag, const CacheReply& reply, bool error);
  // A read served a cached value of version `version`: counted when the database has moved past it.
  void check_stale(StaleSource src, uint64_t key, uint32_t version) {
    if (!versions_ || versions_->untouched()) return;
    const uint32_t now_version = versions_->current(key);
    if (version >= now_version) return;
    const Time now = clock_.now();
    rec_.stale_read(src, now - versions_->changed_at(key), now);
    if (src == StaleSource::L1 && measured()) ++stats_.l1_stale_reads;
  }
  // The keys an MGET missed were loaded: a SET per key (mget.cpp).
  void mget_loaded(uint32_t tag, bool ok);
  void on_mget_reply(uint32_t tag, const CacheReply& reply);
  // A replica of `master` for a read, or UINT32_MAX when it has none (read_from.cpp).
  uint32_t replica_of(uint32_t master);
  bool replica_fallback(uint32_t tag, const CacheReply& reply);
  int64_t fill_ttl_ms(int64_t ttl_ms);
  void finish_waiters(uint32_t leader, bool ok);
  uint64_t sf_key(const Request& r) const { return r.key ^ (uint64_t{r.client} + 1) << 47; }
  void key_load_begin(uint64_t key);
  void key_load_end(uint64_t key);
  void key_fill_landed(uint64_t key);

  // Server-side scripts (script.cpp).
  void start_script(uint32_t tag);
  void on_script_reply(uint32_t tag, bool error);

  // Writes and patterns (patterns.cpp).
  void start_write(uint32_t tag);
  void on_write_origin(uint32_t tag, OriginOutcome outcome);
  void on_write_cache(uint32_t tag, bool error);
  void wb_flush(uint16_t client);
  void l1_invalidate(uint64_t key, uint16_t writer);

  // Connection pools (pool.cpp).
  bool pool_admit(uint32_t tag, CacheCommand& c);  // true: send now (c.conn set); false: queued
  void pool_release(uint32_t tag);                 // the reply of tag's command is in: next one goes out
  // Batching (batch.cpp): `c` joins its instance's batch for its node; a full batch is written at once, the first
  // command of a batch arms the max_wait_us timer.
  void batch_add(uint32_t tag, const CacheCommand& c);
  void batch_flush(uint16_t client, uint32_t node);
  void on_batch_timer(uint64_t arg);
  // Client pauses (pause.cpp): what reaches a paused instance, kept for the end of its pause.
  enum class Deferred : uint8_t { Start, CacheReply, OriginReply, Timer, L1Drop, Slots };
  struct DeferredItem {
    Deferred what;
    OriginOutcome outcome;
    uint32_t tag;
    uint64_t arg;  // Timer: the timer's event word; L1Drop: the key
    Request req;
    CacheReply reply;
    std::vector<uint16_t> owners;  // Slots
  };
  // True when `client` is paused: `item` is kept for the end of its pause.
  bool defer(uint16_t client, DeferredItem&& item) {
    if (paused_count_ == 0 || !paused(client)) return false;
    deferred_[client].push_back(std::move(item));
    return true;
  }
  void resume_instance(uint16_t client);
  // Seed-list start (seeds.cpp): per instance, whether it has its slot map, which seed it is asking, its failed
  // rounds (the backoff doubles with them) and the requests waiting for the round under way.
  enum StartPhase : uint8_t { kWaiting, kAsking, kStarted };
  struct StartState {
    StartPhase phase = kWaiting;
    uint32_t next_seed = 0;
    uint32_t failed_rounds = 0;
    std::vector<Request> waiting;
  };
  void seed_round(uint16_t client);
  void on_seed_answer(uint16_t client, const std::vector<uint16_t>& owners);
  std::vector<StartState> start_;  // empty without seeds: every instance has its map from t = 0
  uint32_t not_started_ = 0;       // instances without a slot map: one test per request when none

  // Warming (warm.cpp).
  void warm_issue();
  void warm_done(uint32_t tag);

  // L1 and breaker (l1_breaker.cpp).
  bool l1_get(uint16_t client, uint64_t key, uint32_t* version);
  void l1_put(uint16_t client, uint64_t key, uint32_t version);
  void l1_drop(uint16_t client, uint64_t key);
  bool breaker_allows(uint16_t client, uint32_t node);
  void breaker_result(uint16_t client, uint32_t node, bool failed);

  CacheBackend& cache_;
  OriginBackend& origin_;
  KeyVersions* versions_;    // the database's versions (origin/versions.hpp); null: staleness not tracked
  uint32_t replica_rr_ = 0;  // round-robin over a master's replicas
  Recorder& rec_;
  CompletionObserver completed_ = nullptr;
  RequestTracer* tracer_ = nullptr;
  void* completed_ctx_ = nullptr;
  const Clock& clock_;
  SlotRouter router_;
  ClientOptions opt_;
  Scheduler* timers_;
  Rng rng_;
  ClientStats stats_;
  std::vector<Pending> slots_;
  std::vector<uint32_t> free_;
  std::vector<uint8_t> refreshing_;  // per client instance: a CLUSTER SLOTS is in flight
  uint32_t prev_node_ = UINT32_MAX;  // the previous command's target, for a two-step prefetch
  uint64_t prev_key_ = 0;

  // Keys with origin loads in flight (only those): in-flight count and whether a fill has landed since the episode
  // began. Compact: a flat map plus a pooled array.
  struct KeyLoad {
    uint32_t in_flight;
    uint32_t open;
  };
  FlatMap key_loads_index_;
  std::vector<KeyLoad> key_loads_;
  std::vector<uint32_t> key_loads_free_;
  FlatMap single_flight_;  // sf_key -> the leader's tag (only keys being loaded by some instance)

  std::vector<uint32_t> wb_count_;  // write-behind: buffered writes per instance
  std::vector<uint8_t> wb_armed_;   // a flush timer is pending

  // L1: per instance a FIFO ring of l1_keys entries; the map finds (instance, key).
  struct L1Entry {
    uint64_t ckey;
    Time expires;
    uint32_t version;  // the database version of the copy
  };
  FlatMap l1_index_;
  std::vector<L1Entry> l1_;
  std::vector<uint32_t> l1_pos_;
  struct Breaker {
    uint32_t failures;
    Time open_until;
  };
  FlatMap breaker_index_;
  std::vector<Breaker> breakers_;
  std::vector<uint32_t> breaker_fail_queue_;  // tags failed by an open breaker, answered from a timer

  // Connection pools: per (instance, node) the commands on the wire and those waiting (FIFO, with their routed
  // command: a pool belongs to a node, so the wait does not change the target, as in Jedis).
  struct PoolQueue {
    uint32_t busy = 0;
    std::deque<std::pair<CacheCommand, uint32_t>> waiting;
    std::vector<uint32_t> conn_load;  // per pooled connection: its commands in flight (pool_size of them)
    uint32_t next = 0;                // where pool_take starts looking
  };
  uint16_t pool_take(PoolQueue& q);            // the connection a granted command takes (pool.cpp)
  uint32_t pool_cap_ = 0;                      // pool_size * pipeline; 0 = no pool
  std::vector<std::vector<PoolQueue>> pools_;  // [instance][node], grown on first use of a node
  std::vector<uint32_t> pool_node_;            // per tag: the node whose pool slot it holds, UINT32_MAX = none
  std::vector<uint16_t> pool_conn_;            // per tag: the pooled connection it holds a place on

  // Batching: per (instance, node) the commands collected and a generation, bumped at each write, so a timer armed
  // for a batch already written finds a newer generation and does nothing.
  struct BatchQueue {
    std::vector<BatchedCommand> cmds;
    uint32_t gen = 0;
  };
  uint32_t batch_size_ = 0;                       // clients.batch.size when > 1; 0 = no batching
  std::vector<std::vector<BatchQueue>> batches_;  // [instance][node], grown on first use of a node

  // Pauses: per instance the end of its pause (0: running) and what reached it meanwhile; empty until the first one.
  std::vector<Time> paused_until_;
  std::vector<std::deque<DeferredItem>> deferred_;
  uint32_t paused_count_ = 0;  // instances paused now: one test per entry point when none

  std::vector<Request> warm_keys_;
  size_t warm_next_ = 0;
  uint32_t warm_in_flight_ = 0;
};

inline bool xfetch_triggers(double now_ms, double delta_ms, double beta, double expire_at_ms, double u) {
  if (expire_at_ms < 0) return false;
  return now_ms - delta_ms * beta * std::log(u) >= expire_at_ms;
}

}  // namespace cachelab
