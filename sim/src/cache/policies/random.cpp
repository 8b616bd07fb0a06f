// RANDOM (reference, not Redis): the victim is uniform over the resident objects, from our Rng seeded per run (so
// a replay is reproducible; it will not match libCacheSim's draws, only their distribution). Its IRM hit ratio has
// an exact product form (docs/validation.md §1.2). Redis's allkeys-random is another policy (redis_random.cpp).
#include "cachelab/cache/object_policy.hpp"
#include "cachelab/core/rng.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Random final : public ObjectPolicy {
 public:
  explicit Random(const ObjectPolicyParams& p) : rng_(derive_seed(p.seed, "policy/random")) {
    pos_.reserve(p.expected_objects);
    resident_.reserve(p.expected_objects);
  }
  void on_hit(Handle, const Access&) override {}
  void insert(Handle h, const Access&, uint32_t) override {
    ensure_index(pos_, h);
    pos_[h] = static_cast<uint32_t>(resident_.size());
    resident_.push_back(h);
  }
  Handle evict() override {
    const Handle h = resident_[rng_.below(resident_.size())];
    remove(h);
    return h;
  }
  void remove(Handle h) override {
    // Swap with the last so removal is O(1).
    const Handle last = resident_.back();
    resident_[pos_[h]] = last;
    pos_[last] = pos_[h];
    resident_.pop_back();
  }

 private:
  Rng rng_;
  std::vector<uint32_t> pos_;  // index of each resident handle in resident_
  std::vector<Handle> resident_;
};

const RegisterObjectPolicy random_registration(
    {"random", "reference (not Redis): uniformly random victim (seeded per run)", false, false,
     [](const ObjectPolicyParams& p) { return std::make_unique<Random>(p); }});

}  // namespace
}  // namespace cachelab::policies
