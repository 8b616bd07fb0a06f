// The one "find, evict until it fits, insert" path shared by every replay policy (libCacheSim's cache_get_base),
// with residency, sizes and expiry kept here in flat per-object arrays so policies only order objects.
#include "cachelab/replay/simulator.hpp"

#include <vector>

namespace cachelab::replay {

ReplayResult replay(const Trace& trace, const ReplayConfig& cfg) {
  const ReplayPolicyKind* kind = ReplayPolicyRegistry::instance().find(cfg.policy);
  if (!kind) throw ReplayError("unknown replay policy '" + cfg.policy + "'");

  std::vector<uint32_t> stored_size(trace.objects, 0);
  std::vector<uint8_t> resident(trace.objects, 0);
  std::vector<uint32_t> expiry_s(cfg.ttl_s ? trace.objects : 0, 0);

  PolicyContext ctx;
  ctx.capacity_bytes = cfg.capacity_bytes;
  ctx.objects = trace.objects;
  ctx.stored_size = stored_size.data();
  ctx.trace = &trace;
  ctx.seed = cfg.seed;
  ctx.maxmemory_samples = cfg.maxmemory_samples;
  ctx.sampling = cfg.sampling;
  const std::unique_ptr<ReplayPolicy> policy = kind->make(ctx);

  ReplayResult r;
  r.policy = kind->name;
  r.capacity_bytes = cfg.capacity_bytes;
  uint64_t used_bytes = 0;
  const uint64_t capacity = cfg.capacity_bytes;

  if (cfg.batch_requests) r.batch_misses.reserve(trace.requests.size() / cfg.batch_requests);
  uint64_t batch_start_misses = 0;
  for (uint64_t i = 0; i < trace.requests.size(); ++i) {
    if (cfg.batch_requests && i && i % cfg.batch_requests == 0) {
      r.batch_misses.push_back(r.misses - batch_start_misses);
      batch_start_misses = r.misses;
    }
    const Request& q = trace.requests[i];
    const uint32_t size = cfg.unit_size ? 1 : q.size_bytes;
    const uint32_t obj = q.obj;
    ++r.requests;
    r.requested_bytes += size;
    if (resident[obj]) {
      // Lazy expiry: an expired object keeps its bytes until it is accessed (then it is a miss) or evicted.
      if (cfg.ttl_s && expiry_s[obj] < q.time_s) {
        policy->remove(obj);
        resident[obj] = 0;
        used_bytes -= stored_size[obj];
      } else {
        policy->on_hit(obj, i);
        continue;
      }
    }
    ++r.misses;
    r.miss_bytes += size;
    policy->on_miss(obj, i, size);
    if (size > capacity || !policy->admits(size)) continue;
    while (used_bytes + size > capacity) {
      const uint32_t victim = policy->evict();
      resident[victim] = 0;
      used_bytes -= stored_size[victim];
    }
    stored_size[obj] = size;
    resident[obj] = 1;
    used_bytes += size;
    if (cfg.ttl_s) expiry_s[obj] = q.time_s + cfg.ttl_s;
    policy->insert(obj, i);
  }
  if (cfg.batch_requests && !trace.requests.empty() && trace.requests.size() % cfg.batch_requests == 0)
    r.batch_misses.push_back(r.misses - batch_start_misses);
  return r;
}

}  // namespace cachelab::replay
