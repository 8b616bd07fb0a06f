// Redis's allkeys-random and volatile-random (evict.c:540, dictGetRandomKey), and noeviction.
// These keep Redis's object clock up to date like every Redis policy, though they never read it.
#include "cachelab/cache/eviction_policy.hpp"
#include "redis_object_clock.hpp"

namespace cachelab {
namespace {

class RedisRandomPolicy final : public EvictionPolicy {
 public:
  RedisRandomPolicy(bool allkeys, bool evicts) : allkeys_(allkeys), evicts_(evicts) {}
  void on_insert(Store& s, uint32_t idx, Time now) override { s.entry(idx).meta = redis_clock::lru_clock(now); }
  void on_access(Store& s, uint32_t idx, Time now) override { s.entry(idx).meta = redis_clock::lru_clock(now); }
  void on_remove(Store&, uint32_t) override {}
  // evict.c: dictGetRandomKey on the dict (allkeys) or the expires dict (volatile): Store::random_entry, uniform or,
  // with sampling "buckets", Redis's random bucket then random chain entry.
  uint32_t pick_victim(Store& s, Time) override {
    if (!evicts_) return Store::kNone;
    return s.random_entry(!allkeys_);
  }

 private:
  bool allkeys_, evicts_;
};

RegisterPolicy redis_random_registration_1({"allkeys-random", "Redis: evict a random key", [](const StoreConfig&) {
                                              return std::make_unique<RedisRandomPolicy>(true, true);
                                            }});
RegisterPolicy redis_random_registration_2({"volatile-random", "Redis: evict a random key among keys with a TTL",
                                            [](const StoreConfig&) {
                                              return std::make_unique<RedisRandomPolicy>(false, true);
                                            }});
RegisterPolicy redis_random_registration_3(
    {"noeviction", "Redis: never evict; commands that need memory get OOM (the Redis default)",
     [](const StoreConfig&) { return std::make_unique<RedisRandomPolicy>(true, false); }});

}  // namespace
}  // namespace cachelab
