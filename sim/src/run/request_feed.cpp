#include "request_feed.hpp"

namespace cachelab {

namespace {
constexpr uint64_t kStart = uint64_t{1} << 32;        // closed loop, tag bit: start the session's drawn request
constexpr uint64_t kOpenArrival = uint64_t{1} << 33;  // closed loop beside open-loop streams: their next arrival
constexpr uint64_t kPoll = 1, kTopUp = 2;             // saturating: the periodic top-up and one after a completion
constexpr Time kPollPeriod = Time::ms(1);             // a completion whose slot is still busy (a fill) frees it later
}  // namespace

RequestFeed::RequestFeed(Scheduler& sched, WorkloadGenerator& gen, ClientLogic& client, Recorder& rec, HotSpots& hot,
                         Time end, int saturate_concurrency, const std::vector<std::unique_ptr<RunMetric>>& metrics)
    : sched_(sched),
      gen_(gen),
      client_(client),
      rec_(rec),
      hot_(hot),
      end_(end),
      mode_(saturate_concurrency > 0 ? Mode::Saturate
            : gen.closed_loop()      ? Mode::Closed
                                     : Mode::Open),
      metrics_(metrics) {
  switch (mode_) {
    case Mode::Closed:
      session_next_.resize(gen_.sessions());
      for (uint32_t s = 0; s < gen_.sessions(); ++s) sched_.at(Time::ns(0), this, s);
      for (size_t i = 0; i < gen_.stream_count(); ++i) closed_stream_.push_back(gen_.stream_closed(i) ? 1 : 0);
      if (gen_.has_open()) {  // open-loop streams beside the sessions: their arrivals as in Mode::Open
        open_tag_ = kOpenArrival;
        start_open();
      }
      return;
    case Mode::Saturate:
      concurrency_ = static_cast<size_t>(saturate_concurrency);
      have_next_ = gen_.next(next_, Time::max());
      sched_.at(Time::ns(0), this, kPoll);
      return;
    case Mode::Open:
      start_open();
      return;
  }
}

void RequestFeed::start_open() {
  // One arrival pending at a time (the queue's lane), the stream drawn kAhead requests ahead.
  while (count_ < kAhead && gen_.next(ahead_[(head_ + count_) % kAhead], end_)) {
    client_.prefetch(ahead_[(head_ + count_) % kAhead]);
    ++count_;
  }
  if (count_ > 0) sched_.at_lane(ahead_[head_].due, this, open_tag_);
}

void RequestFeed::completed(const Request& r, Time done) {
  // The session's next request, drawn after this returns (a request of an open-loop stream has no session).
  if (mode_ == Mode::Closed && closed_stream_[r.stream]) sched_.at(done, this, r.session);
  if (mode_ == Mode::Saturate) sched_.at(done, this, kTopUp);
}

void RequestFeed::on_event(Time now, uint64_t tag) {
  switch (mode_) {
    case Mode::Open:
      return on_open<0>();
    case Mode::Closed:
      if (tag == kOpenArrival) return on_open<kOpenArrival>();
      return on_closed(now, tag);
    case Mode::Saturate:
      return on_saturate(now, tag);
  }
}

template <uint64_t kTag>
void RequestFeed::on_open() {
  Request& r = ahead_[head_];
  issue(r);
  // Refill the slot just used. The stream is a pure function of the workload and the seed, so drawing it ahead
  // changes nothing but when the draws happen; it lets the per-key state of a request be prefetched kAhead
  // arrivals before it starts (one arrival ahead was too late: the slot memo's cache miss was 5% of flash-sale).
  if (gen_.next(r, end_)) {
    client_.prefetch(r);
  } else {
    --count_;
  }
  head_ = (head_ + 1) % kAhead;
  if (count_ > 0) sched_.at_lane(ahead_[head_].due, this, kTag);
}

void RequestFeed::on_closed(Time now, uint64_t tag) {
  const auto s = static_cast<uint32_t>(tag);
  Request& r = session_next_[s];
  if (!(tag & kStart)) {
    if (!gen_.next_for(s, now, r, end_)) return;  // the session is done: its next request would be past the end
    if (r.due > now) {
      sched_.at(r.due, this, tag | kStart);
      return;
    }
  }
  issue(r);
}

void RequestFeed::on_saturate(Time now, uint64_t tag) {
  // The scheduler's clock, not the event's time: in wall-clock time a late timer issues at the moment it runs.
  const Time t = sched_.now();
  while (have_next_ && t < end_ && client_.in_flight() < concurrency_) {
    next_.due = t;
    issue(next_);
    have_next_ = gen_.next(next_, Time::max());
  }
  if (tag == kPoll && have_next_ && now < end_) sched_.at(now + kPollPeriod, this, kPoll);
}

}  // namespace cachelab
