#include "live/replay/live_origin.hpp"

namespace cachelab::live {

LiveOrigin::LiveOrigin(const OriginConfig& cfg, Recorder& rec, Rng rng, const Clock& clock)
    : rec_(rec),
      clock_(clock),
      service_ms_(make_dist(cfg.service_ms)),
      rng_(rng),
      servers_(static_cast<uint32_t>(cfg.servers)),
      timeout_(Time::from_seconds(cfg.timeout_ms / 1000.0)),
      queue_limit_(cfg.queue_limit) {}

uint32_t LiveOrigin::new_job(uint32_t tag) {
  const Time now = clock_.now();
  if (!free_jobs_.empty()) {
    const uint32_t j = free_jobs_.back();
    free_jobs_.pop_back();
    jobs_[j] = Job{tag, now, jobs_[j].gen, false, false, false};
    return j;
  }
  jobs_.push_back(Job{tag, now, 0, false, false, false});
  return static_cast<uint32_t>(jobs_.size() - 1);
}

void LiveOrigin::report_load() { rec_.origin_load(outstanding(), queue_.size() - abandoned_in_queue_, clock_.now()); }

void LiveOrigin::query(bool, uint64_t, uint32_t tag) {
  if (busy_ < servers_) {
    start_service(new_job(tag));
    report_load();
    return;
  }
  if (queue_limit_ && queue_.size() - abandoned_in_queue_ >= queue_limit_) {
    // Answered from advance() would be cleaner, but Origin answers a rejection at once too: same order.
    rec_.origin_finished(clock_.now(), clock_.now(), OriginOutcome::Rejected);
    client_->on_origin_reply(tag, OriginOutcome::Rejected);
    return;
  }
  const uint32_t j = new_job(tag);
  jobs_[j].waiting = true;
  queue_.push_back(j);
  arm_timeout(j);
  report_load();
}

void LiveOrigin::arm_timeout(uint32_t j) {
  jobs_[j].timer = true;
  push(jobs_[j].issued + timeout_, j, true);
}

void LiveOrigin::start_service(uint32_t j) {
  ++busy_;
  jobs_[j].waiting = false;
  const Time now = clock_.now();
  const Time service = Time::ns(static_cast<int64_t>(service_ms_->sample(rng_) * 1e6 + 0.5));
  push(now + service, j, false);
  if (!jobs_[j].timer && now + service > jobs_[j].issued + timeout_) arm_timeout(j);
}

void LiveOrigin::advance(Time now) {
  while (!timers_.empty() && timers_.top().at <= now) {
    const Timer t = timers_.top();
    timers_.pop();
    Job& job = jobs_[t.job];
    if (t.timeout) {
      if (job.gen != t.gen || job.abandoned || !job.timer) continue;  // stale: the slot moved on
      job.timer = false;
      job.abandoned = true;
      if (job.waiting) ++abandoned_in_queue_;
      rec_.origin_finished(job.issued, t.at, OriginOutcome::Timeout);
      client_->on_origin_reply(job.tag, OriginOutcome::Timeout);
      continue;
    }
    --busy_;
    const bool replied = job.abandoned;
    const uint32_t tag = job.tag;
    const Time issued = job.issued;
    job.timer = false;
    ++job.gen;
    free_jobs_.push_back(t.job);
    while (!queue_.empty()) {
      const uint32_t next = queue_.front();
      queue_.pop_front();
      if (jobs_[next].abandoned) {
        --abandoned_in_queue_;
        ++jobs_[next].gen;
        free_jobs_.push_back(next);
        continue;
      }
      start_service(next);
      break;
    }
    report_load();
    if (replied) continue;
    // Recorded at the timer's time, not when we noticed it: the loop's lateness is ours, not the database's.
    rec_.origin_finished(issued, t.at, OriginOutcome::Ok);
    client_->on_origin_reply(tag, OriginOutcome::Ok);
  }
}

}  // namespace cachelab::live
