// SIEVE (Zhang et al., NSDI 2024): one FIFO queue, a visited bit per object and a hand that persists between
// evictions. New objects go to the head; a hit sets visited. To evict, the hand walks from where it stopped towards
// the head (wrapping to the tail), clearing visited bits, and evicts the first unvisited object; it then rests on
// that object's newer neighbour. Unlike CLOCK, survivors stay in place (no move to the head).
#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Sieve final : public ReplayPolicy {
 public:
  explicit Sieve(const PolicyContext& c) : links_(c.objects), visited_(c.objects, 0) {}
  void on_hit(uint32_t obj, uint64_t) override { visited_[obj] = 1; }
  void insert(uint32_t obj, uint64_t) override {
    visited_[obj] = 0;
    links_.push_head(q_, obj);
  }
  uint32_t evict() override {
    uint32_t h = hand_ == kNil ? q_.tail : hand_;
    while (visited_[h]) {
      visited_[h] = 0;
      h = links_.prev(h);
      if (h == kNil) h = q_.tail;
    }
    hand_ = links_.prev(h);  // kNil: start again from the tail next time
    links_.unlink(q_, h);
    return h;
  }
  void remove(uint32_t obj) override {
    if (hand_ == obj) hand_ = links_.prev(obj);
    links_.unlink(q_, obj);
  }

 private:
  IdLinks links_;
  IdList q_;
  std::vector<uint8_t> visited_;
  uint32_t hand_ = kNil;
};

const RegisterReplayPolicy registered({"sieve", "SIEVE: FIFO with visited bits and a lazy, persistent hand",
                                       [](const PolicyContext& c) { return std::make_unique<Sieve>(c); }});

}  // namespace
}  // namespace cachelab::replay
