#pragma once
// The backing database as a queueing station: `servers` identical servers, one FIFO queue (optionally bounded),
// service times from a distribution (one for reads, optionally another for writes), and a client-side timeout on queue + service. With exponential service and
// Poisson arrivals it is M/M/c, and its mean response time matches Erlang C (tests/unit/origin_test.cpp).
// It schedules through a Scheduler, so the same model runs in virtual time (the simulator) and in wall-clock time
// (live mode's WallScheduler).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "cachelab/protocol/backend.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/origin/versions.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

class Origin final : public OriginBackend, private EventHandler {
 public:
  using ReplyFn = std::function<void(uint32_t tag, OriginOutcome)>;
  Origin(Scheduler& sim, const OriginConfig& cfg, Recorder* recorder, Rng rng);
  void on_reply(ReplyFn fn) { reply_ = std::move(fn); }
  // Told when a server takes a query (for following requests, client/request_tracer.hpp): the query's tag, when it
  // was issued, when its service starts and how long it takes. Watches only: nothing is drawn or scheduled for it.
  using ServiceObserver = void (*)(void* ctx, uint32_t tag, Time issued, Time start, Time service);
  void on_service(ServiceObserver fn, void* ctx) {
    service_obs_ = fn;
    service_ctx_ = ctx;
  }
  void query(bool write, uint64_t key, uint32_t tag) override;
  // The version of every key (versions.hpp): the client logic records each write it applies and each value it reads.
  KeyVersions* versions() override { return &versions_; }

  uint64_t outstanding() const { return busy_ + queue_.size() - abandoned_in_queue_; }
  uint64_t busy_servers() const { return busy_; }

 private:
  enum Kind : uint64_t { kDone = 0, kTimeout = 1 };
  struct Job {
    uint32_t tag;
    Time issued;
    uint32_t gen;    // slot generation, so a stale timeout event is recognised
    bool waiting;    // in the queue
    bool abandoned;  // the client gave up (its timeout fired); the server still finishes the work
    bool timer;      // a timeout event is pending for this generation
    bool write;      // served with the write service time
  };
  void on_event(Time now, uint64_t tag) override;
  void start_service(uint32_t job);
  uint32_t new_job(uint32_t tag, bool write);
  void arm_timer(uint32_t job);
  void report_load();
  void schedule_next_timer();

  Scheduler& sim_;
  Recorder* rec_;
  std::unique_ptr<RealDist> service_ms_;        // reads
  std::unique_ptr<RealDist> write_service_ms_;  // writes; null = service_ms_
  Rng rng_;
  uint32_t servers_;
  Time timeout_;
  uint64_t queue_limit_;
  ReplyFn reply_;
  ServiceObserver service_obs_ = nullptr;
  void* service_ctx_ = nullptr;
  std::vector<Job> jobs_;
  std::vector<uint32_t> free_jobs_;
  std::deque<uint32_t> queue_;
  // Client-side timeouts, in deadline order. Every timer is armed at (now + timeout) with one timeout for all jobs,
  // so deadlines arrive in order and a FIFO replaces one heap event per job; only the earliest live deadline has an
  // event. (Under a saturated origin thousands of queued jobs each held a 1 s timer event, which made the event
  // heap four times larger than the requests in flight.)
  struct Timer {
    Time at;
    uint32_t job;
    uint32_t gen;
  };
  std::deque<Timer> timers_;
  bool timer_event_ = false;  // an event is scheduled for timers_.front()
  uint64_t abandoned_in_queue_ = 0;
  uint32_t busy_ = 0;
  KeyVersions versions_;
};

}  // namespace cachelab
