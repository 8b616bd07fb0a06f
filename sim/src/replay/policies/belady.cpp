// Belady's offline optimum for unit sizes (MIN): evict the resident object whose next request is farthest in the
// future (never again counts as infinitely far). With variable sizes it is the same rule, which is what
// libCacheSim's "Belady" does; it is then no longer optimal in bytes or objects, only a strong reference.
// Next accesses come from the trace (oracleGeneral carries them; the csv/txt readers compute them), through
// ObjectPolicyParams::future: replay only (a scenario naming it is refused).
// An indexed binary max-heap over resident handles: O(log n) per insert, hit and eviction, no allocation once the
// heap has reached the cache's population.
#include <stdexcept>
#include <vector>

#include "../../cache/policies/handle_lists.hpp"
#include "cachelab/cache/object_policy.hpp"

namespace cachelab::policies {
namespace {

class Belady final : public ObjectPolicy {
 public:
  explicit Belady(const ObjectPolicyParams& p) : future_(*p.future) {
    heap_.reserve(p.expected_objects);
    obj_.reserve(p.expected_objects);
  }

  void on_hit(Handle h, const Access& a) override {
    obj_[h].next = future_.next_access(a.seq);
    // The next access only moves later, so the key grows: sift up.
    sift_up(obj_[h].slot);
  }
  void insert(Handle h, const Access& a, uint32_t) override {
    ensure_index(obj_, h);
    obj_[h] = Obj{future_.next_access(a.seq), a.id, static_cast<uint32_t>(heap_.size())};
    heap_.push_back(h);
    sift_up(obj_[h].slot);
  }
  Handle evict() override {
    const Handle h = heap_[0];
    remove(h);
    return h;
  }
  void remove(Handle h) override {
    const uint32_t i = obj_[h].slot;
    const Handle last = heap_.back();
    heap_.pop_back();
    if (last == h) return;
    place(i, last);
    sift_up(i);
    sift_down(obj_[last].slot);
  }

 private:
  struct Obj {
    int64_t next;   // request number of the object's next access
    uint64_t id;    // ties are broken by object id, not by handle, so results do not depend on handle reuse
    uint32_t slot;  // position in heap_
  };
  // Max-heap on next access; ties (objects never requested again) go to the lower object id.
  bool above(Handle a, Handle b) const {
    return obj_[a].next != obj_[b].next ? obj_[a].next > obj_[b].next : obj_[a].id < obj_[b].id;
  }
  void place(uint32_t i, Handle h) {
    heap_[i] = h;
    obj_[h].slot = i;
  }
  void sift_up(uint32_t i) {
    const Handle h = heap_[i];
    while (i > 0) {
      const uint32_t parent = (i - 1) / 2;
      if (!above(h, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, h);
  }
  void sift_down(uint32_t i) {
    const Handle h = heap_[i];
    const uint32_t n = static_cast<uint32_t>(heap_.size());
    for (;;) {
      uint32_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && above(heap_[child + 1], heap_[child])) ++child;
      if (!above(heap_[child], h)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, h);
  }

  const FutureOracle& future_;
  std::vector<Handle> heap_;
  std::vector<Obj> obj_;
};

const RegisterObjectPolicy belady_registration(
    {"belady", "offline optimum (MIN): evict the object requested farthest in the future (replay only)", true, false,
     [](const ObjectPolicyParams& p) -> std::unique_ptr<ObjectPolicy> {
       if (!p.future) throw std::invalid_argument("belady needs the future (a trace)");
       return std::make_unique<Belady>(p);
     }});

}  // namespace
}  // namespace cachelab::policies
