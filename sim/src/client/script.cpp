// Server-side scripts (docs/redis-reference.md §11): an ops script request runs workload.script.calls INCR over its
// keys in turn, as a rate limiter or an atomic update of several counters does. Written once for both back-ends:
//  - script_mode evalsha: one EVALSHA with the keys and the number of calls (live mode loads the script with SCRIPT
//    LOAD on each connection; the simulated node runs it, cluster/script_cost.hpp). One round trip, and the node
//    runs every call back to back: no other client's command runs in between (atomic).
//  - script_mode round_trips: the same calls as single INCR commands, each sent when the previous reply is in: K
//    round trips, each command queued behind whatever else reached the node meanwhile (not atomic: another client
//    can read the keys half-updated).
// A failed command (timeout, CROSSSLOT, OOM, ...) ends the request as failed; redirections and retries follow the
// usual rules per command. The request's latency runs from its due time to the last reply; it counts as a write.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::start_script(uint32_t tag) {
  send(tag, slots_[tag].stage == Stage::Script ? CacheCmd::Eval : CacheCmd::Incr);
}

void ClientLogic::on_script_reply(uint32_t tag, bool error) {
  Pending& p = slots_[tag];
  if (!error && p.stage == Stage::ScriptStep && ++p.found_mask < std::max<uint32_t>(1, p.req.value_bytes)) {
    p.redirects = 0;  // the next call is a new command: its own redirections and retries
    p.attempts = 0;
    send(tag, CacheCmd::Incr);
    return;
  }
  finish(tag, false, error ? FailCause::Cache : FailCause::None);
  release(tag);
}

}  // namespace cachelab
