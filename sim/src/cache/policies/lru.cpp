// Exact LRU (reference, not Redis): a hit moves the object to the head; the victim is the tail (least recently
// used). Che's approximation predicts its IRM hit ratio (docs/validation.md §1.1). 8 bytes per cached object.
#include "cachelab/cache/object_policy.hpp"
#include "handle_lists.hpp"

namespace cachelab::policies {
namespace {

class Lru final : public QueuePolicy {
 public:
  using QueuePolicy::QueuePolicy;
  void on_hit(Handle h, const Access&) override { links_.move_to_head(q_, h); }
};

const RegisterObjectPolicy lru_registration({"lru", "reference (not Redis): exact least-recently-used", false, false,
                                             [](const ObjectPolicyParams& p) { return std::make_unique<Lru>(p); }});

}  // namespace
}  // namespace cachelab::policies
