#pragma once
// A Simulation: the virtual clock, the event queue and the master seed. An ordinary object with no globals, so two
// can run in one process (tests and sweeps do). Components hold a reference to it and schedule their own events.
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "cachelab/core/event_queue.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

class Simulation final : public Scheduler, private EventHandler {
 public:
  explicit Simulation(uint64_t seed) : seed_(seed) {}
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  Time now() const override { return now_; }
  uint64_t seed() const { return seed_; }
  // A subsystem's own random stream ("workload", "network", "eviction/master-1", ...).
  Rng stream(std::string_view name) const { return Rng::stream(seed_, name); }

  // REQUIRES: at >= now() (an event in the past is a logic error and throws). Inline: the request path schedules
  // several events per request.
  EventId at(Time at, EventHandler* h, uint64_t tag) override {
    if (at < now_) past(at);
    return queue_.schedule(at, h, tag);
  }
  EventId after(Time delay, EventHandler* h, uint64_t tag) { return at(now_ + delay, h, tag); }
  // The one source with at most one event pending at a time (the request driver) may use the queue's lane: same
  // order as at(), without the heap (EventQueue::schedule_lane).
  EventId at_lane(Time at, EventHandler* h, uint64_t tag) override {
    if (at < now_) past(at);
    return queue_.schedule_lane(at, h, tag);
  }
  // For rare control events (metrics ticks, faults): a closure. Hot paths use handler + tag, which never allocates.
  EventId at(Time at, std::function<void()> fn);
  void cancel(EventId id) { queue_.cancel(id); }
  // A source with its own calendar (EventQueue::reserve_seq): the sequence number at() would take now, and at() with
  // such a number later. REQUIRES: at >= now(); each number used once.
  uint64_t reserve_seq() { return queue_.reserve_seq(); }
  EventId at_reserved(Time at, uint64_t seq, EventHandler* h, uint64_t tag);

  // Runs every event with time <= end in (time, sequence) order, then sets now() = end. Returns early, with now()
  // at the last event run, if stop() is called from an event.
  void run_until(Time end);
  void stop() { stopped_ = true; }
  bool stopped() const { return stopped_; }
  uint64_t events_processed() const { return processed_; }
  size_t pending() const { return queue_.size(); }

 private:
  void on_event(Time now, uint64_t tag) override;
  [[noreturn]] void past(Time at) const;

  uint64_t seed_;
  Time now_;
  EventQueue queue_;
  uint64_t processed_ = 0;
  bool stopped_ = false;
  std::vector<std::function<void()>> closures_;
  std::vector<uint64_t> free_closures_;
};

}  // namespace cachelab
