// Exact LRU: a hit moves the object to the head; the victim is the tail (least recently used).
#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Lru final : public ReplayPolicy {
 public:
  explicit Lru(const PolicyContext& c) : links_(c.objects) {}
  void on_hit(uint32_t obj, uint64_t) override { links_.move_to_head(q_, obj); }
  void insert(uint32_t obj, uint64_t) override { links_.push_head(q_, obj); }
  uint32_t evict() override { return links_.pop_tail(q_); }
  void remove(uint32_t obj) override { links_.unlink(q_, obj); }

 private:
  IdLinks links_;
  IdList q_;
};

const RegisterReplayPolicy registered({"lru", "exact least-recently-used (a hit moves the object to the head)",
                                       [](const PolicyContext& c) { return std::make_unique<Lru>(c); }});

}  // namespace
}  // namespace cachelab::replay
