// FIFO (reference, not Redis): evicts in insertion order; hits change nothing. Its IRM hit ratio has an exact
// product form (docs/validation.md §1.2).
#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Fifo final : public QueuePolicy {
 public:
  using QueuePolicy::QueuePolicy;  // a hit leaves the queue as it is
};

const RegisterObjectPolicy fifo_registration({"fifo", "reference (not Redis): first-in first-out, hits do not reorder",
                                              false, false,
                                              [](const ObjectPolicyParams& p) { return std::make_unique<Fifo>(p); }});

}  // namespace
}  // namespace cachelab::policies
