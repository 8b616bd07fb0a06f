#include "cachelab/core/event_queue.hpp"

#include <stdexcept>

namespace cachelab {

EventId EventQueue::schedule(Time at, EventHandler* handler, uint64_t tag) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule: null handler");
  if (at < Time::ns(0)) throw std::logic_error("EventQueue::schedule: negative time");
  const uint64_t seq = next_seq_++;
  heap_.push_back(Entry{make_key(at, seq), handler, tag});
  sift_up(heap_.size() - 1);
  return EventId{seq};
}

EventId EventQueue::schedule_reserved(Time at, uint64_t seq, EventHandler* handler, uint64_t tag) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule_reserved: null handler");
  if (at < Time::ns(0)) throw std::logic_error("EventQueue::schedule_reserved: negative time");
  if (seq == 0 || seq >= next_seq_) throw std::logic_error("EventQueue::schedule_reserved: not a reserved sequence");
  heap_.push_back(Entry{make_key(at, seq), handler, tag});
  sift_up(heap_.size() - 1);
  return EventId{seq};
}

EventId EventQueue::schedule_lane(Time at, EventHandler* handler, uint64_t tag) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule_lane: null handler");
  if (at < Time::ns(0)) throw std::logic_error("EventQueue::schedule_lane: negative time");
  if (lane_pending()) throw std::logic_error("EventQueue::schedule_lane: the lane already holds an event");
  const uint64_t seq = next_seq_++;
  lane_ = Entry{make_key(at, seq), handler, tag};
  return EventId{seq};
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

bool EventQueue::pop_until(Time limit, Event& out) {
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

// Bottom-up deletion (Floyd; Wegener's "bottom-up heapsort"): the hole left at the root walks down to a leaf along
// the smaller child (one key comparison per level, chosen without a branch), then the last entry fills the hole and
// sifts up, usually by zero or one level since it came from the bottom. The classic sift-down compares twice per
// level and mispredicts the "stop here?" branch about half the time; it was 19% of flash-sale's profile.
EventQueue::Entry EventQueue::pop_head() {
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

void EventQueue::sift_up(size_t i) {
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
