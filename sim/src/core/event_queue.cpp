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
    for (const std::vector<Entry>& bucket : buckets_) keep(bucket);
    cancelled_.swap(live);
  }
}

namespace {
// Keys are unique (the sequence number), so any correct sort gives the same order: latest first.
template <class Entry>
void event_queue_sort_latest_first(std::vector<Entry>& v) {
  std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return b.key < a.key; });
}

// A crowded bucket (the hold benchmark's 65,536 pending events put ~540 in each) is usually in sequence order
// already, as schedule() appends them; then a stable sort by time alone is the (time, seq) order, and times in one
// bucket differ only in their low 13 bits (kBucketShift): two counting passes (7 + 6 bits) instead of a comparison
// sort. Out of line, so the common small bucket's path stays as it was.
template <class Entry>
[[gnu::noinline]] void event_queue_sort_crowded(std::vector<Entry>& v) {
  const size_t n = v.size();
  for (size_t i = 1; i < n; ++i) {
    if (static_cast<uint64_t>(v[i].key) < static_cast<uint64_t>(v[i - 1].key)) {  // a reserved seq: out of order
      event_queue_sort_latest_first(v);
      return;
    }
  }
  thread_local std::vector<Entry> tmp;
  tmp.resize(n);
  auto time_bits = [](const Entry& e) { return static_cast<uint32_t>(static_cast<uint64_t>(e.key >> 64)); };
  std::array<uint32_t, 128> low{};
  for (const Entry& e : v) ++low[time_bits(e) & 127];  // pass 1: the low 7 bits, ascending, stable
  uint32_t sum = 0;
  for (uint32_t& c : low) sum += std::exchange(c, sum);
  for (const Entry& e : v) tmp[low[time_bits(e) & 127]++] = e;
  std::array<uint32_t, 64> high{};
  for (const Entry& e : tmp) ++high[(time_bits(e) >> 7) & 63];  // pass 2: the next 6 bits, stable
  sum = 0;
  for (uint32_t& c : high) sum += std::exchange(c, sum);
  for (const Entry& e : tmp) v[n - 1 - high[(time_bits(e) >> 7) & 63]++] = e;  // ascending, back to front
}
}  // namespace

void EventQueue::sort_bucket(std::vector<Entry>& v) {
  static_assert(kBucketShift == 13, "event_queue_sort_crowded sorts 13 bits of time");
  const size_t n = v.size();
  if (n <= 3) {  // the flagship's usual bucket: compare-and-swap, no std::sort set-up (2-3 entries, latest first)
    Entry* d = v.data();
    auto order = [](Entry& a, Entry& b) {
      if (a.key < b.key) std::swap(a, b);
    };
    order(d[0], d[1]);
    if (n == 3) {
      order(d[1], d[2]);
      order(d[0], d[1]);
    }
  } else if (n < 64) {
    event_queue_sort_latest_first(v);
  } else {
    event_queue_sort_crowded(v);
  }
}

void EventQueue::grow(std::vector<Entry>& v) {
  if (v.empty() && !spares_.empty()) {
    v.swap(spares_.back());
    spares_.pop_back();
  } else {
    v.reserve(std::max<size_t>(4, 2 * v.capacity()));
  }
}

void EventQueue::release(std::vector<Entry>& v) {
  if (spares_.size() < kSpares) {
    spares_.emplace_back();
    spares_.back().swap(v);
  } else {
    std::vector<Entry>().swap(v);
  }
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
