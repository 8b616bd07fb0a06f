// Multi-key reads (MGET over a hash-tagged group, issue 16 part 1). Cache-aside as applications write it: MGET the
// keys; the ones the cache had are served, the missing ones are loaded from the database in one batch query, the
// application has its values when that query answers, and then each missing key is written back.
//
// The write-back is one SET per missing key, all sent at once (pipelined on the connection, no wait between them),
// with the key's own TTL (PX, jitter applied per key as for a single-key fill). Not MSET: MSET takes no TTL, so with
// TTLs it would need an EXPIRE per key anyway (or leave keys that never expire); and the missing keys of a group
// are in general not a consecutive run, which is the only form our MSET command has. Redis runs each SET as its own
// command (one service time each, in the simulator and for real), so the node pays per key either way.
//
// Hits and misses: the request is a hit when every key was cached (summary `hits` / `hit_ratio`, unchanged), and each
// key is counted too (summary `key_hits` / `key_misses` / `key_hit_ratio`; results/README.md). An MGET whose cache
// command failed (timeout, connection, CLUSTERDOWN, CROSSSLOT) counts all its keys as missed.
// Staleness: the values an MGET serves from the cache are not checked against the database's versions (the reply
// carries no version per key); the fills carry the version each key was loaded at, so later GETs are checked.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::on_mget_reply(uint32_t tag, const CacheReply& reply) {
  Pending& p = slots_[tag];
  const uint32_t n = p.req.key_count;
  if (reply.kind == ReplyKind::Value) {
    rec_.keys_read(p.req, n, 0);
    finish(tag, true, FailCause::None);
    release(tag);
    return;
  }
  const bool answered = reply.kind == ReplyKind::Ok || reply.kind == ReplyKind::Nil;
  const uint32_t found = answered ? reply.found : 0u;
  rec_.keys_read(p.req, found, n - found);
  if (reply.kind == ReplyKind::CrossSlot) {  // an application error: no fallback makes sense
    finish(tag, false, FailCause::Cache);
    release(tag);
    return;
  }
  // Some or all keys missing, or the cache failed: one batch query loads the missing ones.
  p.found_mask = answered ? reply.found_mask : 0;
  p.stage = Stage::MGetLoad;
  // The database's snapshot of the keys is taken now (see load()): the write sequence number stands for it (a key's
  // version then is at most that number, and every later write of it is above it: the same comparisons).
  p.version = versions_ ? versions_->writes() : 0;
  rec_.origin_started(false, clock_.now(), p.req.stream);
  trace(tag, RequestTracer::HopKind::DbQuery, 0, 0);
  origin_.query(false, p.req.key, tag);
}

void ClientLogic::mget_loaded(uint32_t tag, bool ok) {
  finish(tag, false, ok ? FailCause::None : FailCause::Origin);
  if (!ok || opt_.pattern == Pattern::NoCache) {
    release(tag);
    return;
  }
  const Request r = slots_[tag].req;
  const uint64_t mask = slots_[tag].found_mask;
  const uint32_t snapshot = slots_[tag].version;
  release(tag);
  for (uint32_t i = 0; i < r.key_count; ++i) {
    if (i < 64 && (mask >> i & 1)) continue;
    Request k = r;
    k.op = Op::Read;
    k.key = r.key + i;
    k.key_count = 1;
    const uint32_t fill = acquire(k, Stage::MGetFill);
    Pending& f = slots_[fill];
    f.flags = kAnswered;  // the application already has its values: nothing more to record for the request
    // The key's version when the batch query was sent (or the sequence number then, if it was written since).
    f.version = versions_ ? std::min(versions_->current(k.key), snapshot) : 0;
    f.ttl_ms = fill_ttl_ms(k.ttl_ms);
    if (measured()) ++stats_.mget_fills;
    send(fill, CacheCmd::Set);
  }
}

}  // namespace cachelab
