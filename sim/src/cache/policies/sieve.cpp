// SIEVE (Zhang et al., NSDI 2024): one FIFO queue, a visited bit per object and a hand that persists between
// evictions. New objects go to the head; a hit sets visited. To evict, the hand walks from where it stopped towards
// the head (wrapping to the tail), clearing visited bits, and evicts the first unvisited object; it then rests on
// that object's newer neighbour. Unlike CLOCK, survivors stay in place (no move to the head).
#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Sieve final : public ObjectPolicy {
 public:
  explicit Sieve(const ObjectPolicyParams& p) {
    links_.reserve(p.expected_objects);
    visited_.reserve(p.expected_objects);
  }
  void on_hit(Handle h, const Access&) override { visited_[h] = 1; }
  void insert(Handle h, const Access&, uint32_t) override {
    links_.ensure(h);
    ensure_index(visited_, h);
    visited_[h] = 0;
    links_.push_head(q_, h);
  }
  Handle evict() override {
    Handle h = hand_ == kNil ? q_.tail : hand_;
    while (visited_[h]) {
      visited_[h] = 0;
      h = links_.prev(h);
      if (h == kNil) h = q_.tail;
    }
    hand_ = links_.prev(h);  // kNil: start again from the tail next time
    links_.unlink(q_, h);
    return h;
  }
  void remove(Handle h) override {
    if (hand_ == h) hand_ = links_.prev(h);
    links_.unlink(q_, h);
  }

 private:
  HLinks links_;
  HList q_;
  std::vector<uint8_t> visited_;
  Handle hand_ = kNil;
};

const RegisterObjectPolicy sieve_registration({"sieve",
                                               "reference: SIEVE, FIFO with visited bits and a lazy, persistent hand",
                                               false, false,
                                               [](const ObjectPolicyParams& p) { return std::make_unique<Sieve>(p); }});

}  // namespace
}  // namespace cachelab::policies
