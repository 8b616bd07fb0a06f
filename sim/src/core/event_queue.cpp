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

void EventQueue::cancel(EventId id) {
  if (!id || id.seq >= next_seq_) return;
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
  return heap_.empty();
}

Time EventQueue::next_time() {
  drop_cancelled_head();
  return Time::ns(static_cast<int64_t>(heap_.front().key >> 64));
}

Event EventQueue::pop() {
  drop_cancelled_head();
  return to_event(pop_head());
}

bool EventQueue::pop_until(Time limit, Event& out) {
  if (!cancelled_.empty()) drop_cancelled_head();
  if (heap_.empty() || static_cast<int64_t>(heap_.front().key >> 64) > limit.nanos()) return false;
  out = to_event(pop_head());
  return true;
}

EventQueue::Entry EventQueue::pop_head() {
  Entry top = heap_.front();
  heap_.front() = heap_.back();
  heap_.pop_back();
  if (!heap_.empty()) sift_down(0);
  return top;
}

void EventQueue::sift_down(size_t i) {
  const size_t n = heap_.size();
  const Entry e = heap_[i];
  for (;;) {
    const size_t first = kArity * i + 1;
    if (first >= n) break;
    size_t best = first;
    const size_t end = first + kArity < n ? first + kArity : n;
    for (size_t c = first + 1; c < end; ++c)
      if (heap_[c].key < heap_[best].key) best = c;
    if (!(heap_[best].key < e.key)) break;
    heap_[i] = heap_[best];
    i = best;
  }
  heap_[i] = e;
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
