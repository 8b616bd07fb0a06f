// RANDOM: the victim is uniform over the resident objects, drawn from our Rng (seeded per run, so a replay is
// reproducible; it will not match libCacheSim's draws, only their distribution).
#include "cachelab/core/rng.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Random final : public ReplayPolicy {
 public:
  explicit Random(const PolicyContext& c) : rng_(derive_seed(c.seed, "replay/random")), pos_(c.objects, 0) {}
  void on_hit(uint32_t, uint64_t) override {}
  void insert(uint32_t obj, uint64_t) override {
    pos_[obj] = static_cast<uint32_t>(resident_.size());
    resident_.push_back(obj);  // amortized: the vector stops growing once the cache is full
  }
  uint32_t evict() override {
    const uint32_t obj = resident_[rng_.below(resident_.size())];
    remove(obj);
    return obj;
  }
  void remove(uint32_t obj) override {
    // Swap with the last so removal is O(1).
    const uint32_t last = resident_.back();
    resident_[pos_[obj]] = last;
    pos_[last] = pos_[obj];
    resident_.pop_back();
  }

 private:
  Rng rng_;
  std::vector<uint32_t> pos_;       // index of each resident object in resident_
  std::vector<uint32_t> resident_;
};

const RegisterReplayPolicy registered({"random", "uniformly random victim (seeded from the run's seed)",
                                       [](const PolicyContext& c) { return std::make_unique<Random>(c); }});

}  // namespace
}  // namespace cachelab::replay
