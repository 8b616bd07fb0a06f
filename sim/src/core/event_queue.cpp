#include "cachelab/core/event_queue.hpp"

#include <stdexcept>

namespace cachelab {

void EventQueue::bad_schedule(EventHandler* handler, Time) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule: null handler");
  throw std::logic_error("EventQueue::schedule: negative time");
}

EventId EventQueue::schedule_reserved(Time at, uint64_t seq, EventHandler* handler, uint64_t tag) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule_reserved: null handler");
  if (at < Time::ns(0)) throw std::logic_error("EventQueue::schedule_reserved: negative time");
  if (seq == 0 || seq >= next_seq_) throw std::logic_error("EventQueue::schedule_reserved: not a reserved sequence");
  heap_.push_back(Entry{make_key(at, seq), handler, tag});
  sift_up(heap_.size() - 1);
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
  // the heap, so the set stays bounded by the number of pending events.
  if (cancelled_.size() > heap_.size()) {
    std::unordered_set<uint64_t> live;
    for (const Entry& e : heap_)
      if (cancelled_.count(static_cast<uint64_t>(e.key))) live.insert(static_cast<uint64_t>(e.key));
    cancelled_.swap(live);
  }
}

void EventQueue::drop_cancelled_head() {
  while (!heap_.empty() && !cancelled_.empty()) {
    auto it = cancelled_.find(static_cast<uint64_t>(heap_.front().key));
    if (it == cancelled_.end()) return;
    cancelled_.erase(it);
    pop_head();
  }
}

bool EventQueue::empty() {
  drop_cancelled_head();
  return heap_.empty() && !lane_pending();
}

Time EventQueue::next_time() {
  drop_cancelled_head();
  return Time::ns(static_cast<int64_t>((lane_first() ? lane_.key : heap_.front().key) >> 64));
}

Event EventQueue::pop() {
  drop_cancelled_head();
  return to_event(lane_first() ? take_lane() : pop_head());
}

}  // namespace cachelab
