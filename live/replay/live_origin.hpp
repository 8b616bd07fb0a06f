#pragma once
// The origin model of sim/include/cachelab/origin/origin.hpp in wall-clock time: `servers` servers, one FIFO queue
// (queue_limit, 0 = unbounded), service times from the scenario's origin.service_ms drawn from the "origin" stream
// of the seed, a client-side timeout on queue + service. Timers are a min-heap the live Driver polls between
// socket waits, so it runs in the same loop as the cache connections. It reports to the same Recorder as Origin.
#include <cstdint>
#include <deque>
#include <memory>
#include <queue>
#include <vector>

#include "cachelab/client/backend.hpp"
#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab::live {

class LiveOrigin final : public OriginBackend {
 public:
  LiveOrigin(const OriginConfig& cfg, Recorder& rec, Rng rng, const Clock& clock);
  void attach(ClientLogic* client) { client_ = client; }
  void query(bool write, uint64_t key, uint32_t tag) override;
  // Fires every timer due by `now` (service completions, client timeouts).
  void advance(Time now);
  Time next_timer() const { return timers_.empty() ? Time::max() : timers_.top().at; }
  uint64_t outstanding() const { return busy_ + queue_.size() - abandoned_in_queue_; }

 private:
  struct Job {
    uint32_t tag;
    Time issued;
    uint32_t gen;
    bool waiting, abandoned, timer;
  };
  struct Timer {
    Time at;
    uint64_t seq;  // equal times fire in insertion order, as the simulator's events do
    uint32_t job, gen;
    bool timeout;
    bool operator>(const Timer& o) const { return at != o.at ? at > o.at : seq > o.seq; }
  };
  uint32_t new_job(uint32_t tag);
  void start_service(uint32_t j);
  void arm_timeout(uint32_t j);
  void report_load();
  void push(Time at, uint32_t j, bool timeout) { timers_.push(Timer{at, seq_++, j, jobs_[j].gen, timeout}); }

  Recorder& rec_;
  const Clock& clock_;
  ClientLogic* client_ = nullptr;
  std::unique_ptr<RealDist> service_ms_;
  Rng rng_;
  uint32_t servers_;
  Time timeout_;
  uint64_t queue_limit_;
  std::vector<Job> jobs_;
  std::vector<uint32_t> free_jobs_;
  std::deque<uint32_t> queue_;
  uint64_t abandoned_in_queue_ = 0;
  uint32_t busy_ = 0;
  uint64_t seq_ = 0;
  std::priority_queue<Timer, std::vector<Timer>, std::greater<Timer>> timers_;
};

}  // namespace cachelab::live
