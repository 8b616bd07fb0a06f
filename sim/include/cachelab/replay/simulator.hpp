#pragma once
// libCacheSim-compatible byte-capacity cache replay (reference/validation.md, "Trace replay semantics"):
// every request is a GET; a miss inserts the object after evicting until used + size <= capacity; an object larger
// than the cache is not inserted; a hit keeps the stored size; no per-object overhead. Optional TTL: set on insert,
// not refreshed on hits, expired when expiry < now (whole seconds), lazily (found on access: a miss).
// The policies are the ObjectPolicies of cache/object_policy.hpp, the same implementations a node's Store runs.
// State is kept per cached object, not per trace object: a compact id -> handle map sized to the cache, and per
// handle the object's id (and its size unless unit_size, its expiry with a TTL), plus the policy's own arrays.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "cachelab/cache/object_policy.hpp"
#include "cachelab/replay/trace.hpp"

namespace cachelab::replay {

struct ReplayConfig {
  std::string policy = "lru";
  uint64_t capacity_bytes = 0;  // objects when unit_size
  bool unit_size = false;       // every object has size 1 (libCacheSim's --ignore-obj-size)
  uint32_t ttl_s = 0;           // 0: no expiry
  uint64_t seed = 1;
  int maxmemory_samples = 5;    // allkeys-lru / allkeys-lfu: Redis's maxmemory-samples
  std::string sampling = "uniform";  // ... and how they sample: "uniform" or "buckets" (StoreConfig::sampling)
  uint64_t batch_requests = 0;  // > 0: also count misses per consecutive batch of this many requests
  bool record_hits = false;     // also keep every request's outcome (ReplayResult::hits), for tests
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

}  // namespace cachelab::replay
