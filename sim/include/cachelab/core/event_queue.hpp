#pragma once
// The future event set, ordered by (time, insertion sequence): equal times pop in insertion order, never by pointer
// or by floating point (docs/design.md §3). An event is a handler pointer plus a 64-bit tag, so
// scheduling allocates nothing in the steady state: hot paths encode what they need (a request slot, a kind) in
// the tag.
//
// Structure: a bucket wheel in front of a binary heap. The wheel covers the next kBuckets buckets of 2^kBucketShift
// ns (8.2 µs each, 33.5 ms ahead of the last event popped), and a bitmap finds the first non-empty bucket. A bucket
// is a list of chunks of kChunk entries, appended to in push order, unsorted, from a pool of chunks; when it becomes
// the first bucket, its entries move into one sorted vector, the front (latest first: pops take its back), and its
// chunks go back to the pool. A push into the front's bucket walks to its place from the back. Events further
// ahead (timeouts, cron), events that would pass kMaxWalk others in the front (after which the front takes no
// more), and any event scheduled before the last one popped (EventQueue itself allows it; Simulation does not) go
// to the far heap. A pop takes the smaller of the front's earliest entry and the far heap's head, so the order is
// exactly one heap's: only the cost changes.
// Why: on the flagship most events are a half round trip or an origin service time ahead, over a ~130-event heap;
// the heap's O(log n) pop (a chain of dependent compares) was a fifth of the run time; 1-3-entry buckets are
// cheaper. Sorting a bucket once, when it becomes the first (issue 19), keeps crowds cheap too: at 65,536 pending
// events over 1 ms (~540 per bucket) a push is an append and a pop a share of one sort (two counting passes), where
// a bucket kept sorted on every push overflowed into the heap, 16 levels of a 2 MB array. Chunks from a pool, last
// freed first reused, keep the memory the wheel touches small (a vector per bucket made the flagship slower).
// Cancel is O(1) amortised: a cancelled event is dropped when it reaches the head.
#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <utility>
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
  EventQueue() : bucket_head_(kBuckets, kNil) {}

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
  static constexpr unsigned kMaxWalk = 16;  // entries a push may pass in the front; beyond, the far heap
  static constexpr size_t kWords = kBuckets / 64;
  static constexpr uint32_t kNil = UINT32_MAX;
  static constexpr uint32_t kChunk = 8;  // entries per chunk of a bucket's list
  static uint64_t bucket_of(EventKey key) { return static_cast<uint64_t>(key >> 64) >> kBucketShift; }
  // A bucket not yet the first: a list of chunks, newest first, each filled in push order. Chunks come from a pool
  // and go back to it when their bucket becomes the front (last freed, first reused: they stay in cache).
  struct Chunk {
    uint32_t next;   // the bucket's next older chunk, or kNil (in the pool: the next free chunk)
    uint32_t count;  // entries used
    Entry entries[kChunk];
  };

  // Where the earliest non-lane entry is: the front, the far heap, or nowhere (entry == nullptr).
  struct Head {
    const Entry* entry;
    bool far;
  };
  Head head() {
    if (front_n_ == 0 && in_wheel_ > 0) activate_first();
    if (front_n_ > 0) {
      const Entry& w = front_data_[front_n_ - 1];
      if (far_.empty() || w.key < far_.front().key) return {&w, false};
    }
    return {far_.empty() ? nullptr : &far_.front(), true};
  }
  // The first bucket becomes the front. Inline for the usual one chunk of 1-3 entries, sorted where it is.
  void activate_first() {
    const size_t i = first_bucket();
    const uint32_t c = bucket_head_[i];
    Chunk& k = chunks_[c];
    if (k.next != kNil || k.count > 3) {
      activate(i);
      return;
    }
    bucket_head_[i] = kNil;
    front_chunk_ = c;
    front_data_ = k.entries;
    front_n_ = k.count;
    front_bucket_ = bucket_of(k.entries[0].key);
    if (k.count >= 2) {  // latest first
      order_pair(k.entries[0], k.entries[1]);
      if (k.count == 3) {
        order_pair(k.entries[1], k.entries[2]);
        order_pair(k.entries[0], k.entries[1]);
      }
    }
  }
  static void order_pair(Entry& x, Entry& y) {
    if (x.key < y.key) std::swap(x, y);
  }
  // The wheel's buckets hold exactly the bucket numbers [cur_, cur_ + kBuckets), one number each (number mod
  // kBuckets), so walking the bitmap from cur_'s position, with wrap-around, meets them in time order.
  size_t first_bucket() const {
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
    if (b - cur_ < kBuckets) {  // unsigned: cur_ <= b < cur_ + kBuckets
      if (front_n_ > 0 && b <= front_bucket_) {
        if (b == front_bucket_) {
          if (!front_crowded_ && insert_front(e)) return;
          front_crowded_ = true;
          heap_push(far_, e);
          return;
        }
        // Earlier than the front (after an event of the lane): the front goes back to its list, if it is short.
        if (front_n_ > kMaxWalk) {
          heap_push(far_, e);
          return;
        }
        unfront();
      }
      append(static_cast<size_t>(b % kBuckets), e);
      ++in_wheel_;
      return;
    }
    heap_push(far_, e);
  }
  void append(size_t i, const Entry& e) {
    uint32_t c = bucket_head_[i];
    if (c == kNil || chunks_[c].count == kChunk) {
      const uint32_t n = new_chunk();
      chunks_[n].next = c;
      chunks_[n].count = 0;
      bucket_head_[i] = c = n;
      occupied_[i / 64] |= uint64_t{1} << (i % 64);
    }
    Chunk& k = chunks_[c];
    k.entries[k.count++] = e;
  }
  uint32_t new_chunk() {
    if (free_chunk_ != kNil) {
      const uint32_t n = free_chunk_;
      free_chunk_ = chunks_[n].next;
      return n;
    }
    return grow_chunks();
  }
  void free_chunk(uint32_t c) {
    chunks_[c].next = free_chunk_;
    free_chunk_ = c;
  }
  // The place in key order from the back of the front (its earliest), usually past 0-2 entries.
  bool insert_front(const Entry& e) {
    size_t pos = front_n_;
    unsigned passed = 0;
    while (pos > 0 && front_data_[pos - 1].key < e.key) {
      if (++passed > kMaxWalk) return false;
      --pos;
    }
    if (front_n_ == (front_chunk_ != kNil ? size_t{kChunk} : front_.size())) grow_front();
    for (size_t k = front_n_; k > pos; --k) front_data_[k] = front_data_[k - 1];
    front_data_[pos] = e;
    ++front_n_;
    ++in_wheel_;
    return true;
  }
  // Removes the entry head() found. The wheel's window then starts at its bucket number: every wheel entry is at or
  // after it (it was the earliest of all), so the window invariant holds.
  Entry take(const Head& h) {
    Entry e;
    if (h.far) {
      e = heap_pop(far_);
    } else {
      e = front_data_[--front_n_];
      --in_wheel_;
      if (front_n_ == 0) {
        const size_t i = static_cast<size_t>(front_bucket_ % kBuckets);
        occupied_[i / 64] &= ~(uint64_t{1} << (i % 64));
        front_crowded_ = false;
        if (front_chunk_ != kNil) {
          free_chunk(front_chunk_);
          front_chunk_ = kNil;
        }
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
  void activate(size_t i);  // bucket i's list, sorted latest first, becomes the front
  void unfront();           // the front back to its bucket's list
  void grow_front();        // room for one more entry in the front
  uint32_t grow_chunks();   // a new chunk at the end of the pool
  void drop_cancelled_head();
  [[noreturn]] static void bad_schedule(EventHandler* handler, Time at);
  [[noreturn]] void bad_lane(EventHandler* handler, Time at) const;

  // A binary min-heap on a vector (the far heap).
  static inline void heap_push(std::vector<Entry>& h, const Entry& e);
  static inline Entry heap_pop(std::vector<Entry>& h);

  std::vector<uint32_t> bucket_head_;  // per bucket: its newest chunk, or kNil
  std::vector<Chunk> chunks_;
  uint32_t free_chunk_ = kNil;
  std::array<uint64_t, kWords> occupied_{};  // bit i: bucket i is not empty (its list, or the front)
  // The front: the first bucket, sorted latest first (its earliest at the back), taken out of its list when it
  // became the first. A one-chunk bucket is sorted in its chunk; a longer one is gathered into front_.
  Entry* front_data_ = nullptr;  // chunks_[front_chunk_].entries, or front_.data()
  size_t front_n_ = 0;
  uint32_t front_chunk_ = kNil;  // kNil: the front is in front_
  std::vector<Entry> front_;     // its size is its room
  uint64_t front_bucket_ = 0;    // the front's bucket number, while front_n_ > 0
  bool front_crowded_ = false;   // a push met the walk limit in the front since it was made (false while empty)
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
