// Exact reference policies for validation and teaching (not Redis): lru (evict the least recently used key, exactly)
// and fifo (evict the oldest insertion; hits do not reorder). An intrusive doubly-linked list over stable entries.
// Che's approximation (reference/validation.md §1.1) predicts exact LRU, and the product form predicts FIFO (§1.2).
#include "cachelab/cache/eviction_policy.hpp"

namespace cachelab {
namespace {

class ListPolicy final : public EvictionPolicy {
 public:
  explicit ListPolicy(bool move_on_access) : move_on_access_(move_on_access) {}
  void on_insert(Store& s, uint32_t idx, Time) override { push_front(s, idx); }
  void on_access(Store& s, uint32_t idx, Time) override {
    if (!move_on_access_ || head_ == idx) return;
    unlink(s, idx);
    push_front(s, idx);
  }
  void on_remove(Store& s, uint32_t idx) override { unlink(s, idx); }
  uint32_t pick_victim(Store&, Time) override { return tail_; }

 private:
  void push_front(Store& s, uint32_t idx) {
    auto& e = s.entry(idx);
    e.prev = Store::kNone;
    e.next = head_;
    if (head_ != Store::kNone) s.entry(head_).prev = idx;
    head_ = idx;
    if (tail_ == Store::kNone) tail_ = idx;
  }
  void unlink(Store& s, uint32_t idx) {
    auto& e = s.entry(idx);
    if (e.prev != Store::kNone) s.entry(e.prev).next = e.next;
    else head_ = e.next;
    if (e.next != Store::kNone) s.entry(e.next).prev = e.prev;
    else tail_ = e.prev;
    e.prev = e.next = Store::kNone;
  }
  bool move_on_access_;
  uint32_t head_ = Store::kNone, tail_ = Store::kNone;
};

RegisterPolicy r1({"lru", "reference (not Redis): exact LRU",
                   [](const StoreConfig&) { return std::make_unique<ListPolicy>(true); }});
RegisterPolicy r2({"fifo", "reference (not Redis): exact FIFO",
                   [](const StoreConfig&) { return std::make_unique<ListPolicy>(false); }});

}  // namespace
}  // namespace cachelab
