#include "cachelab/core/event_queue.hpp"

#include <stdexcept>

namespace cachelab {

EventId EventQueue::schedule(Time at, EventHandler* handler, uint64_t tag) {
  if (handler == nullptr) throw std::logic_error("EventQueue::schedule: null handler");
  const uint64_t seq = next_seq_++;
  heap_.push_back(Event{at, seq, handler, tag});
  sift_up(heap_.size() - 1);
  return EventId{seq};
}

void EventQueue::cancel(EventId id) {
  if (!id || id.seq >= next_seq_) return;
  cancelled_.insert(id.seq);
  // Cancelling an event that already ran leaves a seq that matches nothing; prune those when the set outgrows
  // the heap, so the set stays bounded by the number of pending events.
  if (cancelled_.size() > heap_.size()) {
    std::unordered_set<uint64_t> live;
    for (const Event& e : heap_)
      if (cancelled_.count(e.seq)) live.insert(e.seq);
    cancelled_.swap(live);
  }
}

void EventQueue::drop_cancelled_head() {
  while (!heap_.empty() && !cancelled_.empty()) {
    auto it = cancelled_.find(heap_.front().seq);
    if (it == cancelled_.end()) return;
    cancelled_.erase(it);
    pop_head();
  }
}

bool EventQueue::empty() {
  drop_cancelled_head();
  return heap_.empty();
}

Time EventQueue::next_time() {
  drop_cancelled_head();
  return heap_.front().time;
}

Event EventQueue::pop() {
  drop_cancelled_head();
  return pop_head();
}

Event EventQueue::pop_head() {
  Event top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return top;
}

void EventQueue::sift_up(size_t i) {
  Event e = heap_[i];
  while (i > 0) {
    size_t parent = (i - 1) / 4;
    if (!before(e, heap_[parent])) break;
    heap_[i] = heap_[parent];
    i = parent;
  }
  heap_[i] = e;
}

void EventQueue::sift_down(size_t i) {
  const size_t n = heap_.size();
  Event e = heap_[i];
  for (;;) {
    size_t first = 4 * i + 1;
    if (first >= n) break;
    size_t best = first;
    size_t last = first + 4 < n ? first + 4 : n;
    for (size_t c = first + 1; c < last; ++c)
      if (before(heap_[c], heap_[best])) best = c;
    if (!before(heap_[best], e)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
}

}  // namespace cachelab
