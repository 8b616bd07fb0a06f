// Belady's offline optimum for unit sizes (MIN): evict the resident object whose next request is farthest in the
// future (never again counts as infinitely far). With variable sizes it is the same rule, which is what
// libCacheSim's "Belady" does; it is then no longer optimal in bytes or objects, only a strong reference.
// Next accesses come from the trace (oracleGeneral carries them; the csv/txt readers compute them).
// An indexed binary max-heap over resident objects: O(log n) per insert, hit and eviction, no allocation once the
// heap has reached the cache's population.
#include <vector>

#include "../id_list.hpp"
#include "cachelab/replay/policy.hpp"

namespace cachelab::replay {
namespace {

class Belady final : public ReplayPolicy {
 public:
  explicit Belady(const PolicyContext& c) : trace_(*c.trace), slot_(c.objects, kNil), next_(c.objects, 0) {}

  void on_hit(uint32_t obj, uint64_t req) override {
    next_[obj] = trace_.requests[req].next_access_vtime;
    const uint32_t i = slot_[obj];
    // The next access only moves later, so the key grows: sift up.
    sift_up(i);
  }
  void insert(uint32_t obj, uint64_t req) override {
    next_[obj] = trace_.requests[req].next_access_vtime;
    heap_.push_back(obj);
    slot_[obj] = static_cast<uint32_t>(heap_.size() - 1);
    sift_up(slot_[obj]);
  }
  uint32_t evict() override {
    const uint32_t obj = heap_[0];
    remove(obj);
    return obj;
  }
  void remove(uint32_t obj) override {
    const uint32_t i = slot_[obj];
    const uint32_t last = heap_.back();
    heap_.pop_back();
    slot_[obj] = kNil;
    if (last == obj) return;
    heap_[i] = last;
    slot_[last] = i;
    sift_up(i);
    sift_down(slot_[last]);
  }

 private:
  // Max-heap on next access; ties (objects never requested again) go to the lower object index, which keeps the
  // result independent of the heap's internal order.
  bool above(uint32_t a, uint32_t b) const { return next_[a] != next_[b] ? next_[a] > next_[b] : a < b; }
  void place(uint32_t i, uint32_t obj) {
    heap_[i] = obj;
    slot_[obj] = i;
  }
  void sift_up(uint32_t i) {
    const uint32_t obj = heap_[i];
    while (i > 0) {
      const uint32_t parent = (i - 1) / 2;
      if (!above(obj, heap_[parent])) break;
      place(i, heap_[parent]);
      i = parent;
    }
    place(i, obj);
  }
  void sift_down(uint32_t i) {
    const uint32_t obj = heap_[i];
    const uint32_t n = static_cast<uint32_t>(heap_.size());
    for (;;) {
      uint32_t child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && above(heap_[child + 1], heap_[child])) ++child;
      if (!above(heap_[child], obj)) break;
      place(i, heap_[child]);
      i = child;
    }
    place(i, obj);
  }

  const Trace& trace_;
  std::vector<uint32_t> heap_;
  std::vector<uint32_t> slot_;  // position of each resident object in heap_
  std::vector<int64_t> next_;   // request index of each resident object's next access
};

const RegisterReplayPolicy registered(
    {"belady", "offline optimum (MIN): evict the object requested farthest in the future",
     [](const PolicyContext& c) { return std::make_unique<Belady>(c); }});

}  // namespace
}  // namespace cachelab::replay
