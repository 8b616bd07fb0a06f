#pragma once
// The request stream: a pure function of the scenario's workload section and the seed, so the simulator, live mode
// and `cachelab workload dump` see exactly the same requests.
//
// Draw order (open loop). Arrival times come from their own stream "workload/arrivals" (one Exp(1) per request), or
// from the trace. Then, from the stream "workload", per request and in this order:
//   1. op: one uniform (read_fraction, or the `ops` table);
//   2. key: the popularity's draws (zipf: rejection-inversion, usually one or two uniforms; uniform: one below();
//      hotspot: two; scrambled_zipfian, latest: one; sequential and trace: none; an insert under "latest": none);
//   3. group: one uniform, only when key_groups.fraction > 0 and the op is get or set;
//   4. multi-key count: one below(), only for mget/mset when multi_key_count.min < max;
//   5. client instance: one below();
//   6. TTL: the ttl_s distribution's draws, when it is set.
// Value sizes are a pure function of (seed, key) ("workload/value_bytes"), or the trace's. An rmw emits its write
// right after its read (same due time, key and client) without drawing.
// Closed loop: session s (client instance s mod instances) draws 1, 2, 3, 4 and 6 from its own stream
// "workload/session/<s>" and its think times from "workload/think/<s>", so a session's k-th request is a pure function
// of (workload, seed, s, k) whatever the latencies; only the due times and the interleaving of sessions depend on the
// simulation (and, with "latest", which keys exist by then).
//
// Mixed streams (workload.streams, issue 16 part 4): each stream is drawn as above from its own streams
// "workload/stream/<name>" and "workload/stream/<name>/arrivals" (the main workload keeps "workload" and
// "workload/arrivals", so adding a stream changes none of its draws), its key numbers shifted by its key_offset,
// its client instance drawn from its client_instances (one below() over that list), its arrival times shifted by
// its start_s. The streams are merged by due time, ties in stream order (the main workload first); `seq` numbers
// the merged stream. A stream with arrival.dist "closed" is not merged: it has its own sessions (its client
// instances x its sessions_per_instance; session s on instance s mod that list), drawn as the closed loop above from
// "workload/stream/<name>/session/<s>" and ".../think/<s>", none before its start_s; next_for numbers the sessions of
// every closed-loop stream in stream order (the main workload's first), so adding a closed-loop stream changes no
// draw of another stream (only `seq`, which numbers every request in the order drawn). A key's value size comes from the first stream whose key range holds it (the main workload's
// range first), drawn from "workload/value_bytes" (main) or "workload/stream/<name>/value_bytes". A stream whose
// key_prefix differs from the main workload's names its keys with it: its requests carry that prefix's name form
// (Request::name_form; namer() knows every form), and no draw changes.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/core/time.hpp"
#include "cachelab/protocol/request.hpp"
#include "cachelab/scenario/scenario.hpp"
#include "cachelab/workload/arrivals.hpp"
#include "cachelab/workload/popularity.hpp"

namespace cachelab {

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(const Scenario& s);
  ~WorkloadGenerator();
  // Open loop: the next request due before `end`, or false when the stream has passed `end`.
  // REQUIRES: the same `end` on every call (with streams, each stream's next request is drawn ahead).
  bool next(Request& out, Time end) {
    if (streams_.empty()) return next_own(out, end);
    return next_merged(out, end);
  }
  // The streams: 1 + workload.streams; a Request's `stream` indexes them (0 = the main workload).
  size_t stream_count() const { return 1 + streams_.size(); }
  uint32_t value_bytes(uint64_t key) const;
  const KeyNamer& namer() const { return namer_; }

  // Closed loop (arrival.dist = "closed", the main workload's or a stream's): `sessions()` independent sessions over
  // every closed-loop stream, each with one request at a time; next() draws the open-loop streams only.
  bool closed_loop() const { return total_sessions_ > 0; }
  bool has_open() const { return has_open_; }  // some stream is open loop: next() draws requests
  bool stream_closed(size_t stream) const { return stream == 0 ? closed_ : streams_[stream - 1]->closed_; }
  uint32_t sessions() const { return total_sessions_; }
  // Session s's next request, issued a think time after `now` (its previous request completed then; pass 0 for the
  // first), not before its stream's start_s. False when it would be due after `end` or its stream has ended (scan).
  bool next_for(uint32_t session, Time now, Request& out, Time end);

