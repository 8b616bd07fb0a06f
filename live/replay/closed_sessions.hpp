#pragma once
// Closed-loop sessions in live mode (arrival.dist "closed"), as the simulator's Driver runs them: each session has
// one request at a time; when it completes, the session's next request is drawn (WorkloadGenerator::next_for) and
// becomes due a think time later. The Recorder's done hook runs inside the client logic, so it only notes which
// session finished when; the driver's loop draws and starts the requests (never re-entering the client logic).
#include <cstdint>
#include <queue>
#include <utility>
#include <vector>

#include "cachelab/metrics/recorder.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab::live {

class ClosedSessions {
 public:
  // Every session starts at time 0 (its first request is due one think time later).
  void attach(WorkloadGenerator& gen, Recorder& rec) {
    for (uint32_t s = 0; s < gen.sessions(); ++s) finished_.emplace_back(s, Time::ns(0));
    rec.set_done_hook([](void* self, const Request& r, Time done) {
      static_cast<ClosedSessions*>(self)->finished_.emplace_back(r.session, done);
    }, this);
  }
  // Draws the next request of each session that finished since the last call.
  void draw(WorkloadGenerator& gen, Time /*now*/, Time end) {
    for (const auto& [session, done] : finished_) {
      Request r;
      if (gen.next_for(session, done, r, end)) due_.push(r);
    }
    finished_.clear();
  }
  // The earliest drawn request due by `now`, if any.
  bool due(Time now, Request& out) {
    if (due_.empty() || due_.top().due > now) return false;
    out = due_.top();
    due_.pop();
    return true;
  }
  Time next_due() const { return due_.empty() ? Time::max() : due_.top().due; }

 private:
  struct Later {
    bool operator()(const Request& a, const Request& b) const {
      return a.due != b.due ? a.due > b.due : a.session > b.session;
    }
  };
  std::vector<std::pair<uint32_t, Time>> finished_;
  std::priority_queue<Request, std::vector<Request>, Later> due_;
};

}  // namespace cachelab::live
