#include "cachelab/core/event_queue.hpp"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <utility>

namespace cachelab {

void EventQueue::bad_schedule(EventHandler* handler, Time) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule: null handler");
  throw std::logic_error("EventQueue::schedule: negative time");
}

EventId EventQueue::schedule_reserved(Time at, uint64_t seq, EventHandler* handler, uint64_t tag) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule_reserved: null handler");
  if (at < Time::ns(0)) throw std::logic_error("EventQueue::schedule_reserved: negative time");
  if (seq == 0 || seq >= next_seq_) throw std::logic_error("EventQueue::schedule_reserved: not a reserved sequence");
  push(Entry{make_key(at, seq), handler, tag});  // the wheel or the far heap, ordered by (time, seq) like any entry
  return EventId{seq};
}

void EventQueue::bad_lane(EventHandler* handler, Time at) const {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule_lane: null handler");
  if (at < Time::ns(0)) throw std::logic_error("EventQueue::schedule_lane: negative time");
  throw std::logic_error("EventQueue::schedule_lane: the lane already holds an event");
}

void EventQueue::cancel(EventId id) {
  if (!id || id.seq >= next_seq_) return;
  if (lane_pending() && static_cast<uint64_t>(lane_.key) == id.seq) {
    lane_.handler = nullptr;
    return;
  }
  cancelled_.insert(id.seq);
  // Cancelling an event that already ran leaves a seq that matches nothing; prune those when the set outgrows
  // the queue, so the set stays bounded by the number of pending events.
  if (cancelled_.size() > far_.size() + in_wheel_) {
    std::unordered_set<uint64_t> live;
    auto keep = [&](const std::vector<Entry>& v) {
      for (const Entry& e : v)
        if (cancelled_.count(static_cast<uint64_t>(e.key))) live.insert(static_cast<uint64_t>(e.key));
    };
    keep(far_);
    keep(std::vector<Entry>(front_data_, front_data_ + front_n_));
    for (uint32_t head : bucket_head_)
      for (uint32_t c = head; c != kNil; c = chunks_[c].next)
        for (uint32_t k = 0; k < chunks_[c].count; ++k)
          if (cancelled_.count(static_cast<uint64_t>(chunks_[c].entries[k].key)))
            live.insert(static_cast<uint64_t>(chunks_[c].entries[k].key));
    cancelled_.swap(live);
  }
}

namespace {
// Keys are unique (the sequence number), so any correct sort gives the same order: latest first.
template <class Entry>
void event_queue_sort_latest_first(Entry* d, size_t n) {
  std::sort(d, d + n, [](const Entry& a, const Entry& b) { return b.key < a.key; });
}

// A crowded bucket (the hold benchmark's 65,536 pending events put ~540 in each) is usually in sequence order
// already, as schedule() appends them and activate() lays them out; then a stable sort by time alone is the (time,
// seq) order, and times in one bucket differ only in their low 13 bits (kBucketShift): two counting passes (7 + 6
// bits) instead of a comparison sort. Out of line, so the common small bucket's path stays short.
template <class Entry>
[[gnu::noinline]] void event_queue_sort_crowded(Entry* d, size_t n) {
  for (size_t i = 1; i < n; ++i) {
    if (static_cast<uint64_t>(d[i].key) < static_cast<uint64_t>(d[i - 1].key)) {  // a reserved seq: out of order
      event_queue_sort_latest_first(d, n);
      return;
    }
  }
  thread_local std::vector<Entry> tmp;
  tmp.resize(n);
  auto time_bits = [](const Entry& e) { return static_cast<uint32_t>(static_cast<uint64_t>(e.key >> 64)); };
  std::array<uint32_t, 128> low{};
  for (size_t i = 0; i < n; ++i) ++low[time_bits(d[i]) & 127];  // pass 1: the low 7 bits, ascending, stable
  uint32_t sum = 0;
  for (uint32_t& c : low) sum += std::exchange(c, sum);
  for (size_t i = 0; i < n; ++i) tmp[low[time_bits(d[i]) & 127]++] = d[i];
  std::array<uint32_t, 64> high{};
  for (const Entry& e : tmp) ++high[(time_bits(e) >> 7) & 63];  // pass 2: the next 6 bits, stable
  sum = 0;
  for (uint32_t& c : high) sum += std::exchange(c, sum);
  for (const Entry& e : tmp) d[n - 1 - high[(time_bits(e) >> 7) & 63]++] = e;  // ascending, back to front
}
}  // namespace

