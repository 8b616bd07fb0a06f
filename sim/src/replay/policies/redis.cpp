// Redis's own eviction in trace replay: allkeys-lru, allkeys-lfu and allkeys-random run the very EvictionPolicy
// implementations the cluster simulation uses (sim/src/cache/policies: the 16-entry pool, maxmemory-samples, the
// 24-bit LRU clock at 1 s resolution, the LFU log counter; ref. redis-cluster.md §7.4-§7.7), on a Store used as
// the policy's keyspace. The replay engine keeps libCacheSim's byte accounting and asks for one victim at a time.
// Time is the trace's (whole seconds), so idle times have Redis's 1 s granularity; a trace without timestamps
// (txt) runs at one request per millisecond.
#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/cache/store.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class RedisSampled final : public ReplayPolicy {
 public:
  RedisSampled(const PolicyContext& c, const std::string& policy)
      : store_(config(c, policy), Rng(c.seed)), trace_(c.trace), stored_size_(c.stored_size) {}

  void on_hit(uint32_t obj, uint64_t req) override {
    now_ = at(req);
    store_.get(obj, now_, nullptr);
  }
  void insert(uint32_t obj, uint64_t req) override {
    now_ = at(req);
    store_.set(obj, 0, stored_size_[obj], Store::kNoExpiry, now_);
  }
  uint32_t evict() override {
    uint64_t key = 0;
    store_.evict_one(now_, &key);  // allkeys-*: always finds a victim while keys are resident
    return static_cast<uint32_t>(key);
  }
  void remove(uint32_t obj) override { store_.del(obj, now_); }

 private:
  static StoreConfig config(const PolicyContext& c, const std::string& policy) {
    StoreConfig s;
    s.policy = policy;
    s.maxmemory_bytes = 0;  // the replay engine decides when to evict
    s.cluster_mode = false;
    s.maxmemory_samples = c.maxmemory_samples;
    s.sampling = c.sampling;
    return s;
  }
  Time at(uint64_t req) const {
    if (!trace_ || !trace_->has_time) return Time::ms(static_cast<int64_t>(req));
    return Time::s(trace_->requests[req].time_s);
  }

  Store store_;
  const Trace* trace_;
  const uint32_t* stored_size_;
  Time now_;
};

const RegisterReplayPolicy lru({"allkeys-lru", "Redis allkeys-lru: sampled LRU with the 16-entry eviction pool "
                                               "(--samples = maxmemory-samples)",
                                [](const PolicyContext& c) { return std::make_unique<RedisSampled>(c, "allkeys-lru"); }});
const RegisterReplayPolicy lfu({"allkeys-lfu", "Redis allkeys-lfu: sampled, 8-bit logarithmic counter with decay",
                                [](const PolicyContext& c) { return std::make_unique<RedisSampled>(c, "allkeys-lfu"); }});
const RegisterReplayPolicy rnd({"allkeys-random", "Redis allkeys-random: a random key (dictGetRandomKey)",
                                [](const PolicyContext& c) {
                                  return std::make_unique<RedisSampled>(c, "allkeys-random");
                                }});

}  // namespace
}  // namespace cachelab::replay
