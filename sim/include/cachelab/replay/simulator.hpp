#pragma once
// libCacheSim-compatible byte-capacity cache replay (docs/validation.md §0):
// every request is a GET; a miss inserts the object after evicting until used + size <= capacity; an object larger
// than the cache is not inserted; a hit keeps the stored size; no per-object overhead. Optional TTL: set on insert,
// not refreshed on hits, expired when expiry < now (whole seconds), lazily (found on access: a miss).
// The policies are the ObjectPolicies of cache/object_policy.hpp, the same implementations a node's Store runs.
// State is kept per cached object, not per trace object: a compact id -> handle map sized to the cache, and per
// handle the object's id (and its size unless unit_size, its expiry with a TTL), plus the policy's own arrays.
// From a file, replay_file streams the trace (trace_stream.hpp) and runs several policies and sizes over one pass.
#include <cstdint>
#include <memory>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "cachelab/cache/object_policy.hpp"
#include "cachelab/replay/trace.hpp"
#include "cachelab/replay/trace_stream.hpp"

namespace cachelab::replay {

struct ReplayConfig {
  std::string policy = "lru";
  uint64_t capacity_bytes = 0;  // objects when unit_size
  bool unit_size = false;       // every object has size 1 (libCacheSim's --ignore-obj-size)
  uint32_t ttl_s = 0;           // 0: no expiry
  uint64_t seed = 1;
  int maxmemory_samples = 5;         // allkeys-lru / allkeys-lfu: Redis's maxmemory-samples
  std::string sampling = "uniform";  // ... and how they sample: "uniform" or "buckets" (StoreConfig::sampling)
  uint64_t batch_requests = 0;       // > 0: also count misses per consecutive batch of this many requests
  bool record_hits = false;          // also keep every request's outcome (ReplayResult::hits), for tests
};

struct ReplayResult {
  std::string policy;
  uint64_t capacity_bytes = 0;
  uint64_t requests = 0, misses = 0;
  uint64_t requested_bytes = 0, miss_bytes = 0;
  std::vector<uint64_t> batch_misses;  // per full batch of cfg.batch_requests (for batch-means standard errors)
  std::vector<uint8_t> hits;           // with cfg.record_hits: 1 for a hit, 0 for a miss, per request
  double miss_ratio() const { return requests ? static_cast<double>(misses) / requests : 0; }
  double byte_miss_ratio() const { return requested_bytes ? static_cast<double>(miss_bytes) / requested_bytes : 0; }
};

struct ReplayError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Replays `trace` under one policy and size (a name of ObjectPolicyRegistry). Throws ReplayError for an unknown
// policy.
ReplayResult replay(const Trace& trace, const ReplayConfig& cfg);

// One policy and size fed a trace block by block, in order.
class ReplayRun {
 public:
  // expected_objects: about how many objects fit (sizes the arrays; they grow past it). has_time: the trace has
  // timestamps (else one request per ms, for the Redis policies). Throws ReplayError for an unknown policy.
  ReplayRun(const ReplayConfig& cfg, uint64_t expected_objects, bool has_time);
  ~ReplayRun();
  ReplayRun(ReplayRun&&) noexcept;

  // Whether the policy's results depend on the values of ids, not only on which requests share one: Belady breaks
  // ties by id, the Redis policies hash keys into their dict. Those must see the ids replay always gave them, dense
  // indices in order of first appearance; every other policy (those a node runs too, where ids are key numbers)
  // takes the trace's own ids, which spares a lookup in a table as large as the trace.
  bool needs_dense_ids() const;
  // The next requests. dense: when not null, dense[i] is block[i]'s dense index and is the id the run uses.
  void feed(std::span<const TraceRecord> block, const uint32_t* dense);
  ReplayResult finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "About how many objects fit" for a cache of `capacity` (objects with unit sizes): from the working set's mean
// object size when the trace was scanned, else from the mean request size of the first block.
uint64_t expected_objects(uint64_t capacity, bool unit_size, uint64_t objects, uint64_t working_set_bytes);

struct ReplayFileOptions {
  unsigned threads = 1;                 // policies x sizes are split over this many threads, one pass each
  const TraceSummary* known = nullptr;  // the trace's working set if scanned first (scan_trace): sizes the arrays
  TraceSummary* count = nullptr;        // if set, the first thread also counts the working set while it replays
};

// Replays the trace file under every config: each thread streams the file once and feeds each block to its share
// of the configs in turn (so the trace is read once per thread, not once per config). Results in config order.
// Throws TraceError, ReplayError.
std::vector<ReplayResult> replay_file(const std::string& path, TraceFormat format,
                                      const std::vector<ReplayConfig>& configs, const ReplayFileOptions& opt);

}  // namespace cachelab::replay
