#pragma once
// The future event set: a 4-ary min-heap keyed by (time, insertion sequence).
// Equal times pop in insertion order, never by pointer or by floating point (design.md "Time, randomness, events").
// An event is a handler pointer plus a 64-bit tag, so scheduling never allocates: hot paths encode what they need
// (a request slot, a kind) in the tag. Cost: schedule and pop are O(log4 n); cancel is O(1) amortised and the cancelled
// event is discarded when it reaches the head.
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "cachelab/core/time.hpp"

namespace cachelab {

class EventHandler {
 public:
  virtual void on_event(Time now, uint64_t tag) = 0;

 protected:
  ~EventHandler() = default;
};

struct EventId {
  uint64_t seq = 0;  // 0 = no event
  explicit operator bool() const { return seq != 0; }
};

struct Event {
  Time time;
  uint64_t seq;
  EventHandler* handler;
  uint64_t tag;
};

class EventQueue {
 public:
  // REQUIRES: handler != nullptr.
  EventId schedule(Time at, EventHandler* handler, uint64_t tag);
  // Cancelling an event that already ran or was cancelled is a no-op.
  void cancel(EventId id);
  // Removes and returns the earliest live event. REQUIRES: !empty().
  Event pop();
  // True when no live event is left (drops cancelled events sitting at the head).
  bool empty();
  // Time of the earliest live event. REQUIRES: !empty().
  Time next_time();
  // Pending entries, cancelled ones included until they are discarded.
  size_t size() const { return heap_.size(); }

 private:
  static bool before(const Event& a, const Event& b) {
    return a.time < b.time || (a.time == b.time && a.seq < b.seq);
  }
  void drop_cancelled_head();
  void sift_up(size_t i);
  void sift_down(size_t i);
  Event pop_head();

  std::vector<Event> heap_;
  std::unordered_set<uint64_t> cancelled_;  // seqs cancelled but still in the heap
  uint64_t next_seq_ = 1;
};

}  // namespace cachelab
