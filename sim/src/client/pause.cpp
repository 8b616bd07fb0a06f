// Client pauses (the client_pause fault, issue 16 part 8): an application instance stops, as in a stop-the-world GC
// pause, and a lock it holds can outlive its lease ("a lock held past its TTL"): another instance takes the lock
// while the paused one still believes it holds it, and DELs the other's lock when it wakes.
//
// The mechanism: a gate at the client logic's entry points. New requests (start), cache replies, origin replies,
// slot-map answers and timers are the only ways the world reaches an instance, in both back-ends; while the instance
// is paused each is kept, in arrival order, and handed to the same entry point when the pause ends. That is what a
// stopped process sees: its callers' requests queue (a request keeps its due time, so its latency includes the
// wait), replies sit unread in its sockets (a pooled connection stays busy until its reply is read), and timers
// that came due fire on wake-up. The rest of the world runs on: Redis expires the lock (its PX lease), other
// instances carry on, and the paused instance's commands already sent are served. Nothing inside the request state
// machines changes, and neither back-end needs to know: freezing the instance's timers and sockets instead would be
// back-end code twice (the simulated network, live mode's connections) for the same behaviour.
#include <stdexcept>

#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::pause_instance(uint16_t client, Time duration) {
  if (!timers_) throw std::logic_error("a client pause needs timers");
  if (client >= opt_.instances || duration <= Time::ns(0)) return;
  if (paused_until_.empty()) {
    paused_until_.assign(static_cast<size_t>(opt_.instances), Time::ns(0));
    deferred_.resize(static_cast<size_t>(opt_.instances));
  }
  const Time end = clock_.now() + duration;
  if (!paused(client))
    ++paused_count_;
  else if (end <= paused_until_[client])
    return;  // within the pause already running
  paused_until_[client] = end;
  timers_->at(end, this, (uint64_t{client} << 3) | kResume);
}

void ClientLogic::resume_instance(uint16_t client) {
  // A pause extended by a later one ends at that one's kResume.
  if (!paused(client) || clock_.now() < paused_until_[client]) return;
  paused_until_[client] = Time::ns(0);
  --paused_count_;
  std::deque<DeferredItem> q;
  q.swap(deferred_[client]);
  for (DeferredItem& d : q) {
    switch (d.what) {
      case Deferred::Start:
        start(d.req);
        break;
      case Deferred::CacheReply:
        on_cache_reply(d.tag, d.reply);
        break;
      case Deferred::OriginReply:
        on_origin_reply(d.tag, d.outcome);
        break;
      case Deferred::Timer:
        on_timer(d.arg);
        break;
      case Deferred::L1Drop:
        l1_drop(client, d.arg);
        break;
      case Deferred::Slots:
        on_slots(client, d.owners);
        break;
    }
  }
}

}  // namespace cachelab
