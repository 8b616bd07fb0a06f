#include "cachelab/core/simulation.hpp"

#include <stdexcept>
#include <string>

namespace cachelab {

EventId Simulation::at_reserved(Time at, uint64_t seq, EventHandler* h, uint64_t tag) {
  if (at < now_) past(at);
  return queue_.schedule_reserved(at, seq, h, tag);
}

void Simulation::past(Time at) const {
  throw std::logic_error("Simulation: event scheduled in the past (" + std::to_string(at.nanos()) + " ns < now " +
                         std::to_string(now_.nanos()) + " ns)");
}

EventId Simulation::at(Time t, std::function<void()> fn) {
  uint64_t slot;
  if (!free_closures_.empty()) {
    slot = free_closures_.back();
    free_closures_.pop_back();
    closures_[slot] = std::move(fn);
  } else {
    slot = closures_.size();
    closures_.push_back(std::move(fn));
  }
  return at(t, this, slot);
}

void Simulation::on_event(Time, uint64_t tag) {
  std::function<void()> fn = std::move(closures_[tag]);
  closures_[tag] = nullptr;
  free_closures_.push_back(tag);
  fn();
}

void Simulation::run_until(Time end) {
  stopped_ = false;
  Event e;
  while (!stopped_ && queue_.pop_until(end, e)) {
    now_ = e.time;
    ++processed_;
    e.handler->on_event(now_, e.tag);
  }
  if (!stopped_ && now_ < end) now_ = end;
}

}  // namespace cachelab
