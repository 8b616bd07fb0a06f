#include "cachelab/client/client_logic.hpp"

namespace cachelab {

ClientLogic::ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock,
                         SlotRouter router, WriteMode write_mode)
    : cache_(cache), origin_(origin), rec_(recorder), clock_(clock), router_(std::move(router)), write_mode_(write_mode) {}

uint32_t ClientLogic::acquire(const Request& r, Stage s) {
  uint32_t tag;
  if (!free_.empty()) {
    tag = free_.back();
    free_.pop_back();
    slots_[tag] = Pending{r, s};
  } else {
    tag = static_cast<uint32_t>(slots_.size());
    slots_.push_back(Pending{r, s});
  }
  return tag;
}

void ClientLogic::send(uint32_t tag, CacheCmd cmd) {
  const Request& r = slots_[tag].req;
  CacheCommand c;
  c.cmd = cmd;
  c.key = r.key;
  c.node = router_.route(r.key);
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
  rec_.request_done(slots_[tag].req, clock_.now(), hit, failed);
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

void ClientLogic::on_cache_reply(uint32_t tag, const CacheReply& reply) {
  Pending& p = slots_[tag];
  const bool error = record_error(reply);
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
