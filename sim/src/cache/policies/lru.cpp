// Exact LRU (reference, not Redis): a hit moves the object to the head; the victim is the tail (least recently
// used). Che's approximation predicts its IRM hit ratio (reference/validation.md §1.1). 8 bytes per cached object.
#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Lru final : public ObjectPolicy {
 public:
  explicit Lru(const ObjectPolicyParams& p) { links_.reserve(p.expected_objects); }
  void on_hit(Handle h, const Access&) override { links_.move_to_head(q_, h); }
  void insert(Handle h, const Access&, uint32_t) override {
    links_.ensure(h);
    links_.push_head(q_, h);
  }
  Handle evict() override { return links_.pop_tail(q_); }
  void remove(Handle h) override { links_.unlink(q_, h); }
  // The tail: what the next eviction takes unless it is hit first.
  Handle victim_hint() const override { return q_.empty() ? kNoHandle : q_.tail; }

 private:
  HLinks links_;
  HList q_;
};

const RegisterObjectPolicy registered({"lru", "reference (not Redis): exact least-recently-used", false, false,
                                       [](const ObjectPolicyParams& p) { return std::make_unique<Lru>(p); }});

}  // namespace
}  // namespace cachelab::policies
