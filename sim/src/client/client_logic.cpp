#include "cachelab/client/client_logic.hpp"

namespace cachelab {

ClientLogic::ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock,
                         SlotRouter router, WriteMode write_mode)
    : cache_(cache), origin_(origin), rec_(recorder), clock_(clock), router_(std::move(router)), write_mode_(write_mode),
      refreshing_(65536, 0) {}

uint32_t ClientLogic::acquire(const Request& r, Stage s) {
  uint32_t tag;
  if (!free_.empty()) {
    tag = free_.back();
    free_.pop_back();
    slots_[tag] = Pending{r, s, CacheCmd::Get, 0, UINT32_MAX, false};
  } else {
    tag = static_cast<uint32_t>(slots_.size());
    slots_.push_back(Pending{r, s, CacheCmd::Get, 0, UINT32_MAX, false});
  }
  return tag;
}

void ClientLogic::send(uint32_t tag, CacheCmd cmd) {
  Pending& p = slots_[tag];
  if (p.cmd != cmd) p.redirects = 0;  // a new command starts with a clean redirection count
  p.cmd = cmd;
  const Request& r = p.req;
  CacheCommand c;
  c.cmd = cmd;
  c.key = r.key;
  c.slot = router_.slot(r.key);
  c.asking = p.ask_node != UINT32_MAX;
  c.node = c.asking ? p.ask_node : router_.route(r.client, c.slot);
  p.ask_node = UINT32_MAX;  // ASKING is one-shot (ref. §2.3)
  // Hints only (no behaviour): this command's index bucket now, the previous command's entry (its bucket should be
  // in cache by now); both commands reach their nodes half a round trip later.
  cache_.prefetch(c.node, c.key);
  if (prev_node_ != UINT32_MAX) cache_.prefetch_entry(prev_node_, prev_key_);
  prev_node_ = c.node;
  prev_key_ = c.key;
  c.value_bytes = r.value_bytes;
  c.ttl_ms = r.ttl_ms;
  c.client = r.client;
  cache_.send(c, tag);
}

void ClientLogic::start(const Request& r) {
  if (r.op == Op::Read) {
    send(acquire(r, Stage::ReadGet), CacheCmd::Get);
  } else {
    const uint32_t tag = acquire(r, Stage::WriteOrigin);
    rec_.origin_started(true, clock_.now());
    origin_.query(true, r.key, tag);
  }
}

void ClientLogic::finish(uint32_t tag, bool hit, bool failed) {
  rec_.request_done(slots_[tag].req, clock_.now(), hit, failed, slots_[tag].degraded);
}

bool ClientLogic::record_error(const CacheReply& reply) {
  ErrorKind k;
  switch (reply.kind) {
    case ReplyKind::Moved: k = ErrorKind::Moved; break;
    case ReplyKind::Ask: k = ErrorKind::Ask; break;
    case ReplyKind::TryAgain: k = ErrorKind::TryAgain; break;
    case ReplyKind::ClusterDown: k = ErrorKind::ClusterDown; break;
    case ReplyKind::Oom: k = ErrorKind::Oom; break;
    case ReplyKind::Timeout: k = ErrorKind::Timeout; break;
    case ReplyKind::Connection: k = ErrorKind::Connection; break;
    default: return false;
  }
  rec_.cache_error(k, clock_.now());
  return true;
}

// MOVED: the slot lives elsewhere: update this client's map, ask for a full map refresh (as real cluster clients do)
// and resend. ASK: resend once to the named node with ASKING; the map is not changed (ref. §2.2, §2.3).
bool ClientLogic::redirect(uint32_t tag, const CacheReply& reply) {
  if (reply.kind != ReplyKind::Moved && reply.kind != ReplyKind::Ask) return false;
  Pending& p = slots_[tag];
  if (++p.redirects > kMaxRedirects) return false;  // give up: the caller treats it as an error reply
  if (reply.kind == ReplyKind::Moved) {
    const uint16_t slot = router_.slot(p.req.key);
    router_.learn(p.req.client, slot, static_cast<uint16_t>(reply.redirect_node));
    if (!refreshing_[p.req.client]) {
      refreshing_[p.req.client] = 1;
      cache_.fetch_slots(reply.redirect_node, p.req.client);
    }
  } else {
    p.ask_node = reply.redirect_node;
  }
  const uint8_t redirects = p.redirects;
  send(tag, p.cmd);
  slots_[tag].redirects = redirects;
  return true;
}

void ClientLogic::on_slots(uint16_t client, const std::vector<uint16_t>& owners) {
  refreshing_[client] = 0;
  router_.replace(client, owners);
}

void ClientLogic::on_cache_reply(uint32_t tag, const CacheReply& reply) {
  Pending& p = slots_[tag];
  const bool error = record_error(reply);
  if (error && redirect(tag, reply)) return;
  // A node that refuses connections or says the cluster is down: like real cluster clients, reload the topology
  // from another node (a failover may have moved the slots), once at a time per client instance.
  if (reply.kind == ReplyKind::Connection || reply.kind == ReplyKind::ClusterDown || reply.kind == ReplyKind::Timeout)
    p.degraded = true;
  if ((reply.kind == ReplyKind::Connection || reply.kind == ReplyKind::ClusterDown) && !router_.standalone() &&
      !refreshing_[p.req.client]) {
    refreshing_[p.req.client] = 1;
    cache_.fetch_slots(CacheBackend::kAnyNode, p.req.client);
  }
  switch (p.stage) {
    case Stage::ReadGet:
      if (reply.kind == ReplyKind::Value) {
        finish(tag, true, false);
        release(tag);
      } else {  // a miss, or an error: go to the origin
        p.stage = Stage::ReadLoad;
        rec_.origin_started(false, clock_.now());
        origin_.query(false, p.req.key, tag);
      }
      return;
    case Stage::ReadFill:
      if (!error) rec_.cache_write_acked(clock_.now());
      release(tag);
      return;
    case Stage::WriteCache:
      if (!error) rec_.cache_write_acked(clock_.now());
      finish(tag, false, false);
      release(tag);
      return;
    case Stage::ReadLoad:
    case Stage::WriteOrigin:
      break;  // no cache command is outstanding in these stages
  }
}

void ClientLogic::on_origin_reply(uint32_t tag, OriginOutcome outcome) {
  Pending& p = slots_[tag];
  if (outcome != OriginOutcome::Ok) {
    finish(tag, false, true);
    release(tag);
    return;
  }
  if (p.stage == Stage::ReadLoad) {
    finish(tag, false, false);  // the application has its value now
    p.stage = Stage::ReadFill;
    send(tag, CacheCmd::Set);
  } else if (p.stage == Stage::WriteOrigin) {
    p.stage = Stage::WriteCache;
    send(tag, write_mode_ == WriteMode::Invalidate ? CacheCmd::Del : CacheCmd::Set);
  }
}

}  // namespace cachelab
