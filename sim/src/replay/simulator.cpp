// The one "find, evict until it fits, insert" path shared by every replay policy (libCacheSim's cache_get_base).
// Residency, sizes and expiry are kept here per cached object (handles recycled through a free list), so the
// engine's memory is proportional to the cache, and policies only order handles. The trace comes in blocks
// (ReplayRun::feed), from memory (replay) or streamed from a file (replay_file.cpp).
#include "cachelab/replay/simulator.hpp"

#include <algorithm>
#include <vector>

#include "cachelab/core/prefetch.hpp"
#include "id_map.hpp"

namespace cachelab::replay {

// Named, not anonymous: ReplayRun::Impl holds a BlockFuture, and in a unity batch GCC flags a member whose type has
// internal linkage (-Wsubobject-linkage).
namespace simulator_detail {

// Belady's view of the future: the next access of the request being replayed, which is in the current block.
class BlockFuture final : public FutureOracle {
 public:
  int64_t next_access(uint64_t seq) const override { return block_[seq - base_].next_access_vtime; }
  void set(std::span<const TraceRecord> block, uint64_t base) {
    block_ = block;
    base_ = base;
  }

 private:
  std::span<const TraceRecord> block_;
  uint64_t base_ = 0;
};

}  // namespace simulator_detail
using simulator_detail::BlockFuture;

uint64_t expected_objects(uint64_t capacity, bool unit_size, uint64_t objects, uint64_t working_set_bytes) {
  if (unit_size) return objects ? std::min<uint64_t>(capacity, objects) : capacity;
  const uint64_t mean = std::max<uint64_t>(1, objects ? working_set_bytes / objects : 1);
  const uint64_t fit = capacity / mean + capacity / mean / 4 + 16;
  return objects ? std::min<uint64_t>(objects, fit) : fit;
}

struct ReplayRun::Impl {
  Impl(const ReplayConfig& c, uint64_t expected, bool with_time)
      : cfg(c), has_time(with_time), unit(c.unit_size), ttl(c.ttl_s != 0), index(expected) {
    const ObjectPolicyKind* kind = ObjectPolicyRegistry::instance().find(cfg.policy);
    if (!kind) throw ReplayError("unknown replay policy '" + cfg.policy + "'");
    dense = kind->needs_future || kind->replay_only;
    ObjectPolicyParams params;
    params.capacity = cfg.capacity_bytes;
    params.expected_objects = expected;
    params.seed = cfg.seed;
    params.future = &future;
    params.maxmemory_samples = cfg.maxmemory_samples;
    params.sampling = cfg.sampling;
    policy = kind->make(params);
    miss_hooks = policy->uses_misses();
    if (!unit) sizes.reserve(expected);
    if (ttl) expiry_s.reserve(expected);
    // Only worth it when the index does not sit in L1/L2 anyway (a victim was last touched long ago).
    prefetch_victims = index.bytes() > (1u << 18);
    r.policy = kind->name;
    r.capacity_bytes = cfg.capacity_bytes;
  }

  uint64_t release(Handle h) {
    index.erase_handle(h);
    free_handles.push_back(h);
    return unit ? 1 : sizes[h];
  }