void EventQueue::activate(size_t i) {
  static_assert(kBucketShift == 13, "event_queue_sort_crowded sorts 13 bits of time");
  const uint32_t first = bucket_head_[i];
  bucket_head_[i] = kNil;
  size_t n;
  if (chunks_[first].next == kNil) {  // the usual bucket: one chunk, sorted where it is
    front_chunk_ = first;
    front_data_ = chunks_[first].entries;
    n = chunks_[first].count;
  } else {
    // The list holds its chunks newest first: laid out oldest first, the entries come in push order.
    n = 0;
    for (uint32_t c = first; c != kNil; c = chunks_[c].next) n += chunks_[c].count;
    if (front_.size() < n) front_.resize(n);
    size_t pos = n;
    for (uint32_t c = first; c != kNil;) {
      Chunk& k = chunks_[c];
      pos -= k.count;
      std::copy(k.entries, k.entries + k.count, front_.begin() + static_cast<std::ptrdiff_t>(pos));
      const uint32_t next = k.next;
      free_chunk(c);
      c = next;
    }
    front_chunk_ = kNil;
    front_data_ = front_.data();
  }
  front_n_ = n;
  front_bucket_ = bucket_of(front_data_[0].key);
  // Latest first (activate_first() orders one chunk of 1-3 entries itself; a list of several chunks may be short).
  Entry* d = front_data_;
  if (n <= 3) {
    if (n >= 2) order_pair(d[0], d[1]);
    if (n == 3) {
      order_pair(d[1], d[2]);
      order_pair(d[0], d[1]);
    }
  } else if (n < 64) {
    event_queue_sort_latest_first(d, n);
  } else {
    event_queue_sort_crowded(d, n);
  }
}

void EventQueue::unfront() {
  const size_t i = static_cast<size_t>(front_bucket_ % kBuckets);
  if (front_chunk_ != kNil) {  // the chunk is the list again (a list need not be sorted)
    chunks_[front_chunk_].next = kNil;
    chunks_[front_chunk_].count = static_cast<uint32_t>(front_n_);
    bucket_head_[i] = front_chunk_;
    front_chunk_ = kNil;
  } else {
    for (size_t k = 0; k < front_n_; ++k) append(i, front_[k]);  // front_ is not touched by append
  }
  front_n_ = 0;
  front_crowded_ = false;
}

void EventQueue::grow_front() {
  if (front_chunk_ != kNil) {  // a full chunk: the front moves into front_
    if (front_.size() < 2 * size_t{kChunk}) front_.resize(2 * size_t{kChunk});
    std::copy(front_data_, front_data_ + front_n_, front_.begin());
    free_chunk(front_chunk_);
    front_chunk_ = kNil;
  } else {
    front_.resize(2 * front_.size() + 16);
  }
  front_data_ = front_.data();
}

uint32_t EventQueue::grow_chunks() {
  chunks_.emplace_back();
  if (front_chunk_ != kNil) front_data_ = chunks_[front_chunk_].entries;  // the pool may have moved
  return static_cast<uint32_t>(chunks_.size() - 1);
}

void EventQueue::drop_cancelled_head() {
  while (!cancelled_.empty()) {
    const Head h = head();
    if (h.entry == nullptr) return;
    auto it = cancelled_.find(static_cast<uint64_t>(h.entry->key));
    if (it == cancelled_.end()) return;
    cancelled_.erase(it);
    take(h);
  }
}

bool EventQueue::empty() {
  drop_cancelled_head();
  return far_.empty() && in_wheel_ == 0 && !lane_pending();
}

Time EventQueue::next_time() {
  drop_cancelled_head();
  const Head h = head();
  const bool lane = lane_pending() && (h.entry == nullptr || lane_.key < h.entry->key);
  return Time::ns(static_cast<int64_t>((lane ? lane_.key : h.entry->key) >> 64));
}

Event EventQueue::pop() {
  drop_cancelled_head();
  const Head h = head();
  if (lane_pending() && (h.entry == nullptr || lane_.key < h.entry->key)) return to_event(take_lane());
  return to_event(take(h));
}

}  // namespace cachelab
