#pragma once
// The future event set, ordered by (time, insertion sequence): equal times pop in insertion order, never by pointer
// or by floating point (docs/design.md §3). An event is a handler pointer plus a 64-bit tag, so
// scheduling allocates nothing in the steady state: hot paths encode what they need (a request slot, a kind) in
// the tag.
//
// Structure: a bucket wheel in front of a binary heap. The wheel covers the next kBuckets buckets of 2^kBucketShift
// ns (8.2 µs each, 33.5 ms ahead of the last event popped), and a bitmap finds the first non-empty bucket. A bucket
// is a vector: pushes append to it unsorted; when it first becomes the wheel's first bucket it is sorted once, latest
// first, and pops take its back; a push into a bucket already sorted walks to its place from the back. Events
// further ahead (timeouts, cron), events that would pass kMaxWalk others in a sorted bucket (after which that bucket
// takes no more until it empties), and any event scheduled before the last one popped (EventQueue itself allows it;
// Simulation does not) go to the far heap. A pop takes the smaller of the wheel's first entry and the far heap's
// head, so the order is exactly one heap's: only the cost changes.
// Why: on the flagship most events are a half round trip or an origin service time ahead, over a ~130-event heap;
// the heap's O(log n) pop (a chain of dependent compares) was a fifth of the run time; 1-3-entry buckets are
// cheaper. Sorting a bucket once (instead of keeping it sorted on every push, issue 19) keeps crowds cheap too: at
// 65,536 pending events over 1 ms (~540 per bucket) a push is an append and a pop costs a share of one sort of a
// cache-resident vector, where the heap it used to overflow into walked 16 levels of a 2 MB array.
// Cancel is O(1) amortised: a cancelled event is dropped when it reaches the head.
#include <array>
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

__extension__ typedef unsigned __int128 EventKey;

class EventQueue {
 public:
  EventQueue() : buckets_(kBuckets) {}

