// The ObjectPolicy catalogue, and the adapter that runs an ObjectPolicy as a node's EvictionPolicy: the Store's
// entry index is the handle, a key's used_memory share (mem_bytes) its size, and the Store makes room before it
// inserts a new key (Store::set -> make_room_for), so the policy sees replay's call order.
#include "cachelab/cache/object_policy.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>

#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"

namespace cachelab {

namespace {

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The bytes the keys themselves may take under `budget` (maxmemory minus the node's fixed memory) when every key
// costs `per_key` and the main dict's bucket array (8 B x a power of two >= keys, memory::dict_table_bytes) comes
// out of the same budget: n * per_key for the largest n that fits. An estimate (keys differ in size), made from
// the first key a node stores; what S3-FIFO and ARC size their queues with.
uint64_t key_bytes_budget(uint64_t budget, uint64_t per_key) {
  if (per_key == 0) return budget;
  uint64_t best = 0;
  for (uint64_t t = 4; 8 * t <= budget; t *= 2) best = std::max(best, std::min(t, (budget - 8 * t) / per_key));
  return best * per_key;
}

class ObjectPolicyAdapter final : public EvictionPolicy {
 public:
  ObjectPolicyAdapter(std::function<std::unique_ptr<ObjectPolicy>(const ObjectPolicyParams&)> make,
                      const StoreConfig& cfg)
      : make_(std::move(make)), cfg_(cfg) {}

  bool makes_room_before_insert() const override { return true; }
  void before_insert(Store& s, uint64_t key, uint32_t bytes, Time now) override {
    policy(s, bytes).on_miss(Access{key, seq_, now}, bytes);
  }
  void on_insert(Store& s, uint32_t idx, Time now) override {
    const Store::Entry& e = s.entry(idx);
    policy(s, e.mem_bytes).insert(idx, Access{e.key, seq_++, now}, e.mem_bytes);
  }
  void on_access(Store& s, uint32_t idx, Time now) override { p_->on_hit(idx, Access{s.entry(idx).key, seq_++, now}); }
  void on_remove(Store&, uint32_t idx) override {
    if (idx == evicting_) {  // the victim pick_victim just returned: the policy has forgotten it already
      evicting_ = Store::kNone;
      return;
    }
    p_->remove(idx);
  }
  uint32_t pick_victim(Store&, Time) override {
    if (!p_) return Store::kNone;
    evicting_ = p_->evict();
    return evicting_;
  }

 private:
  // Made at the first key, whose size gives the capacity estimate; seeded by the node's eviction stream.
  ObjectPolicy& policy(Store& s, uint32_t first_key_bytes) {
    if (p_) return *p_;
    const uint64_t fixed = memory::fixed_bytes(cfg_);
    ObjectPolicyParams p;
    p.capacity = cfg_.maxmemory_bytes > fixed ? key_bytes_budget(cfg_.maxmemory_bytes - fixed, first_key_bytes) : 0;
    p.expected_objects = first_key_bytes ? std::min<uint64_t>(p.capacity / first_key_bytes, 1u << 24) : 0;
    p.seed = s.rng().next_u64();
    p_ = make_(p);
    return *p_;
  }

  std::function<std::unique_ptr<ObjectPolicy>(const ObjectPolicyParams&)> make_;
  StoreConfig cfg_;
  std::unique_ptr<ObjectPolicy> p_;
  uint64_t seq_ = 0;
  uint32_t evicting_ = Store::kNone;
};

}  // namespace

ObjectPolicyRegistry& ObjectPolicyRegistry::instance() {
  static ObjectPolicyRegistry r;  // filled by static initializers of the policy files, read-only afterwards
  return r;
}

void ObjectPolicyRegistry::add(ObjectPolicyKind k) {
  k.name = lower(k.name);
  kinds_.push_back(std::move(k));
  // Sorted so listings do not depend on static-initialization order across files.
  std::sort(kinds_.begin(), kinds_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const ObjectPolicyKind* ObjectPolicyRegistry::find(const std::string& name) const {
  const std::string n = lower(name);
  for (const auto& k : kinds_)
    if (k.name == n) return &k;
  return nullptr;
}

std::vector<std::string> ObjectPolicyRegistry::names() const {
  std::vector<std::string> out;
  for (const auto& k : kinds_) out.push_back(k.name);
  return out;
}

RegisterObjectPolicy::RegisterObjectPolicy(ObjectPolicyKind k) {
  ObjectPolicyRegistry::instance().add(k);
  if (k.replay_only) return;
  PolicyKind pk;
  pk.name = lower(k.name);
  pk.description = k.description;
  if (k.needs_future) {
    pk.refusal = pk.name +
                 " is offline: it needs each request's next use (the future), which only a trace gives; "
                 "use it with `cachelab replay --policy " +
                 pk.name + "`";
    pk.make = [r = pk.refusal](const StoreConfig&) -> std::unique_ptr<EvictionPolicy> {
      throw std::invalid_argument(r);
    };
  } else {
    pk.make = [make = k.make](const StoreConfig& c) { return std::make_unique<ObjectPolicyAdapter>(make, c); };
  }
  PolicyRegistry::instance().add(std::move(pk));
}

}  // namespace cachelab
