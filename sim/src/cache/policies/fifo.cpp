// FIFO (reference, not Redis): evicts in insertion order; hits change nothing. Its IRM hit ratio has an exact
// product form (reference/validation.md §1.2).
#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Fifo final : public ObjectPolicy {
 public:
  explicit Fifo(const ObjectPolicyParams& p) { links_.reserve(p.expected_objects); }
  void on_hit(Handle, const Access&) override {}
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

const RegisterObjectPolicy registered({"fifo", "reference (not Redis): first-in first-out, hits do not reorder",
                                       false, false,
                                       [](const ObjectPolicyParams& p) { return std::make_unique<Fifo>(p); }});

}  // namespace
}  // namespace cachelab::policies
