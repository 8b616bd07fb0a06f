// Reads from replicas (clients.read_from, issue 16 part 5; client_logic.hpp ReadFrom). A cluster client that reads
// from replicas opens its replica connections with READONLY, then sends a read for a slot to a replica of the
// slot's master: the replica serves it from its own copy (docs/redis-reference.md §2.2 step 9), which the asynchronous
// replication stream keeps behind the master (§6), so a value the master has already replaced or deleted may still
// be served (counted as replica stale reads). A replica whose master does not own the slot answers MOVED, followed as
// for any read. Writes, fills and locks always go to the master.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

uint32_t ClientLogic::replica_of(uint32_t master) {
  const int r = opt_.replicas_per_master;
  if (r <= 0 || master >= static_cast<uint32_t>(opt_.masters)) return UINT32_MAX;
  // Round-robin over the master's replicas (Lettuce's REPLICA picks among them; with one replica there is no choice).
  const uint32_t pick = r == 1 ? 0u : replica_rr_++ % static_cast<uint32_t>(r);
  return static_cast<uint32_t>(opt_.masters) + master * static_cast<uint32_t>(r) + pick;
}

// replica_preferred: a replica that does not answer (refused, timed out, CLUSTERDOWN) is skipped and the read goes
// to the master at once, as Lettuce's REPLICA_PREFERRED falls back to the upstream; `replica` reports the failure.
bool ClientLogic::replica_fallback(uint32_t tag, const CacheReply& reply) {
  if (opt_.read_from != ReadFrom::ReplicaPreferred) return false;
  if (reply.kind != ReplyKind::Connection && reply.kind != ReplyKind::Timeout && reply.kind != ReplyKind::ClusterDown)
    return false;
  Pending& p = slots_[tag];
  p.route = kRouteMaster;
  if (measured()) ++stats_.replica_fallbacks;
  send(tag, p.cmd);
  return true;
}

}  // namespace cachelab
