#pragma once
// What a model needs to schedule its own events: the current time and "call this handler at that time".
// The Simulation provides it in virtual time; live mode provides it in wall-clock time (WallScheduler below), so a
// model such as the origin database is written once and runs in both.
#include <chrono>

#include "cachelab/core/event_queue.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

class Scheduler {
 public:
  virtual ~Scheduler() = default;
  virtual Time now() const = 0;
  // REQUIRES: at >= now().
  virtual EventId at(Time at, EventHandler* h, uint64_t tag) = 0;
  // For the one source with at most one event pending at a time (the request feed, run/request_feed.cpp): the
  // Simulation keeps it out of its heap (EventQueue::schedule_lane), in the same order as at().
  virtual EventId at_lane(Time at, EventHandler* h, uint64_t tag) { return this->at(at, h, tag); }
};

// Wall-clock scheduling for live mode: a timer heap (the same (time, sequence) queue as the simulator) that the
// caller's poll loop drives: it sleeps until next_time() at most, then calls run_due().
// now() is read once per dispatch and kept until tick(): a timer's handler, or the replies of one socket read, see one
// instant, as redis-benchmark takes one timestamp per read event and leaves parsing out of the latency. Reading the
// clock for every question cost the driver ~15% of its CPU (several reads per request; issue 19 part 2). The poll
// loop ticks after each wake-up; run_due() ticks before each timer. read_clock() is always fresh and thread-safe
// (for other threads, and for code that measures how long something it waits for takes).
class WallScheduler final : public Scheduler {
 public:
  WallScheduler() : start_(std::chrono::steady_clock::now()) {}
  Time now() const override {
    if (!fresh_) {
      cached_ = read_clock();
      fresh_ = true;
    }
    return cached_;
  }
  Time read_clock() const {
    return Time::ns(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start_).count());
  }
  // A new dispatch begins: the next now() reads the clock.
  void tick() { fresh_ = false; }
  EventId at(Time at, EventHandler* h, uint64_t tag) override { return queue_.schedule(at, h, tag); }
  Time next_time() { return queue_.empty() ? Time::max() : queue_.next_time(); }
  // Runs every timer due by now, in (time, sequence) order; the handler sees its own scheduled time.
  void run_due() {
    Event e;
    for (;;) {
      tick();
      if (!queue_.pop_until(now(), e)) return;
      e.handler->on_event(e.time, e.tag);
    }
  }

 private:
  std::chrono::steady_clock::time_point start_;
  mutable Time cached_;
  mutable bool fresh_ = false;
  EventQueue queue_;
};

}  // namespace cachelab
