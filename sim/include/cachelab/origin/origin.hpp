#pragma once
// The backing database as a queueing station: `servers` identical servers, one FIFO queue (optionally bounded),
// service times from a distribution, and a client-side timeout on queue + service. With exponential service and
// Poisson arrivals it is M/M/c, and its mean response time matches Erlang C (tests/unit/origin_test.cpp).
// It schedules through a Scheduler, so the same model runs in virtual time (the simulator) and in wall-clock time
// (live mode's WallScheduler).
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <vector>

#include "cachelab/client/backend.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

class Origin final : public OriginBackend, private EventHandler {
 public:
  using ReplyFn = std::function<void(uint32_t tag, OriginOutcome)>;
  Origin(Scheduler& sim, const OriginConfig& cfg, Recorder* recorder, Rng rng);
  void on_reply(ReplyFn fn) { reply_ = std::move(fn); }
  void query(bool write, uint64_t key, uint32_t tag) override;

  uint64_t outstanding() const { return busy_ + queue_.size() - abandoned_in_queue_; }
  uint64_t busy_servers() const { return busy_; }

 private:
  enum Kind : uint64_t { kDone = 0, kTimeout = 1 };
  struct Job {
    uint32_t tag;
    Time issued;
    uint32_t gen;       // slot generation, so a stale timeout event is recognised
    bool waiting;       // in the queue
    bool abandoned;     // the client gave up (its timeout fired); the server still finishes the work
    bool timer;         // a timeout event is pending for this generation
  };
  void on_event(Time now, uint64_t tag) override;
  void start_service(uint32_t job);
  uint32_t new_job(uint32_t tag);
  void arm_timer(uint32_t job);
  void report_load();

  Scheduler& sim_;
  Recorder* rec_;
  std::unique_ptr<RealDist> service_ms_;
  Rng rng_;
  uint32_t servers_;
  Time timeout_;
  uint64_t queue_limit_;
  ReplyFn reply_;
  std::vector<Job> jobs_;
  std::vector<uint32_t> free_jobs_;
  std::deque<uint32_t> queue_;
  uint64_t abandoned_in_queue_ = 0;
  uint32_t busy_ = 0;
};

}  // namespace cachelab
