// The one "find, evict until it fits, insert" path shared by every replay policy (libCacheSim's cache_get_base).
// Residency, sizes and expiry are kept here per cached object (handles recycled through a free list), so the
// engine's memory is proportional to the cache, and policies only order handles.
#include "cachelab/replay/simulator.hpp"

#include <algorithm>
#include <vector>

#include "id_map.hpp"

namespace cachelab::replay {

namespace {

class TraceFuture final : public FutureOracle {
 public:
  explicit TraceFuture(const Trace& t) : t_(t) {}
  int64_t next_access(uint64_t seq) const override { return t_.requests[seq].next_access_vtime; }

 private:
  const Trace& t_;
};

// About how many objects fit: the count with unit sizes, else by the trace's mean object size, with some room.
uint64_t expected_objects(const Trace& trace, const ReplayConfig& cfg) {
  if (cfg.unit_size) return std::min<uint64_t>(cfg.capacity_bytes, trace.objects);
  const uint64_t mean = std::max<uint64_t>(1, trace.objects ? trace.working_set_bytes / trace.objects : 1);
  return std::min<uint64_t>(trace.objects, cfg.capacity_bytes / mean + cfg.capacity_bytes / mean / 4 + 16);
}

}  // namespace

ReplayResult replay(const Trace& trace, const ReplayConfig& cfg) {
  const ObjectPolicyKind* kind = ObjectPolicyRegistry::instance().find(cfg.policy);
  if (!kind) throw ReplayError("unknown replay policy '" + cfg.policy + "'");

  const TraceFuture future(trace);
  ObjectPolicyParams params;
  params.capacity = cfg.capacity_bytes;
  params.expected_objects = expected_objects(trace, cfg);
  params.seed = cfg.seed;
  params.future = &future;
  params.maxmemory_samples = cfg.maxmemory_samples;
  params.sampling = cfg.sampling;
  const std::unique_ptr<ObjectPolicy> policy = kind->make(params);

  const bool miss_hooks = policy->uses_misses();
  const bool unit = cfg.unit_size;
  const bool ttl = cfg.ttl_s != 0;
  // Per handle: the object's id, its stored size (not with unit sizes) and its expiry (only with a TTL).
  IdMap index(params.expected_objects);
  std::vector<uint32_t> ids, sizes, expiry_s;
  std::vector<Handle> free_handles;
  ids.reserve(params.expected_objects);
  if (!unit) sizes.reserve(params.expected_objects);
  if (ttl) expiry_s.reserve(params.expected_objects);
  // Only worth it when the index does not sit in the core's caches anyway.
  const bool prefetch_victims = index.bytes() > (1u << 20);
  auto release = [&](Handle h) -> uint64_t {
    index.erase(ids[h]);
    free_handles.push_back(h);
    return unit ? 1 : sizes[h];
  };

  ReplayResult r;
  r.policy = kind->name;
  r.capacity_bytes = cfg.capacity_bytes;
  uint64_t used_bytes = 0;
  const uint64_t capacity = cfg.capacity_bytes;
  const std::vector<Request>& reqs = trace.requests;
  const uint64_t n = reqs.size();
  if (cfg.record_hits) r.hits.reserve(n);

  // Prefetching the index bucket this many requests ahead hides most of its cache miss when the cache is large.
  constexpr uint64_t kAhead = 8;
  if (cfg.batch_requests) r.batch_misses.reserve(n / cfg.batch_requests);
  uint64_t batch_start_misses = 0;
  for (uint64_t i = 0; i < n; ++i) {
    if (cfg.batch_requests && i && i % cfg.batch_requests == 0) {
      r.batch_misses.push_back(r.misses - batch_start_misses);
      batch_start_misses = r.misses;
    }
    if (i + kAhead < n) index.prefetch(reqs[i + kAhead].obj);
    const Request& q = reqs[i];
    const uint32_t size = unit ? 1 : q.size_bytes;
    const uint32_t obj = q.obj;
    // Time is the trace's (whole seconds); without timestamps (txt) one request per ms, for the Redis policies.
    const Access a{obj, i, trace.has_time ? Time::s(q.time_s) : Time::ms(static_cast<int64_t>(i))};
    ++r.requests;
    r.requested_bytes += size;
    const Handle found = index.find(obj);
    if (found != IdMap::kEmpty) {
      // Lazy expiry: an expired object keeps its bytes until it is accessed (then it is a miss) or evicted.
      if (ttl && expiry_s[found] < q.time_s) {
        policy->remove(found);
        used_bytes -= release(found);
      } else {
        policy->on_hit(found, a);
        if (cfg.record_hits) r.hits.push_back(1);
        continue;
      }
    }
    ++r.misses;
    r.miss_bytes += size;
    if (cfg.record_hits) r.hits.push_back(0);
    if (size > capacity) {
      if (miss_hooks) policy->on_miss(a, size);
      continue;
    }
    if (miss_hooks) {
      policy->on_miss(a, size);
      if (!policy->admits(size)) continue;
    }
    while (used_bytes + size > capacity) used_bytes -= release(policy->evict());
    Handle h;
    if (!free_handles.empty()) {
      h = free_handles.back();
      free_handles.pop_back();
    } else {
      h = static_cast<Handle>(ids.size());
      ids.push_back(0);
      if (!unit) sizes.push_back(0);
      if (ttl) expiry_s.push_back(0);
    }
    ids[h] = obj;
    if (!unit) sizes[h] = size;
    if (ttl) expiry_s[h] = q.time_s + cfg.ttl_s;
    index.insert(obj, h);
    used_bytes += size;
    policy->insert(h, a, size);
    if (prefetch_victims && used_bytes + size > capacity) {  // the next such miss evicts: bring its entry in
      const Handle next_victim = policy->victim_hint();
      if (next_victim != kNoHandle) index.prefetch(ids[next_victim]);
    }
  }
  if (cfg.batch_requests && n && n % cfg.batch_requests == 0)
    r.batch_misses.push_back(r.misses - batch_start_misses);
  return r;
}

}  // namespace cachelab::replay
