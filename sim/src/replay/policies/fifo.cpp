// FIFO: evicts in insertion order; hits change nothing.
#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Fifo final : public ReplayPolicy {
 public:
  explicit Fifo(const PolicyContext& c) : links_(c.objects) {}
  void on_hit(uint32_t, uint64_t) override {}
  void insert(uint32_t obj, uint64_t) override { links_.push_head(q_, obj); }
  uint32_t evict() override { return links_.pop_tail(q_); }
  void remove(uint32_t obj) override { links_.unlink(q_, obj); }

 private:
  IdLinks links_;
  IdList q_;
};

const RegisterReplayPolicy registered({"fifo", "first-in first-out (hits do not reorder)",
                                       [](const PolicyContext& c) { return std::make_unique<Fifo>(c); }});

}  // namespace
}  // namespace cachelab::replay