  // Cache warming (clients.warm): the k most popular keys, most popular first, as reads spread over the client
  // instances (key i by instance i mod instances), with their value sizes and TTLs drawn from `rng` (the caller's
  // own stream: the request stream is unchanged). Throws std::invalid_argument for a trace (no popularity model).
  std::vector<Request> warm_requests(uint64_t k, Rng& rng) const;

 private:
  struct TraceInput;
  // A stream of workload.streams (index >= 1), sized by `root`.
  WorkloadGenerator(const Scenario& s, const WorkloadConfig& w, const WorkloadGenerator* root, uint16_t index);
  bool next_own(Request& out, Time end);
  bool next_merged(Request& out, Time end);
  bool own_next_for(uint32_t session, Time now, Request& out, Time end);
  uint32_t own_value_bytes(uint64_t key) const;
  // Fills op, key, key_count, client, value size and TTL of `out` from `rng` (draws 1-6 of the order above).
  void draw(Request& out, Rng& rng, Request* pending_write, bool& has_pending);
  Op draw_op(Rng& rng);

  uint64_t seed_;
  uint64_t value_seed_;  // derive_seed(seed, "workload/value_bytes") or the stream's
  uint64_t keys_;
  uint64_t key_offset_ = 0;
  Time start_;
  uint16_t index_ = 0;
  uint8_t name_form_ = 0;              // the root namer's form of this stream's key_prefix (Request::name_form)
  bool checks_ = false;                // a stream (its start) or a popularity that may end (scan): checked per arrival
  const WorkloadGenerator* root_;      // sizes every key (this for the main workload)
  std::vector<uint16_t> client_list_;  // a stream's client_instances; empty = every instance
  double read_fraction_;
  bool use_ops_ = false;
  double ops_cum_[10] = {};   // cumulative shares of get, set, del, incr, mget, mset, rmw, keys, scan, script
  uint32_t scan_count_ = 10;  // workload.scan_count: a SCAN request's COUNT
  uint32_t script_calls_ = 2, script_keys_ = 1;  // workload.script: a script request's redis.call and keys
  uint32_t multi_min_ = 1, multi_max_ = 1;
  double group_fraction_ = 0;
  uint16_t clients_;
  std::optional<ZipfSampler> zipf_;  // the default popularity, called inline (no virtual call)
  bool uniform_ = false;
  std::unique_ptr<KeyChooser> chooser_;  // any other popularity
  std::unique_ptr<RealDist> value_dist_, ttl_dist_, think_dist_;
  std::optional<uint32_t> fixed_value_;
  PoissonArrivals arrivals_;
  Rng rng_;
  KeyNamer namer_;
  uint64_t seq_ = 0;
  Request pending_;  // the write half of an rmw (open loop)
  bool has_pending_ = false;
  std::unique_ptr<TraceInput> trace_;
  bool closed_ = false;
  std::vector<Rng> session_rngs_, think_rngs_;
  std::vector<Request> session_pending_;
  std::vector<uint8_t> session_has_pending_;
  uint32_t total_sessions_ = 0;          // root: every closed-loop stream's sessions
  bool has_open_ = true;                 // root: some stream is open loop
  std::vector<uint32_t> session_first_;  // root with streams: each stream's first session number (next_for)
  // Mixed streams (root only): the other streams, and each stream's next request, drawn ahead (index 0: this one).
  std::vector<std::unique_ptr<WorkloadGenerator>> streams_;
  std::vector<Request> heads_;
  std::vector<uint8_t> head_live_;
  bool heads_filled_ = false;
  uint64_t merged_seq_ = 0;
};

}  // namespace cachelab
