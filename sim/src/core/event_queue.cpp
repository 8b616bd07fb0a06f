#include "cachelab/core/event_queue.hpp"

#include <algorithm>
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

// Keys are unique (the sequence number), so any correct sort gives the same order.
void EventQueue::sort_bucket(std::vector<Entry>& v) {
  std::sort(v.begin(), v.end(), [](const Entry& a, const Entry& b) { return b.key < a.key; });
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
