#pragma once
// The one Recorder both back-ends feed: requests, hits and misses, application latency, errors by kind, origin
// load. It keeps totals over the measured period (after warm-up) and per-interval figures for series.csv.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "cachelab/protocol/backend.hpp"
#include "cachelab/core/time.hpp"
#include "cachelab/metrics/histogram.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

// Reply: an error reply of no other kind (-WRONGTYPE, -ERR ...), summary.json errors.reply.
enum class ErrorKind : uint8_t {
  Moved,
  Ask,
  TryAgain,
  ClusterDown,
  Oom,
  Timeout,
  Connection,
  CrossSlot,
  NoReplicas,
  Reply,
  kCount
};
const char* error_name(ErrorKind k);

// Why a request failed for the application (summary.json failed_by_cause): the database timed out or refused it,
// the cache answered an error the request has no database fallback for (INCR, CROSSSLOT, a write-behind SET), or
// the write-behind buffer was full, or the client instance had not started (no seed answered: clients.seeds).
enum class FailCause : uint8_t { None, Origin, Cache, BufferFull, NotStarted };

// How a request ended beyond hit or miss. The error kinds are ErrorKind values, or -1 for none: the first error
// reply that ended one of its cache commands (after redirections and retries), and the first of those that made the
// cache unavailable to it (connection, CLUSTERDOWN, timeout: the request is degraded).
struct RequestOutcome {
  FailCause fail = FailCause::None;
  int8_t cache_error = -1;
  int8_t unavailable = -1;
};

// Where a stale read was served from (issue 16): the shared cache's masters, a client instance's L1, a replica.
enum class StaleSource : uint8_t { Cache, L1, Replica, kCount };
const char* stale_source_name(StaleSource s);

// Stale reads of one source: reads served a value older than the database's (origin/versions.hpp) and their age,
// the time since the database last changed the key.
struct StaleCounts {
  uint64_t reads = 0;
  uint64_t age_ns_sum = 0, age_ns_max = 0;
};

struct Counters {
  uint64_t offered = 0;  // requests that became due
  uint64_t requests = 0, reads = 0, writes = 0, hits = 0, misses = 0, failed = 0;
  uint64_t degraded =
      0;  // requests whose cache command failed (connection, CLUSTERDOWN, timeout): the cache was unavailable
  uint64_t failed_origin = 0, failed_cache = 0, failed_buffer_full = 0, failed_not_started = 0;  // by FailCause
  uint64_t cache_failed = 0;  // requests whose cache answer ended in an error of any kind (degraded ones included)
  std::array<uint64_t, static_cast<size_t>(ErrorKind::kCount)> degraded_by{};  // `degraded` by the kind that caused it
  std::array<uint64_t, static_cast<size_t>(ErrorKind::kCount)> errors{};
  uint64_t origin_requests = 0, origin_reads = 0, origin_writes = 0, origin_rejected = 0, origin_timeouts = 0;
  uint64_t writes_acknowledged = 0, writes_lost = 0;
  uint64_t origin_concurrency_max = 0, origin_queue_max = 0;
  // Keys read (a GET is one key, an MGET of n keys is n): found in the cache or not (issue 16).
  uint64_t key_hits = 0, key_misses = 0;
  std::array<StaleCounts, static_cast<size_t>(StaleSource::kCount)> stale{};
};

// One stream's figures (workload.streams, issue 16 part 4): what a tenant or a scan saw.
struct StreamCounters {
  uint64_t requests = 0, reads = 0, hits = 0, misses = 0, failed = 0;
  uint64_t cache_failed = 0;     // requests whose cache answer ended in an error
  uint64_t origin_requests = 0;  // database queries its requests made (write-behind flushes are nobody's)
};

class Recorder {
 public:
  explicit Recorder(Time warmup_end) : warmup_end_(warmup_end) {}

  void request_due(Time due) {
    ++interval_.offered;
    if (due >= warmup_end_) ++total_.offered;
  }
  // An application request finished (successfully or not) at `done`.
  // Degraded (outcome.unavailable set): the cache could not answer it (connection refused, CLUSTERDOWN, timeout),
  // whatever the origin did.
  void request_done(const Request& r, Time done, bool hit, const RequestOutcome& outcome = {});
  void cache_error(ErrorKind k, Time at);
  // The keys of a multi-key read (MGET) found / not found; counted in the totals when the request was due after
  // the warm-up, as request_done counts it. A single-key read counts its key in request_done.
  void keys_read(const Request& r, uint64_t found, uint64_t missing);
  // A read served a stale value at `at`; `age`: since the database changed the key.
  void stale_read(StaleSource src, Time age, Time at);
  void cache_write_acked(Time at);
  // `stream`: the request's stream when the query is one request's (-1: none, a write-behind flush, a warm load).
  void origin_started(bool write, Time at, int stream = -1);
  void origin_finished(Time issued, Time at, OriginOutcome outcome);
  void origin_load(uint64_t outstanding, uint64_t queued, Time at);

  // Closes the current interval: returns its counters and latency histograms, and starts a new one.
  struct Interval {
    Counters c;
    const LogHistogram* latency;
    const LogHistogram* origin_latency;
  };
  Interval interval() const { return {interval_, &latency_.interval(), &origin_latency_.interval()}; }
  void reset_interval();

  // Per-stream figures, kept only with more than one stream (`n` streams: Request::stream 0 .. n-1).
  void set_streams(size_t n) { streams_.assign(n > 1 ? n : 0, {}); }
  size_t streams() const { return streams_.size(); }
  const StreamCounters& stream_totals(size_t i) const { return streams_[i].total; }
  const StreamCounters& stream_interval(size_t i) const { return streams_[i].interval; }
  const LogHistogram& stream_latency(size_t i) const { return streams_[i].latency; }

  const Counters& totals() const { return total_; }
  const LogHistogram& latency() const { return latency_.total(); }
  const LogHistogram& origin_latency() const { return origin_latency_.total(); }
  Time warmup_end() const { return warmup_end_; }

 private:
  // A latency histogram for the whole measured period and one for the current interval. A value normally goes into
  // the interval's only, and the interval is merged into the total when it closes: one 58 KB histogram touched
  // per request instead of two (the second was an L1 miss on nearly every request of the flagship). An interval
  // that also holds unmeasured values (requests due in the warm-up) is folded in at once and from then on records
  // its measured values into both. Merging is exact (integer counts and sums), so the totals are what recording
  // each value twice gave.
  class Split {
   public:
    void record(uint64_t v, bool measured) {
      if (!measured && !folded_) fold();
      interval_.record(v);
      if (measured && folded_) total_.record(v);
    }
    void close() {
      if (!folded_) total_.merge(interval_);
      folded_ = false;
      interval_.reset();
    }
    const LogHistogram& interval() const { return interval_; }
    const LogHistogram& total() const {
      if (!folded_) fold();  // a reader between closes sees every value recorded so far
      return total_;
    }

   private:
    void fold() const {
      total_.merge(interval_);
      folded_ = true;
    }
    LogHistogram interval_;
    mutable LogHistogram total_;
    mutable bool folded_ = false;  // interval_'s measured values are already in total_
  };

  struct Stream {
    StreamCounters total, interval;
    LogHistogram latency;  // the measured period's
  };
  void stream_done(const Request& r, uint64_t latency_ns, bool hit, const RequestOutcome& outcome);

  bool measured(Time t) const { return t >= warmup_end_; }
  std::vector<Stream> streams_;
  Time warmup_end_;
  Counters total_, interval_;
  Split latency_, origin_latency_;
};

}  // namespace cachelab
