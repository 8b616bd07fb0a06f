// Cache warming at start (clients.warm.top_keys): before the application's traffic finds a cold cache, each client
// instance's start-up job loads the K most popular keys from the origin and SETs them, a few loads at a time
// (clients.warm.concurrency). The loads go through the same origin as misses do, so the start-up load on the origin
// shows in series.csv; they are not application requests (nothing recorded as a request, no latency), and they are
// counted apart (summary clients.warm) rather than as read loads per expiry. A failed load is not retried.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::warm(std::vector<Request> keys) {
  if (opt_.pattern == Pattern::NoCache) return;  // nothing to fill
  warm_keys_ = std::move(keys);
  warm_next_ = 0;
  warm_issue();
}

void ClientLogic::warm_issue() {
  while (warm_in_flight_ < opt_.warm_concurrency && warm_next_ < warm_keys_.size()) {
    const uint32_t tag = acquire(warm_keys_[warm_next_++], Stage::ReadLoad);
    Pending& p = slots_[tag];
    p.flags = kWarm | kBackground;  // kBackground: finish() records nothing
    p.load_start = clock_.now();
    ++warm_in_flight_;
    ++stats_.warm_loads;
    rec_.origin_started(false, clock_.now());
    origin_.query(false, p.req.key, tag);
  }
}

void ClientLogic::warm_done(uint32_t tag) {
  (void)tag;
  --warm_in_flight_;
  warm_issue();
}

}  // namespace cachelab
