#pragma once
// The future event set: a d-ary min-heap (d = 2: measured with callgrind on flash-sale, 2 beat 4 and 8) keyed by
// (time, insertion sequence).
// Equal times pop in insertion order, never by pointer or by floating point (design.md "Time, randomness, events").
// An event is a handler pointer plus a 64-bit tag, so scheduling never allocates: hot paths encode what they need
// (a request slot, a kind) in the tag. Cost: schedule and pop are O(log n); cancel is O(1) amortised and the cancelled
// event is discarded when it reaches the head.
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

#include "cachelab/core/time.hpp"

#ifndef CACHELAB_HEAP_ARITY
#define CACHELAB_HEAP_ARITY 2
#endif

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

__extension__ typedef unsigned __int128 EventKey;

class EventQueue {
 public:
  // REQUIRES: handler != nullptr.
  EventId schedule(Time at, EventHandler* handler, uint64_t tag);
  // The lane: one event slot beside the heap for a source that never has more than one event pending (the request
  // driver: its next arrival). It takes its sequence number from the same counter, and every pop compares it with
  // the heap's head by the same (time, seq) key, so the order of events is exactly what schedule() would give; it
  // only saves a heap insertion and deletion per request. REQUIRES: no lane event pending (lane_pending()).
  EventId schedule_lane(Time at, EventHandler* handler, uint64_t tag);
  bool lane_pending() const { return lane_.handler != nullptr; }
  // For a source that keeps a calendar of its own future events and hands the queue only the earliest ones: take the
  // sequence number schedule() would give now (so ties break exactly as if it had been scheduled now), and later
  // schedule_reserved() with it. Each reserved number is scheduled at most once; cancel() takes its EventId{seq}.
  uint64_t reserve_seq() { return next_seq_++; }
  EventId schedule_reserved(Time at, uint64_t seq, EventHandler* handler, uint64_t tag);
  // Cancelling an event that already ran or was cancelled is a no-op.
  void cancel(EventId id);
  // Removes and returns the earliest live event. REQUIRES: !empty().
  Event pop();
  // True when no live event is left (drops cancelled events sitting at the head).
  bool empty();
  // Time of the earliest live event. REQUIRES: !empty().
  Time next_time();
  // Pops the earliest live event if its time is <= limit (the event loop's one call per event).
  bool pop_until(Time limit, Event& out);
  // Pending entries, cancelled ones included until they are discarded.
  size_t size() const { return heap_.size() + (lane_pending() ? 1 : 0); }

 private:
  // (time, seq) packed in one 128-bit key: one comparison orders by time, then by insertion. Times are >= 0.
  struct Entry {
    EventKey key;
    EventHandler* handler;
    uint64_t tag;
  };
  static EventKey make_key(Time t, uint64_t seq) {
    return (static_cast<EventKey>(static_cast<uint64_t>(t.nanos())) << 64) | seq;
  }
  static Event to_event(const Entry& e) {
    return Event{Time::ns(static_cast<int64_t>(e.key >> 64)), static_cast<uint64_t>(e.key), e.handler, e.tag};
  }
  void drop_cancelled_head();
  static constexpr size_t kArity = CACHELAB_HEAP_ARITY;
  void sift_up(size_t i);
  Entry pop_head();

  bool lane_first() const { return lane_pending() && (heap_.empty() || lane_.key < heap_.front().key); }
  Entry take_lane() {
    const Entry e = lane_;
    lane_.handler = nullptr;
    return e;
  }

  std::vector<Entry> heap_;
  Entry lane_{0, nullptr, 0};  // handler == nullptr: empty
  std::unordered_set<uint64_t> cancelled_;  // seqs cancelled but still in the heap
  uint64_t next_seq_ = 1;
};

}  // namespace cachelab