  void feed(std::span<const TraceRecord> block, const uint32_t* dense_ids) {
    future.set(block, seq);
    const uint64_t capacity = cfg.capacity_bytes;
    const size_t n = block.size();
    auto id_of = [&](size_t i) -> uint64_t { return dense_ids ? dense_ids[i] : block[i].id; };
    // Prefetching the index bucket this many requests ahead hides most of its cache miss when the cache is large.
    constexpr size_t kAhead = 8;
    for (size_t i = 0; i < std::min(n, kAhead); ++i) index.prefetch(id_of(i));
    for (size_t i = 0; i < n; ++i, ++seq) {
      if (cfg.batch_requests && seq && seq % cfg.batch_requests == 0) {
        r.batch_misses.push_back(r.misses - batch_start_misses);
        batch_start_misses = r.misses;
      }
      if (i + kAhead < n) index.prefetch(id_of(i + kAhead));
      if (pending_victim != kNoHandle) {  // its bucket number was prefetched at the last insert: now its bucket
        index.prefetch_bucket_of(pending_victim);
        pending_victim = kNoHandle;
      }
      const TraceRecord& q = block[i];
      const uint32_t size = unit ? 1 : q.size_bytes;
      const uint64_t obj = id_of(i);
      // Time is the trace's (whole seconds); without timestamps (txt) one request per ms, for the Redis policies.
      const Access a{obj, seq, has_time ? Time::s(q.time_s) : Time::ms(static_cast<int64_t>(seq))};
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
        h = next_handle++;
        if (!unit) sizes.push_back(0);
        if (ttl) expiry_s.push_back(0);
      }
      if (!unit) sizes[h] = size;
      if (ttl) expiry_s[h] = q.time_s + cfg.ttl_s;
      index.insert(obj, h);
      used_bytes += size;
      policy->insert(h, a, size);
      if (prefetch_victims && used_bytes + size > capacity) {
        // The next such miss evicts: bring the victim's bucket number (and size) in now, and its bucket at the next
        // request (reading the number now would stall on it: victims were last touched long ago).
        pending_victim = policy->victim_hint();
        if (pending_victim != kNoHandle) {
          index.prefetch_where(pending_victim);
          if (!unit) prefetch_line(&sizes[pending_victim]);
        }
      }
    }
  }

  ReplayResult finish() {
    if (cfg.batch_requests && seq && seq % cfg.batch_requests == 0)
      r.batch_misses.push_back(r.misses - batch_start_misses);
    return std::move(r);
  }

  const ReplayConfig cfg;
  const bool has_time, unit, ttl;
  bool dense = false, miss_hooks = false, prefetch_victims = false;
  BlockFuture future;
  std::unique_ptr<ObjectPolicy> policy;
  // The index knows each handle's id; per handle here only its stored size (not with unit sizes) and its expiry
  // (only with a TTL).
  IdMap index;
  std::vector<uint32_t> sizes, expiry_s;
  std::vector<Handle> free_handles;
  Handle next_handle = 0;
  Handle pending_victim = kNoHandle;
  uint64_t used_bytes = 0, seq = 0, batch_start_misses = 0;
  ReplayResult r;
};

ReplayRun::ReplayRun(const ReplayConfig& cfg, uint64_t expected, bool has_time)
    : impl_(std::make_unique<Impl>(cfg, expected, has_time)) {}
ReplayRun::~ReplayRun() = default;
ReplayRun::ReplayRun(ReplayRun&&) noexcept = default;
bool ReplayRun::needs_dense_ids() const { return impl_->dense; }
void ReplayRun::feed(std::span<const TraceRecord> block, const uint32_t* dense) { impl_->feed(block, dense); }
ReplayResult ReplayRun::finish() { return impl_->finish(); }

ReplayResult replay(const Trace& trace, const ReplayConfig& cfg) {
  ReplayRun run(cfg, expected_objects(cfg.capacity_bytes, cfg.unit_size, trace.objects, trace.working_set_bytes),
                trace.has_time);
  // A Trace's objects are already dense indices: they are the ids every policy sees.
  std::vector<TraceRecord> block(std::min(trace.requests.size(), TraceStream::kBlockRecords));
  for (size_t pos = 0; pos < trace.requests.size();) {
    const size_t n = std::min(block.size(), trace.requests.size() - pos);
    for (size_t i = 0; i < n; ++i) {
      const Request& q = trace.requests[pos + i];
      block[i] = TraceRecord{q.obj, q.size_bytes, q.time_s, q.next_access_vtime};
    }
    run.feed({block.data(), n}, nullptr);
    pos += n;
  }
  return run.finish();
}

}  // namespace cachelab::replay
