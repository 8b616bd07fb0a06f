// Reference RANDOM (not Redis): evict a key chosen uniformly. Its IRM hit ratio has an exact product form
// (reference/validation.md §1.2).
#include "cachelab/cache/eviction_policy.hpp"

namespace cachelab {
namespace {

class RandomPolicy final : public EvictionPolicy {
 public:
  void on_insert(Store&, uint32_t, Time) override {}
  void on_access(Store&, uint32_t, Time) override {}
  void on_remove(Store&, uint32_t) override {}
  uint32_t pick_victim(Store& s, Time) override {
    if (s.keys() == 0) return Store::kNone;
    return s.live_at(s.rng().below(s.keys()));
  }
};

RegisterPolicy r({"random", "reference (not Redis): uniform random eviction",
                  [](const StoreConfig&) { return std::make_unique<RandomPolicy>(); }});

}  // namespace
}  // namespace cachelab
