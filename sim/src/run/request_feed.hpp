#pragma once
// Internal to the run session: feeds the request stream into the client logic through the world's scheduler, so the
// same code runs in virtual time and in wall-clock time.
//  - Open loop: one event per request at its due time (the scheduler's lane: one pending at a time), the stream
//    drawn kAhead requests ahead so each request's per-key state can be prefetched.
//  - Closed loop (arrival.dist "closed"): each session has one request at a time. When one completes (the client
//    logic's completion observer, via completed()) an event at that instant asks the generator for the session's
//    next request (due after its think time) and a second event starts it then; the observer itself never
//    re-enters the client logic. Open-loop streams beside closed-loop ones (workload.streams) arrive as in the open
//    loop, on the lane, tagged kOpenArrival.
//  - Saturating (live --closed-loop, a benchmark): `concurrency` requests in flight, each due when issued.
#include <array>
#include <cstdint>
#include <memory>
#include <vector>

#include "cachelab/client/client_logic.hpp"
#include "cachelab/core/scheduler.hpp"
#include "cachelab/metrics/hotspots.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/metrics/run_metric.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {

class RequestFeed final : private EventHandler {
 public:
  // Schedules the first arrival (or every session's start). `metrics` are told of every issued request.
  RequestFeed(Scheduler& sched, WorkloadGenerator& gen, ClientLogic& client, Recorder& rec, HotSpots& hot, Time end,
              int saturate_concurrency, const std::vector<std::unique_ptr<RunMetric>>& metrics);
  uint64_t issued() const { return issued_; }
  // An application request completed (from the client logic's completion observer).
  void completed(const Request& r, Time done);
  // Whether completed() needs to be called at all.
  bool wants_completions() const { return mode_ != Mode::Open; }

 private:
  enum class Mode { Open, Closed, Saturate };
  void on_event(Time now, uint64_t tag) override;
  template <uint64_t kTag>  // the lane event's tag: 0 (open loop), kOpenArrival (beside sessions)
  void on_open();
  void start_open();
  void on_closed(Time now, uint64_t tag);
  void on_saturate(Time now, uint64_t tag);
  void issue(const Request& r) {
    rec_.request_due(r.due);
    hot_.record(r);
    if (!metrics_.empty())
      for (const auto& m : metrics_) m->on_issued(r);
    client_.start(r);
    ++issued_;
  }

  Scheduler& sched_;
  WorkloadGenerator& gen_;
  ClientLogic& client_;
  Recorder& rec_;
  HotSpots& hot_;
  Time end_;
  Mode mode_;
  const std::vector<std::unique_ptr<RunMetric>>& metrics_;
  static constexpr size_t kAhead = 8;
  std::array<Request, kAhead> ahead_{};  // open loop: the next requests, in stream order from head_
  size_t head_ = 0, count_ = 0;
  uint64_t open_tag_ = 0;               // the lane event's tag: 0, or kOpenArrival beside sessions
  std::vector<uint8_t> closed_stream_;  // closed loop: per stream, whether it has sessions
  std::vector<Request> session_next_;   // closed loop: each session's drawn request until it starts
  size_t concurrency_ = 0;              // saturating
  Request next_{};
  bool have_next_ = false;
  uint64_t issued_ = 0;
};

}  // namespace cachelab
