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
  // REQUIRES: handler != nullptr. Inline, as pop_until: the simulator's inner loop.
  EventId schedule(Time at, EventHandler* handler, uint64_t tag) {
    if (handler == nullptr || at < Time::ns(0)) bad_schedule(handler, at);
    const uint64_t seq = next_seq_++;
    heap_.push_back(Entry{make_key(at, seq), handler, tag});
    sift_up(heap_.size() - 1);
    return EventId{seq};
  }
  // The lane: one event slot beside the heap for a source that never has more than one event pending (the request
  // driver: its next arrival). It takes its sequence number from the same counter, and every pop compares it with
  // the heap's head by the same (time, seq) key, so the order of events is exactly what schedule() would give; it
  // only saves a heap insertion and deletion per request. REQUIRES: no lane event pending (lane_pending()).
  EventId schedule_lane(Time at, EventHandler* handler, uint64_t tag) {
    if (handler == nullptr || at < Time::ns(0) || lane_pending()) bad_lane(handler, at);
    const uint64_t seq = next_seq_++;
    lane_ = Entry{make_key(at, seq), handler, tag};
    return EventId{seq};
  }
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
  bool pop_until(Time limit, Event& out) {
    if (!cancelled_.empty()) drop_cancelled_head();
    if (lane_first()) {
      if (static_cast<int64_t>(lane_.key >> 64) > limit.nanos()) return false;
      out = to_event(take_lane());
      return true;
    }
    if (heap_.empty() || static_cast<int64_t>(heap_.front().key >> 64) > limit.nanos()) return false;
    out = to_event(pop_head());
    return true;
  }
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
  [[noreturn]] static void bad_schedule(EventHandler* handler, Time at);
  [[noreturn]] void bad_lane(EventHandler* handler, Time at) const;
  static constexpr size_t kArity = CACHELAB_HEAP_ARITY;
  inline void sift_up(size_t i);
  inline Entry pop_head();

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

// Bottom-up deletion (Floyd; Wegener's "bottom-up heapsort"): the hole left at the root walks down to a leaf along
// the smaller child (one key comparison per level, chosen without a branch), then the last entry fills the hole and
// sifts up, usually by zero or one level since it came from the bottom. The classic sift-down compares twice per
// level and mispredicts the "stop here?" branch about half the time; it was 19% of flash-sale's profile.
inline EventQueue::Entry EventQueue::pop_head() {
  const Entry top = heap_.front();
  const Entry last = heap_.back();
  heap_.pop_back();
  const size_t n = heap_.size();
  if (n == 0) return top;
  size_t hole = 0;
  static_assert(kArity == 2, "the branch-free child choice below is written for a binary heap");
  Entry* h = heap_.data();
  for (;;) {
    size_t c = 2 * hole + 1;
    if (c + 1 < n) {
      c += static_cast<size_t>(h[c + 1].key < h[c].key);
    } else if (c >= n) {
      break;
    }
    h[hole] = h[c];
    hole = c;
  }
  heap_[hole] = last;
  sift_up(hole);
  return top;
}

inline void EventQueue::sift_up(size_t i) {
  Entry e = heap_[i];
  while (i > 0) {
    size_t parent = (i - 1) / kArity;
    if (!(e.key < heap_[parent].key)) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

}  // namespace cachelab
