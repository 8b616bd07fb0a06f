// CLOCK as FIFO with reinsertion (libCacheSim's Clock with its default 1-bit counter): a hit sets the object's
// reference bit; the hand (the queue's tail) clears a set bit and moves the object to the head, and evicts the
// first object whose bit is clear. Equivalent to the circular-buffer CLOCK with new objects behind the hand.
#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Clock final : public ReplayPolicy {
 public:
  explicit Clock(const PolicyContext& c) : links_(c.objects), referenced_(c.objects, 0) {}
  void on_hit(uint32_t obj, uint64_t) override { referenced_[obj] = 1; }
  void insert(uint32_t obj, uint64_t) override {
    referenced_[obj] = 0;
    links_.push_head(q_, obj);
  }
  uint32_t evict() override {
    // Terminates: every object moved to the head has its bit cleared, so one lap at most.
    for (;;) {
      const uint32_t obj = links_.pop_tail(q_);
      if (!referenced_[obj]) return obj;
      referenced_[obj] = 0;
      links_.push_head(q_, obj);
    }
  }
  void remove(uint32_t obj) override { links_.unlink(q_, obj); }

 private:
  IdLinks links_;
  IdList q_;
  std::vector<uint8_t> referenced_;
};

const RegisterReplayPolicy registered({"clock", "CLOCK / FIFO-reinsertion with one reference bit",
                                       [](const PolicyContext& c) { return std::make_unique<Clock>(c); }});

}  // namespace
}  // namespace cachelab::replay