  // REQUIRES: handler != nullptr. Inline, as pop_until: the simulator's inner loop.
  EventId schedule(Time at, EventHandler* handler, uint64_t tag) {
    if (handler == nullptr || at < Time::ns(0)) bad_schedule(handler, at);
    const uint64_t seq = next_seq_++;
    push(Entry{make_key(at, seq), handler, tag});
    return EventId{seq};
  }
  // The lane: one event slot beside the queue for a source that never has more than one event pending (the request
  // driver: its next arrival). It takes its sequence number from the same counter, and every pop compares it with
  // the queue's head by the same (time, seq) key, so the order of events is exactly what schedule() would give; it
  // only saves an insertion and a deletion per request. REQUIRES: no lane event pending (lane_pending()).
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
    const Head h = head();
    if (lane_pending() && (h.entry == nullptr || lane_.key < h.entry->key)) {
      if (static_cast<int64_t>(lane_.key >> 64) > limit.nanos()) return false;
      out = to_event(take_lane());
      return true;
    }
    if (h.entry == nullptr || static_cast<int64_t>(h.entry->key >> 64) > limit.nanos()) return false;
    out = to_event(take(h));
    return true;
  }
  // Pending entries, cancelled ones included until they are discarded.
  size_t size() const { return far_.size() + in_wheel_ + (lane_pending() ? 1 : 0); }

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

  static constexpr int kBucketShift = 13;   // 8.192 µs per bucket
  static constexpr size_t kBuckets = 4096;  // 33.5 ms of wheel
  static constexpr unsigned kMaxWalk = 16;  // entries a push may pass in its bucket; beyond, the far heap
  static constexpr size_t kWords = kBuckets / 64;
  static constexpr size_t kNoBucket = SIZE_MAX;
  static uint64_t bucket_of(EventKey key) { return static_cast<uint64_t>(key >> 64) >> kBucketShift; }
  static constexpr size_t kKeepCapacity = 16;  // a drained bucket keeps up to this many entries' room
  static constexpr size_t kSpares = 16;        // larger drained vectors kept for the next buckets that grow

  // Where the earliest non-lane entry is: a wheel bucket, the far heap, or nowhere (entry == nullptr).
  struct Head {
    const Entry* entry;
    size_t bucket;  // kNoBucket: the far heap
  };
  // Not const: the first bucket is sorted here, the first time it is the wheel's first.
  Head head() {
    const size_t b = first_bucket();
    if (b != kNoBucket) {
      std::vector<Entry>& v = buckets_[b];
      const uint64_t bit = uint64_t{1} << (b % 64);
      if (!(sorted_[b / 64] & bit)) {
        if (v.size() > 1) sort_bucket(v);
        sorted_[b / 64] |= bit;
      }
      const Entry& w = v.back();
      if (far_.empty() || w.key < far_.front().key) return {&w, b};
    }
    return {far_.empty() ? nullptr : &far_.front(), kNoBucket};
  }
  // The wheel's buckets hold exactly the bucket numbers [cur_, cur_ + kBuckets), one number each (number mod
  // kBuckets), so walking the bitmap from cur_'s position, with wrap-around, meets them in time order.
  size_t first_bucket() const {
    if (in_wheel_ == 0) return kNoBucket;
    const size_t start = static_cast<size_t>(cur_ % kBuckets);
    size_t w = start / 64;
    uint64_t bits = occupied_[w] & (~uint64_t{0} << (start % 64));
    while (bits == 0) {  // ends: in_wheel_ > 0, so some bit is set (bits below start come last, at wrap-around)
      w = (w + 1) % kWords;
      bits = occupied_[w];
    }
    return w * 64 + static_cast<size_t>(__builtin_ctzll(bits));
  }
  void push(const Entry& e) {
    const uint64_t b = bucket_of(e.key);
    const size_t i = static_cast<size_t>(b % kBuckets);
    if (b - cur_ < kBuckets) {  // unsigned: cur_ <= b < cur_ + kBuckets
      const uint64_t bit = uint64_t{1} << (i % 64);
      std::vector<Entry>& v = buckets_[i];
      if (!(sorted_[i / 64] & bit)) {  // not yet the wheel's first: append, sorted when it becomes the first
        if (v.size() == v.capacity()) grow(v);
        v.push_back(e);
        occupied_[i / 64] |= bit;
        ++in_wheel_;
        return;
      }
      if (!(crowded_[i / 64] & bit)) {
        // Sorted latest first: the place in key order from the back, usually past 0-2 entries.
        size_t pos = v.size();
        unsigned passed = 0;
        while (pos > 0 && v[pos - 1].key < e.key && passed < kMaxWalk) {
          --pos;
          ++passed;
        }
        if (passed < kMaxWalk) {
          v.insert(v.begin() + static_cast<std::ptrdiff_t>(pos), e);
          ++in_wheel_;
          return;
        }
        crowded_[i / 64] |= bit;
      }
    }
    heap_push(far_, e);
  }
  // Removes the entry head() found. The wheel's window then starts at its bucket number: every wheel entry is at or
  // after it (it was the earliest of all), so the window invariant holds.
  Entry take(const Head& h) {
    Entry e;
    if (h.bucket == kNoBucket) {
      e = heap_pop(far_);
    } else {
      std::vector<Entry>& v = buckets_[h.bucket];
      e = v.back();
      v.pop_back();
      --in_wheel_;
      if (v.empty()) {
        const uint64_t keep = ~(uint64_t{1} << (h.bucket % 64));
        occupied_[h.bucket / 64] &= keep;
        sorted_[h.bucket / 64] &= keep;
        crowded_[h.bucket / 64] &= keep;
        if (v.capacity() > kKeepCapacity) release(v);
      }
    }
    const uint64_t b = bucket_of(e.key);
    if (b > cur_) cur_ = b;
    return e;
  }
  Entry take_lane() {
    const Entry e = lane_;
    lane_.handler = nullptr;
    return e;
  }
  static void sort_bucket(std::vector<Entry>& v);  // latest first: the earliest at the back
  void grow(std::vector<Entry>& v);                // before a push_back that would reallocate
  void release(std::vector<Entry>& v);             // a drained bucket's large vector: to the spares or freed
  void drop_cancelled_head();
  [[noreturn]] static void bad_schedule(EventHandler* handler, Time at);
  [[noreturn]] void bad_lane(EventHandler* handler, Time at) const;

  // A binary min-heap on a vector (the far heap).
  static inline void heap_push(std::vector<Entry>& h, const Entry& e);
  static inline Entry heap_pop(std::vector<Entry>& h);

  std::vector<std::vector<Entry>> buckets_;  // per bucket: its entries, in push order until sorted
  std::vector<std::vector<Entry>> spares_;   // empty vectors with room, for buckets that need more
  std::array<uint64_t, kWords> occupied_{};  // bit i: bucket i is not empty
  std::array<uint64_t, kWords> sorted_{};    // bit i: bucket i is sorted latest first (it was the first bucket)
  std::array<uint64_t, kWords> crowded_{};   // bit i: a push met the walk limit in bucket i since it was empty
  size_t in_wheel_ = 0;
  uint64_t cur_ = 0;  // bucket number of the latest event popped from wheel or far heap
  std::vector<Entry> far_;
  Entry lane_{0, nullptr, 0};               // handler == nullptr: empty
  std::unordered_set<uint64_t> cancelled_;  // seqs cancelled but still queued
  uint64_t next_seq_ = 1;
};

inline void EventQueue::heap_push(std::vector<Entry>& h, const Entry& e) {
  h.push_back(e);
  size_t i = h.size() - 1;
  Entry* d = h.data();
  while (i > 0) {
    const size_t parent = (i - 1) / 2;
    if (!(e.key < d[parent].key)) break;
    d[i] = d[parent];
    i = parent;
  }
  d[i] = e;
}

// Bottom-up deletion (Floyd; Wegener's "bottom-up heapsort"): the hole left at the root walks down to a leaf along
// the smaller child (one key comparison per level, chosen without a branch), then the last entry fills the hole and
// sifts up, usually by zero or one level since it came from the bottom. The classic sift-down compares twice per
// level and mispredicts the "stop here?" branch about half the time.
inline EventQueue::Entry EventQueue::heap_pop(std::vector<Entry>& h) {
  const Entry top = h.front();
  const Entry last = h.back();
  h.pop_back();
  const size_t n = h.size();
  if (n == 0) return top;
  Entry* d = h.data();
  size_t hole = 0;
  for (;;) {
    size_t c = 2 * hole + 1;
    if (c + 1 < n) {
      c += static_cast<size_t>(d[c + 1].key < d[c].key);
    } else if (c >= n) {
      break;
    }
    d[hole] = d[c];
    hole = c;
  }
  while (hole > 0) {
    const size_t parent = (hole - 1) / 2;
    if (!(last.key < d[parent].key)) break;
    d[hole] = d[parent];
    hole = parent;
  }
  d[hole] = last;
  return top;
}

}  // namespace cachelab
