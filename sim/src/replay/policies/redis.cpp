// Redis's own eviction in trace replay: allkeys-lru, allkeys-lfu and allkeys-random run the very EvictionPolicy
// implementations the cluster simulation uses (sim/src/cache/policies: the 16-entry pool, maxmemory-samples,
// dictGetSomeKeys / dictGetRandomKey with --sampling buckets, the 24-bit LRU clock at 1 s resolution, the LFU log
// counter; docs/redis-reference.md §7.4-§7.7), on a Store of their own used as the policy's keyspace. The replay
// engine keeps libCacheSim's byte accounting and asks for one victim at a time (Store::evict_one). Time is the
// trace's (whole seconds), so idle times have Redis's 1 s granularity; a trace without timestamps (txt) runs at
// one request per millisecond. Registered for replay only: in a node these names are the Store's own policies.
#include "../../cache/policies/handle_lists.hpp"
#include "cachelab/cache/flat_map.hpp"
#include "cachelab/cache/object_policy.hpp"
#include "cachelab/cache/store.hpp"

namespace cachelab::policies {
namespace {

class RedisSampled final : public ObjectPolicy {
 public:
  RedisSampled(const ObjectPolicyParams& p, const std::string& policy) : store_(config(p, policy), Rng(p.seed)) {
    ids_.reserve(p.expected_objects);
  }

  void on_hit(Handle, const Access& a) override {
    now_ = a.now;
    store_.get(a.id, now_, nullptr);
  }
  void insert(Handle h, const Access& a, uint32_t size) override {
    now_ = a.now;
    store_.set(a.id, 0, size, Store::kNoExpiry, now_);
    ensure_index(ids_, h);
    ids_[h] = a.id;
    handles_.insert(a.id, h);
  }
  Handle evict() override {
    uint64_t key = 0;
    store_.evict_one(now_, &key);  // allkeys-*: always finds a victim while keys are resident
    const Handle h = handles_.find(key);
    handles_.erase(key);
    return h;
  }
  void remove(Handle h) override {
    store_.del(ids_[h], now_);
    handles_.erase(ids_[h]);
  }

 private:
  static StoreConfig config(const ObjectPolicyParams& p, const std::string& policy) {
    StoreConfig s;
    s.policy = policy;
    s.maxmemory_bytes = 0;  // the replay engine decides when to evict
    s.cluster_mode = false;
    s.maxmemory_samples = p.maxmemory_samples;
    s.sampling = p.sampling;
    return s;
  }

  Store store_;
  std::vector<uint64_t> ids_;  // handle -> key
  FlatMap handles_;            // key -> handle
  Time now_;
};

ObjectPolicyKind redis_kind(const char* name, const char* description) {
  return {name, description, false, true,
          [name = std::string(name)](const ObjectPolicyParams& p) { return std::make_unique<RedisSampled>(p, name); }};
}

const RegisterObjectPolicy lru(redis_kind("allkeys-lru",
                                          "Redis allkeys-lru: sampled LRU with the 16-entry eviction "
                                          "pool (--samples = maxmemory-samples, --sampling)"));
const RegisterObjectPolicy lfu(redis_kind("allkeys-lfu",
                                          "Redis allkeys-lfu: sampled, 8-bit logarithmic counter "
                                          "with decay"));
const RegisterObjectPolicy rnd(redis_kind("allkeys-random", "Redis allkeys-random: a random key (dictGetRandomKey)"));

}  // namespace
}  // namespace cachelab::policies
