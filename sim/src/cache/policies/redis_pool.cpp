// Redis's sampled policies with the eviction pool (docs/redis-reference.md §7.4, §7.5; evict.c:146
// evictionPoolPopulate, evict.c:540 performEvictions): allkeys-lru, allkeys-lfu, volatile-lru, volatile-lfu,
// volatile-ttl. Each refill samples maxmemory-samples keys and merges them into a 16-entry pool, sorted by score
// (best victim on the right), that persists across calls. The sample is Store::sample's: uniform by default, or
// Redis's dictGetSomeKeys walk over consecutive hash buckets with StoreConfig::sampling "buckets" (the walk may
// return a key twice or fewer keys than asked, and the pool takes them as they come, as evict.c does). Measured in
// tests/unit/sampling_hit_ratio_test.cpp (Zipf 0.8/0.99, 10% cache, samples 5/10): the walk's hit ratio is lower by
// 0.0001-0.0018, consistently (paired over seeds) but an order below the live validation's 0.01 tolerance, so
// uniform stays the default.
#include <cstring>

#include "cachelab/cache/eviction_policy.hpp"
#include "redis_object_clock.hpp"

namespace cachelab {
namespace {

enum class Score { Lru, Lfu, Ttl };
constexpr int kPoolSize = 16;  // EVPOOL_SIZE, evict.c:54

class RedisPoolPolicy final : public EvictionPolicy {
 public:
  RedisPoolPolicy(const StoreConfig& cfg, Score score, bool allkeys) : cfg_(cfg), score_(score), allkeys_(allkeys) {}

  void on_insert(Store& s, uint32_t idx, Time now) override {
    // createObject sets lru to LRU_CLOCK() or, under an LFU policy, to (minutes << 8) | LFU_INIT_VAL.
    s.entry(idx).meta = lfu() ? redis_clock::lfu_pack(redis_clock::kLfuInitVal, now) : redis_clock::lru_clock(now);
  }
  void on_access(Store& s, uint32_t idx, Time now) override {
    auto& e = s.entry(idx);
    if (lfu()) {  // updateLFU (db.c:54): decay, then a logarithmic increment, and the decay clock restarts
      uint32_t c = redis_clock::lfu_decr_and_return(e.meta, now, cfg_.lfu_decay_time_min);
      c = redis_clock::lfu_log_incr(c, cfg_.lfu_log_factor, s.rng());
      e.meta = redis_clock::lfu_pack(c, now);
    } else {
      e.meta = redis_clock::lru_clock(now);
    }
  }
  void on_remove(Store&, uint32_t) override {}

  uint32_t pick_victim(Store& s, Time now) override {
    for (;;) {
      const size_t n = allkeys_ ? s.keys() : s.volatile_keys();
      if (n == 0) return Store::kNone;  // volatile-* without volatile keys: like noeviction
      populate(s, now);
      for (int k = kPoolSize - 1; k >= 0; --k) {
        if (!pool_[k].used) continue;
        const uint64_t key = pool_[k].key;
        pool_[k].used = false;
        const uint32_t idx = s.find(key);
        // A pool entry may be a ghost: deleted, or (volatile-*) no longer carrying a TTL since it was sampled.
        if (idx != Store::kNone && (allkeys_ || s.entry(idx).vol_pos != Store::kNone)) {
          // A hint (no behaviour): the next best candidate is often the next victim; its index lookup was the
          // largest stall of an eviction.
          for (int j = k - 1; j >= 0; --j)
            if (pool_[j].used) {
              s.prefetch(pool_[j].key);
              break;
            }
          return idx;
        }
      }
    }
  }

 private:
  struct PoolEntry {
    uint64_t score = 0;
    uint64_t key = 0;
    bool used = false;
  };
  bool lfu() const { return score_ == Score::Lfu; }

  uint64_t score_of(Store& s, uint32_t idx, Time now) const {
    const auto& e = s.entry(idx);
    switch (score_) {
      case Score::Lru:
        return redis_clock::idle_ms(e.meta, now);
      case Score::Lfu:
        return 255 - redis_clock::lfu_decr_and_return(e.meta, now, cfg_.lfu_decay_time_min);
      case Score::Ttl:
        return UINT64_MAX - static_cast<uint64_t>(e.expire_at_ms);
    }
    return 0;
  }

  void populate(Store& s, Time now) {
    sampled_.clear();
    s.sample(!allkeys_, static_cast<size_t>(cfg_.maxmemory_samples), sampled_);
    for (uint32_t idx : sampled_) {
      const uint64_t score = score_of(s, idx, now);
      int k = 0;
      while (k < kPoolSize && pool_[k].used && pool_[k].score < score) ++k;
      if (k == 0 && pool_[kPoolSize - 1].used) continue;  // worse than everything in a full pool
      if (k < kPoolSize && !pool_[k].used) {
        // an empty slot: take it
      } else if (!pool_[kPoolSize - 1].used) {
        std::memmove(&pool_[k + 1], &pool_[k], sizeof(PoolEntry) * (kPoolSize - k - 1));  // shift right
      } else {
        --k;  // full: drop the worst (leftmost) and shift left
        std::memmove(&pool_[0], &pool_[1], sizeof(PoolEntry) * k);
      }
      pool_[k] = PoolEntry{score, s.entry(idx).key, true};
    }
  }

  StoreConfig cfg_;
  Score score_;
  bool allkeys_;
  PoolEntry pool_[kPoolSize];
  std::vector<uint32_t> sampled_;
};

RegisterPolicy redis_pool_registration_1(
    {"allkeys-lru", "Redis: evict the least recently used of sampled keys (eviction pool)",
     [](const StoreConfig& c) { return std::make_unique<RedisPoolPolicy>(c, Score::Lru, true); }});
RegisterPolicy redis_pool_registration_2(
    {"allkeys-lfu", "Redis: evict the least frequently used (8-bit log counter) of sampled keys",
     [](const StoreConfig& c) { return std::make_unique<RedisPoolPolicy>(c, Score::Lfu, true); }});
RegisterPolicy redis_pool_registration_3({"volatile-lru", "Redis: like allkeys-lru among keys with a TTL",
                                          [](const StoreConfig& c) {
                                            return std::make_unique<RedisPoolPolicy>(c, Score::Lru, false);
                                          }});
RegisterPolicy r4({"volatile-lfu", "Redis: like allkeys-lfu among keys with a TTL",
                   [](const StoreConfig& c) { return std::make_unique<RedisPoolPolicy>(c, Score::Lfu, false); }});
RegisterPolicy r5({"volatile-ttl", "Redis: evict the sampled key with a TTL that expires soonest",
                   [](const StoreConfig& c) { return std::make_unique<RedisPoolPolicy>(c, Score::Ttl, false); }});

}  // namespace
}  // namespace cachelab
