// CLOCK as FIFO with reinsertion (libCacheSim's Clock with its default 1-bit counter): a hit sets the object's
// reference bit; the hand (the queue's tail) clears a set bit and moves the object to the head, and evicts the
// first object whose bit is clear. Equivalent to the circular-buffer CLOCK with new objects behind the hand.
#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Clock final : public ObjectPolicy {
 public:
  explicit Clock(const ObjectPolicyParams& p) {
    links_.reserve(p.expected_objects);
    referenced_.reserve(p.expected_objects);
  }
  void on_hit(Handle h, const Access&) override { referenced_[h] = 1; }
  void insert(Handle h, const Access&, uint32_t) override {
    links_.ensure(h);
    ensure_index(referenced_, h);
    referenced_[h] = 0;
    links_.push_head(q_, h);
  }
  Handle evict() override {
    // Terminates: every object moved to the head has its bit cleared, so one lap at most.
    for (;;) {
      const Handle h = links_.pop_tail(q_);
      if (!referenced_[h]) return h;
      referenced_[h] = 0;
      links_.push_head(q_, h);
    }
  }
  void remove(Handle h) override { links_.unlink(q_, h); }

 private:
  HLinks links_;
  HList q_;
  std::vector<uint8_t> referenced_;
};

const RegisterObjectPolicy clock_registration({"clock", "reference: CLOCK / FIFO-reinsertion with one reference bit",
                                               false, false,
                                               [](const ObjectPolicyParams& p) { return std::make_unique<Clock>(p); }});

}  // namespace
}  // namespace cachelab::policies
