// The write path of the caching patterns (client_logic.hpp): cache-aside / read-through write to the origin, then
// DEL (invalidate) or SET (update) the cache; write-through writes the origin, then SETs the cache; write-behind SETs
// the cache and buffers the write per client instance, flushing batches to the origin (one write query per batch)
// at batch_size or flush_interval_ms after the first buffered write. Del deletes in the origin and the cache; MSet
// is the multi-key form (MSET, or a multi-key DEL when invalidating). INCR lives in the cache only.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::start_write(uint32_t tag) {
  Pending& p = slots_[tag];
  const uint16_t client = p.req.client;
  if (opt_.l1_keys > 0) l1_invalidate(p.req.key, client);
  if (opt_.pattern == Pattern::WriteBehind) {
    const uint32_t n = p.req.op == Op::MSet ? p.req.key_count : 1u;
    if (wb_count_[client] + n > opt_.wb_buffer_limit) {  // the buffer is full: the write fails at once
      if (measured()) ++stats_.wb_buffer_full;
      finish(tag, false, FailCause::BufferFull);
      release(tag);
      return;
    }
    p.stage = Stage::WbCache;
    // Write-behind: the cache holds the truth first; the write takes its version when the application makes it
    // (a read of the database before the batch lands is not modelled as older).
    if (versions_) p.version = versions_->write(p.req.key, n, clock_.now());
    send(tag, p.req.op == Op::Del ? CacheCmd::Del : p.req.op == Op::MSet ? CacheCmd::MSet : CacheCmd::Set);
    return;
  }
  rec_.origin_started(true, clock_.now(), p.req.stream);
  trace(tag, RequestTracer::HopKind::DbQuery, 0, 1);
  origin_.query(true, p.req.key, tag);
}

void ClientLogic::on_write_origin(uint32_t tag, OriginOutcome outcome) {
  Pending& p = slots_[tag];
  if (outcome != OriginOutcome::Ok) {
    finish(tag, false, FailCause::Origin);
    release(tag);
    return;
  }
  // The database applied the write now: the keys' version moves on (a DEL too: a cached copy is then stale).
  if (versions_) p.version = versions_->write(p.req.key, p.req.op == Op::MSet ? p.req.key_count : 1u, clock_.now());
  if (opt_.pattern == Pattern::NoCache) {
    finish(tag, false, FailCause::None);
    release(tag);
    return;
  }
  p.stage = Stage::WriteCache;
  const bool update =
      p.req.op != Op::Del && (opt_.pattern == Pattern::WriteThrough || opt_.on_write == WriteMode::Update);
  if (!update) {
    send(tag, CacheCmd::Del);
    return;
  }
  p.ttl_ms = fill_ttl_ms(p.req.ttl_ms);
  send(tag, p.req.op == Op::MSet ? CacheCmd::MSet : CacheCmd::Set);
}

void ClientLogic::on_write_cache(uint32_t tag, bool error) {
  Pending& p = slots_[tag];
  if (!error) rec_.cache_write_acked(clock_.now());
  if (p.stage == Stage::WbCache) {
    if (error) {  // not in the cache: the write-behind library reports the failure and buffers nothing
      finish(tag, false, FailCause::Cache);
      release(tag);
      return;
    }
    const uint16_t client = p.req.client;
    const uint32_t n = p.req.op == Op::MSet ? p.req.key_count : 1u;
    if (wb_count_[client] + n > opt_.wb_buffer_limit) {  // filled up while the SET was in flight
      if (measured()) ++stats_.wb_buffer_full;
      finish(tag, false, FailCause::BufferFull);
      release(tag);
      return;
    }
    wb_count_[client] += n;
    if (measured()) stats_.wb_buffered += n;
    finish(tag, false, FailCause::None);
    release(tag);
    if (wb_count_[client] >= opt_.wb_batch_size) {
      wb_flush(client);
    } else if (!wb_armed_[client]) {
      wb_armed_[client] = 1;
      timers_->at(clock_.now() + Time::ms(opt_.wb_flush_interval_ms), this, (uint64_t{client} << 3) | kFlush);
    }
    return;
  }
  finish(tag, false, error && p.req.op == Op::Del ? FailCause::Cache : FailCause::None);
  release(tag);
}

void ClientLogic::wb_flush(uint16_t client) {
  while (wb_count_[client] > 0) {
    const uint32_t n = std::min(wb_count_[client], opt_.wb_batch_size);
    wb_count_[client] -= n;
    if (measured()) {
      ++stats_.wb_batches;
      stats_.wb_flushed += n;
    }
    rec_.origin_started(true, clock_.now());
    origin_.query(true, 0, kBatchTag | client);
    if (wb_count_[client] < opt_.wb_batch_size) break;  // a partial remainder waits for its own interval
  }
  if (wb_count_[client] > 0 && !wb_armed_[client]) {
    wb_armed_[client] = 1;
    timers_->at(clock_.now() + Time::ms(opt_.wb_flush_interval_ms), this, (uint64_t{client} << 3) | kFlush);
  }
}

uint64_t ClientLogic::crash_instance(uint16_t client) {
  uint64_t lost = 0;
  if (client < wb_count_.size()) {
    lost = wb_count_[client];
    wb_count_[client] = 0;
    stats_.wb_lost += lost;  // counted whatever the warm-up: the loss is the point
  }
  if (opt_.l1_keys > 0) {
    const size_t base = static_cast<size_t>(client) * opt_.l1_keys;
    for (size_t i = 0; i < opt_.l1_keys; ++i)
      if (l1_[base + i].ckey != UINT64_MAX) {
        l1_index_.erase(l1_[base + i].ckey);
        l1_[base + i].ckey = UINT64_MAX;
      }
  }
  return lost;
}

}  // namespace cachelab
