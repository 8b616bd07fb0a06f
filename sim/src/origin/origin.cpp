#include "cachelab/origin/origin.hpp"

#include <algorithm>

namespace cachelab {

Origin::Origin(Scheduler& sim, const OriginConfig& cfg, Recorder* recorder, Rng rng)
    : sim_(sim),
      rec_(recorder),
      service_ms_(make_dist(cfg.service_ms)),
      write_service_ms_(cfg.write_service_ms.is_null() ? nullptr : make_dist(cfg.write_service_ms)),
      rng_(rng),
      servers_(static_cast<uint32_t>(cfg.servers)),
      timeout_(Time::from_seconds(cfg.timeout_ms / 1000.0)),
      queue_limit_(cfg.queue_limit) {}

uint32_t Origin::new_job(uint32_t tag, bool write) {
  uint32_t j;
  if (!free_jobs_.empty()) {
    j = free_jobs_.back();
    free_jobs_.pop_back();
    const uint32_t gen = jobs_[j].gen;  // already advanced when the slot was freed
    jobs_[j] = Job{tag, sim_.now(), gen, false, false, false, write};
  } else {
    j = static_cast<uint32_t>(jobs_.size());
    jobs_.push_back(Job{tag, sim_.now(), 0, false, false, false, write});
  }
  return j;
}

void Origin::report_load() {
  if (rec_) rec_->origin_load(outstanding(), queue_.size() - abandoned_in_queue_, sim_.now());
}

void Origin::query(bool write, uint64_t, uint32_t tag) {
  if (busy_ < servers_) {
    const uint32_t j = new_job(tag, write);
    start_service(j);
    report_load();
    return;
  }
  if (queue_limit_ && queue_.size() - abandoned_in_queue_ >= queue_limit_) {
    if (rec_) rec_->origin_finished(sim_.now(), sim_.now(), OriginOutcome::Rejected);
    reply_(tag, OriginOutcome::Rejected);
    return;
  }
  const uint32_t j = new_job(tag, write);
  jobs_[j].waiting = true;
  queue_.push_back(j);
  arm_timer(j);
  report_load();
}

void Origin::arm_timer(uint32_t j) {
  // The timer carries the job's generation: once the slot is reused, the old timer is recognised and ignored.
  jobs_[j].timer = true;
  const Timer t{jobs_[j].issued + timeout_, j, jobs_[j].gen};
  if (timers_.empty() || !(t.at < timers_.back().at)) {
    timers_.push_back(t);
  } else {  // not expected (see origin.hpp), but keep the order if it happens
    auto it = std::upper_bound(timers_.begin(), timers_.end(), t.at, [](Time a, const Timer& b) { return a < b.at; });
    if (it == timers_.begin()) timer_event_ = false;  // the pending event is too late for it: add an earlier one
    timers_.insert(it, t);
  }
  schedule_next_timer();
}

// Drops stale timers at the front and makes sure the earliest live one has an event.
void Origin::schedule_next_timer() {
  while (!timers_.empty()) {
    const Timer& t = timers_.front();
    const Job& job = jobs_[t.job];
    if (job.gen == t.gen && job.timer && !job.abandoned) break;
    timers_.pop_front();
  }
  if (timers_.empty() || timer_event_) return;
  timer_event_ = true;
  sim_.at(timers_.front().at, this, kTimeout);
}

void Origin::start_service(uint32_t j) {
  ++busy_;
  jobs_[j].waiting = false;
  const RealDist& dist = jobs_[j].write && write_service_ms_ ? *write_service_ms_ : *service_ms_;
  const Time service = Time::saturated_ns(dist.sample(rng_) * 1e6 + 0.5);
  sim_.at(sim_.now() + service, this, (uint64_t{j} << 2) | kDone);
  if (service_obs_) service_obs_(service_ctx_, jobs_[j].tag, jobs_[j].issued, sim_.now(), service);
  // The client stops waiting at issued + timeout even if the server is still working.
  if (!jobs_[j].timer && sim_.now() + service > jobs_[j].issued + timeout_) arm_timer(j);
}

void Origin::on_event(Time now, uint64_t ev) {
  if ((ev & 3) == kTimeout) {
    timer_event_ = false;
    while (!timers_.empty() && !(now < timers_.front().at)) {
      const Timer t = timers_.front();
      timers_.pop_front();
      Job& job = jobs_[t.job];
      if (job.gen != t.gen || job.abandoned || !job.timer) continue;
      job.timer = false;
      job.abandoned = true;
      if (job.waiting) ++abandoned_in_queue_;  // stays queued; skipped and freed when it reaches the head
      if (rec_) rec_->origin_finished(job.issued, now, OriginOutcome::Timeout);
      reply_(job.tag, OriginOutcome::Timeout);
    }
    schedule_next_timer();
    return;
  }
  // kDone: a server finishes.
  const uint32_t j = static_cast<uint32_t>((ev >> 2) & 0xFFFFFFFFull);
  Job& job = jobs_[j];
  --busy_;
  const bool replied = job.abandoned;
  const uint32_t tag = job.tag;
  const Time issued = job.issued;
  job.timer = false;  // a pending timer of this generation is now stale
  job.gen = (job.gen + 1) & 0x3FFFFFFF;
  free_jobs_.push_back(j);
  // Serve the next live job before replying, so the reply's follow-up sees a consistent origin.
  while (!queue_.empty()) {
    const uint32_t next = queue_.front();
    queue_.pop_front();
    if (jobs_[next].abandoned) {
      --abandoned_in_queue_;
      jobs_[next].gen = (jobs_[next].gen + 1) & 0x3FFFFFFF;
      free_jobs_.push_back(next);
      continue;
    }
    start_service(next);
    break;
  }
  report_load();
  if (replied) return;
  if (rec_) rec_->origin_finished(issued, now, OriginOutcome::Ok);
  reply_(tag, OriginOutcome::Ok);
}

}  // namespace cachelab
