#pragma once
// Doubly-linked lists threaded through per-object arrays (private to sim/src/replay). One IdLinks holds a
// (prev, next) pair per dense object index, so an object is in at most one of the lists sharing it; pushing,
// unlinking and moving never allocate, which keeps the per-request work O(1) and allocation-free.
// Orientation: head = most recently pushed, tail = oldest (the eviction end of FIFO/LRU queues).
#include <cstdint>
#include <vector>

namespace cachelab::replay {

constexpr uint32_t kNil = UINT32_MAX;

struct IdList {
  uint32_t head = kNil, tail = kNil;
  uint64_t count = 0;
  uint64_t bytes = 0;  // maintained by callers that need byte totals (S3-FIFO, ARC)
  bool empty() const { return head == kNil; }
};

class IdLinks {
 public:
  explicit IdLinks(uint32_t objects) : prev_(objects, kNil), next_(objects, kNil) {}
  uint32_t prev(uint32_t id) const { return prev_[id]; }  // towards the head (newer)
  uint32_t next(uint32_t id) const { return next_[id]; }  // towards the tail (older)

  void push_head(IdList& l, uint32_t id) {
    prev_[id] = kNil;
    next_[id] = l.head;
    if (l.head != kNil) prev_[l.head] = id;
    else l.tail = id;
    l.head = id;
    ++l.count;
  }
  void unlink(IdList& l, uint32_t id) {
    const uint32_t p = prev_[id], n = next_[id];
    if (p != kNil) next_[p] = n;
    else l.head = n;
    if (n != kNil) prev_[n] = p;
    else l.tail = p;
    prev_[id] = next_[id] = kNil;
    --l.count;
  }
  uint32_t pop_tail(IdList& l) {
    const uint32_t id = l.tail;
    unlink(l, id);
    return id;
  }
  void move_to_head(IdList& l, uint32_t id) {
    if (l.head == id) return;
    unlink(l, id);
    push_head(l, id);
  }

 private:
  std::vector<uint32_t> prev_, next_;
};

}  // namespace cachelab::replay
