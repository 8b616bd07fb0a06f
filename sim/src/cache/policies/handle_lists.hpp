#pragma once
// Building blocks of the ObjectPolicies (private to sim/src): doubly-linked lists threaded through per-handle
// arrays, and ghost queues of departed ids. Pushing, unlinking and moving never allocate once the arrays have
// reached the cache's population, so the per-request work is O(1) and allocation-free.
// Orientation: head = most recently pushed, tail = oldest (the eviction end of FIFO/LRU queues).
#include <cstdint>
#include <vector>

#include "cachelab/cache/flat_map.hpp"
#include "cachelab/cache/object_policy.hpp"

namespace cachelab::policies {

constexpr uint32_t kNil = UINT32_MAX;

// Grows a per-handle array so that index h exists (geometrically: std::vector::resize doubles its capacity).
template <class T>
inline void ensure_index(std::vector<T>& v, Handle h, const T& fill = T{}) {
  if (h >= v.size()) v.resize(static_cast<size_t>(h) + 1, fill);
}

struct HList {
  uint32_t head = kNil, tail = kNil;
  uint64_t count = 0;
  uint64_t bytes = 0;  // maintained by callers that need byte totals (S3-FIFO, ARC)
  bool empty() const { return head == kNil; }
};

// (prev, next) per handle, so a handle is in at most one of the lists sharing one HLinks. 8 bytes per handle.
class HLinks {
 public:
  void reserve(uint64_t n) { links_.reserve(n); }
  // Makes room for a new resident handle.
  void ensure(Handle h) { ensure_index(links_, h, Link{kNil, kNil}); }
  uint32_t prev(Handle h) const { return links_[h].prev; }  // towards the head (newer)
  uint32_t next(Handle h) const { return links_[h].next; }  // towards the tail (older)

  // REQUIRES: ensure(h) was called for h.
  void push_head(HList& l, Handle h) {
    links_[h] = Link{kNil, l.head};
    if (l.head != kNil)
      links_[l.head].prev = h;
    else
      l.tail = h;
    l.head = h;
    ++l.count;
  }
  void unlink(HList& l, Handle h) {
    const Link k = links_[h];
    if (k.prev != kNil)
      links_[k.prev].next = k.next;
    else
      l.head = k.next;
    if (k.next != kNil)
      links_[k.next].prev = k.prev;
    else
      l.tail = k.prev;
    --l.count;
  }
  Handle pop_tail(HList& l) {
    const Handle h = l.tail;
    unlink(l, h);
    return h;
  }
  void move_to_head(HList& l, Handle h) {
    if (l.head == h) return;
    unlink(l, h);
    push_head(l, h);
  }

 private:
  struct Link {
    uint32_t prev, next;  // one 8-byte record: a move touches one cache line per neighbour
  };
  std::vector<Link> links_;
};

// FIFO queues of ids that are no longer resident, with the size each had (ARC's B1 and B2, S3-FIFO's ghost).
// An id is in at most one queue; `where` finds it in O(1). Nodes are recycled, so memory follows the ghosts held.
class GhostQueues {
 public:
  struct Queue {
    uint32_t head = kNil, tail = kNil;
    uint64_t count = 0, bytes = 0;
    uint8_t tag = 0;  // non-zero: what `where` answers for ids in this queue
    bool empty() const { return head == kNil; }
  };

  // The tag of the queue remembering `id`, 0 if none.
  uint8_t where(uint64_t id) const {
    const uint32_t n = index_.find(id);
    return n == FlatMap::kNone ? 0 : nodes_[n].tag;
  }
  void push_head(Queue& q, uint64_t id, uint32_t size) {
    uint32_t n;
    if (!free_.empty()) {
      n = free_.back();
      free_.pop_back();
    } else {
      n = static_cast<uint32_t>(nodes_.size());
      nodes_.push_back({});
    }
    nodes_[n] = Node{id, size, kNil, q.head, q.tag};
    if (q.head != kNil)
      nodes_[q.head].prev = n;
    else
      q.tail = n;
    q.head = n;
    ++q.count;
    q.bytes += size;
    index_.insert(id, n);
  }
  // REQUIRES: id is in q.
  void forget(Queue& q, uint64_t id) { drop(q, index_.find(id)); }
  void pop_tail(Queue& q) { drop(q, q.tail); }

 private:
  struct Node {
    uint64_t id;
    uint32_t size;
    uint32_t prev, next;
    uint8_t tag;
  };
  void drop(Queue& q, uint32_t n) {
    const Node& k = nodes_[n];
    if (k.prev != kNil)
      nodes_[k.prev].next = k.next;
    else
      q.head = k.next;
    if (k.next != kNil)
      nodes_[k.next].prev = k.prev;
    else
      q.tail = k.prev;
    --q.count;
    q.bytes -= k.size;
    index_.erase(k.id);
    free_.push_back(n);
  }

  std::vector<Node> nodes_;
  std::vector<uint32_t> free_;
  FlatMap index_;
};

// Lists that keep byte totals (HList::bytes) and record on each object which list holds it: ARC's T1/T2 and
// S3-FIFO's small/main queues. Obj has `size` (bytes as inserted) and `where` (0: in no list).
template <class Obj>
inline void push_sized(HLinks& links, std::vector<Obj>& obj, HList& l, uint8_t where, Handle h) {
  links.push_head(l, h);
  l.bytes += obj[h].size;
  obj[h].where = where;
}
template <class Obj>
inline void unlink_sized(HLinks& links, std::vector<Obj>& obj, HList& l, Handle h) {
  links.unlink(l, h);
  l.bytes -= obj[h].size;
  obj[h].where = 0;
}

// One queue of resident handles: a miss inserts at the head, eviction takes the tail. FIFO as it stands; LRU
// overrides on_hit to move the hit object to the head (lru.cpp, fifo.cpp). 8 bytes per cached object.
class QueuePolicy : public ObjectPolicy {
 public:
  explicit QueuePolicy(const ObjectPolicyParams& p) { links_.reserve(p.expected_objects); }
  void on_hit(Handle, const Access&) override {}
  void insert(Handle h, const Access&, uint32_t) override {
    links_.ensure(h);
    links_.push_head(q_, h);
  }
  Handle evict() override { return links_.pop_tail(q_); }
  void remove(Handle h) override { links_.unlink(q_, h); }
  // The tail: what the next eviction takes unless it is hit first.
  Handle victim_hint() const override { return q_.empty() ? kNoHandle : q_.tail; }

 protected:
  HLinks links_;
  HList q_;
};

}  // namespace cachelab::policies
