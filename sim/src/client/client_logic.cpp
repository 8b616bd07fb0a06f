// The core of ClientLogic: request slots, sending a command to the node the slot map names, redirections, retries,
// error accounting and the dispatch of replies to the read path (stampede.cpp) and the write path (patterns.cpp).
#include "cachelab/client/client_logic.hpp"

#include <stdexcept>

namespace cachelab {

ClientLogic::ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock,
                         SlotRouter router, const ClientOptions& options, Scheduler* timers, Rng rng)
    : cache_(cache),
      origin_(origin),
      versions_(origin.versions()),
      rec_(recorder),
      clock_(clock),
      router_(std::move(router)),
      opt_(options),
      timers_(timers),
      rng_(rng),
      refreshing_(65536, 0) {
  if (opt_.needs_timers() && !timers_)
    throw std::invalid_argument("client options need timers (lock polls, write-behind, retries, L1 lag, breaker)");
  if (opt_.pattern == Pattern::WriteBehind) {
    wb_count_.assign(static_cast<size_t>(opt_.instances), 0);
    wb_armed_.assign(static_cast<size_t>(opt_.instances), 0);
  }
  if (opt_.pool_size > 0) {
    pool_cap_ = opt_.pool_size * std::max<uint32_t>(1, opt_.pipeline);
    pools_.resize(static_cast<size_t>(opt_.instances));
  }
  if (opt_.batch_size > 1) {
    batch_size_ = opt_.batch_size;
    batches_.resize(static_cast<size_t>(opt_.instances));
  }
  if (opt_.l1_keys > 0) {
    l1_.assign(static_cast<size_t>(opt_.instances) * opt_.l1_keys, L1Entry{UINT64_MAX, Time::ns(0), 0});
    l1_pos_.assign(static_cast<size_t>(opt_.instances), 0);
  }
}

ClientLogic::ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock,
                         SlotRouter router, WriteMode write_mode)
    : ClientLogic(
          cache, origin, recorder, clock, std::move(router),
          [&] {
            ClientOptions o;
            o.on_write = write_mode;
            o.instances = 1;
            o.key_metrics = false;
            return o;
          }(),
          nullptr, Rng(0)) {}

uint32_t ClientLogic::acquire(const Request& r, Stage s) {
  uint32_t tag;
  if (!free_.empty()) {
    tag = free_.back();
    free_.pop_back();
  } else {
    tag = static_cast<uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  // Field by field into the slot: a Pending built on the stack and copied was read back with wide loads over the
  // narrow stores that had just built it (a store-forwarding stall, 3-4% of the flagship's profile).
  Pending& p = slots_[tag];
  p.req = r;
  p.stage = s;
  p.cmd = CacheCmd::Get;
  p.redirects = 0;
  p.attempts = 0;
  p.flags = 0;
  p.errs = 0;
  p.aux = 0;
  p.ask_node = UINT32_MAX;
  p.next_waiter = UINT32_MAX;
  p.ttl_ms = r.ttl_ms;
  p.load_start = Time::ns(0);
  p.found_mask = 0;
  p.version = 0;
  p.route = opt_.read_from == ReadFrom::Master ? kRouteMaster : kRouteReplica;
  return tag;
}

void ClientLogic::send(uint32_t tag, CacheCmd cmd) {
  Pending& p = slots_[tag];
  if (p.cmd != cmd) {  // a new command starts with clean redirection and retry counts
    p.redirects = 0;
    p.attempts = 0;
  }
  p.cmd = cmd;
  const Request& r = p.req;
  CacheCommand c;
  c.cmd = cmd;
  c.key = cache_key(r);  // the key number in its stream's name form: the origin and versions see r.key only
  if (p.stage == Stage::ScriptStep) c.key += p.found_mask % std::max<uint8_t>(1, r.key_count);  // this call's key
  c.slot = router_.slot(c.key);
  c.asking = p.ask_node != UINT32_MAX;
  c.node = c.asking ? p.ask_node : router_.route(r.client, c.slot, c.key);
  p.ask_node = UINT32_MAX;  // ASKING is one-shot (ref. §2.3)
  if (p.route != kRouteMaster && (cmd == CacheCmd::Get || cmd == CacheCmd::MGet)) {
    // read_from replica: to a replica of the node the slot map names, on a READONLY connection (ref. §2.2 step 9);
    // an ASK target is followed as it is (ASKING goes to the importing master).
    const uint32_t replica = c.asking ? UINT32_MAX : replica_of(c.node);
    p.route = replica == UINT32_MAX ? kRouteReplica : kRouteOnReplica;
    if (replica != UINT32_MAX) {
      c.node = replica;
      c.readonly = true;
      if (measured()) ++stats_.replica_reads;
    }
  }
  // Hints only (no behaviour): this command's index bucket now, the previous command's entry (its bucket should be
  // in cache by now); both commands reach their nodes half a round trip later.
  cache_.prefetch(c.node, c.key);
  if (versions_ && cmd == CacheCmd::Get) versions_->prefetch(r.key);  // its reply is checked for staleness
  if (prev_node_ != UINT32_MAX) cache_.prefetch_entry(prev_node_, prev_key_);
  prev_node_ = c.node;
  prev_key_ = c.key;
  c.value_bytes = r.value_bytes;
  c.ttl_ms = p.ttl_ms;
  c.client = r.client;
  c.aux = p.aux;
  c.version = p.version;
  c.key_count = r.key_count;
  if (p.stage == Stage::LockTry || p.stage == Stage::LockRelease) {
    // The lock "{name}:lock" shares the key's slot (hash tag), so it goes where the key goes.
    c.key |= kLockKeyBit;
    c.key_count = 1;
    c.nx = p.stage == Stage::LockTry;
    c.ttl_ms = opt_.stampede.lease_ms;
    c.value_bytes = 8;
  } else if (cmd == CacheCmd::Get || cmd == CacheCmd::Set || cmd == CacheCmd::Incr) {
    c.key_count = 1;
    c.hash = opt_.hash_objects && cmd != CacheCmd::Incr;  // HGETALL / HSET (workload.hash_objects)
  }
  if (tracer_) trace_send(tag, c);
  if (opt_.breaker_failures > 0 && !breaker_allows(r.client, c.node)) {
    // An open breaker fails the command without sending it; the failure is answered from a timer, never
    // re-entrantly from inside a reply handler.
    ++stats_.breaker_rejected;
    trace(tag, RequestTracer::HopKind::BreakerOpen);
    breaker_fail_queue_.push_back(tag);
    if (breaker_fail_queue_.size() == 1) timers_->at(clock_.now(), this, kBreakerFail);
    return;
  }
  if (pool_cap_ && !pool_admit(tag, c)) {  // waits for a pooled connection (pool.cpp)
    trace(tag, RequestTracer::HopKind::PoolWait);
    return;
  }
  if (batch_size_) {  // joins its batch (batch.cpp)
    batch_add(tag, c);
    return;
  }
  cache_.send(c, tag);
}

void ClientLogic::start(const Request& r) {
  if (paused_count_ && defer(r.client, {Deferred::Start, {}, 0, 0, r, {}, {}})) return;
  if (not_started_ && start_[r.client].phase != kStarted) {  // no slot map yet: waits for its seeds (seeds.cpp)
    start_[r.client].waiting.push_back(r);
    return;
  }
  Stage stage = Stage::WriteOrigin;
  if (r.op == Op::Read) stage = Stage::ReadGet;
  if (r.op == Op::MGet) stage = Stage::MGetCmd;
  if (r.op == Op::Incr || r.op == Op::Keys || r.op == Op::Scan) stage = Stage::CacheOnly;
  if (r.op == Op::Script) stage = opt_.script_mode == ScriptMode::EvalSha ? Stage::Script : Stage::ScriptStep;
  const uint32_t tag = acquire(r, stage);
  if (tracer_) tracer_->begin(tag, r, clock_.now());
  switch (r.op) {
    case Op::Read:
      start_read(tag);
      return;
    case Op::MGet:
      send(tag, CacheCmd::MGet);
      return;
    case Op::Incr:
      send(tag, CacheCmd::Incr);
      return;
    case Op::Keys:
      send(tag, CacheCmd::Keys);
      return;
    case Op::Scan:
      send(tag, CacheCmd::Scan);
      return;
    case Op::Script:
      start_script(tag);
      return;
    case Op::Write:
    case Op::Del:
    case Op::MSet:
      start_write(tag);
      return;
  }
}

// The Send hop: which command, what for, to which node and why (request_tracer.hpp).
void ClientLogic::trace_send(uint32_t tag, const CacheCommand& c) {
  using P = RequestTracer::Purpose;
  using V = RequestTracer::Via;
  const Pending& p = slots_[tag];
  P purpose = P::Read;
  switch (p.stage) {
    case Stage::ReadFill:
      purpose = P::Fill;
      break;
    case Stage::LockTry:
      purpose = P::Lock;
      break;
    case Stage::LockRelease:
      purpose = P::Unlock;
      break;
    case Stage::WriteCache:
      purpose = c.cmd == CacheCmd::Del ? P::Invalidate : P::Update;
      break;
    case Stage::WbCache:
      purpose = P::Write;
      break;
    case Stage::CacheOnly:
      purpose = P::Incr;
      break;
    case Stage::MGetCmd:
      purpose = P::MGet;
      break;
    case Stage::MGetFill:
      purpose = P::MGetFill;
      break;
    case Stage::Script:
    case Stage::ScriptStep:
      purpose = P::Script;
      break;
    default:
      break;
  }
  V via = V::SlotMap;
  if (router_.sharded())
    via = V::Sharding;
  else if (router_.standalone())
    via = V::Standalone;
  else if (c.asking)
    via = V::Ask;
  else if (c.readonly)
    via = V::Replica;
  RequestTracer::Hop h;
  h.t = clock_.now();
  h.kind = RequestTracer::HopKind::Send;
  h.a = static_cast<uint8_t>(c.cmd);
  h.b = static_cast<uint8_t>(purpose);
  h.c = static_cast<uint8_t>(via);
  h.flags = static_cast<uint8_t>((c.asking ? 1 : 0) | (c.readonly ? 2 : 0));
  h.slot = c.slot;
  h.node = c.node;
  h.value = c.key_count;
  tracer_->hop(tag, h);
}

void ClientLogic::finish(uint32_t tag, bool hit, FailCause fail) {
  Pending& p = slots_[tag];
  if (p.flags & (kAnswered | kBackground)) return;
  p.flags |= kAnswered;
  const Time now = clock_.now();
  if (tracer_) {
    RequestTracer::Hop h;
    h.t = now;
    h.kind = RequestTracer::HopKind::Done;
    h.a = hit ? 1 : 0;
    h.b = static_cast<uint8_t>(fail);
    h.c = p.errs;
    h.value = (now - p.req.due).nanos();
    tracer_->hop(tag, h);
  }
  RequestOutcome outcome;
  outcome.fail = fail;
  outcome.cache_error = static_cast<int8_t>((p.errs & 0x0F) - 1);
  outcome.unavailable = static_cast<int8_t>((p.errs >> 4) - 1);
  rec_.request_done(p.req, now, hit, outcome);
  if (completed_) completed_(completed_ctx_, p.req, now);
}

int ClientLogic::record_error(const CacheReply& reply) {
  ErrorKind k;
  switch (reply.kind) {
    case ReplyKind::Moved:
      k = ErrorKind::Moved;
      break;
    case ReplyKind::Ask:
      k = ErrorKind::Ask;
      break;
    case ReplyKind::TryAgain:
      k = ErrorKind::TryAgain;
      break;
    case ReplyKind::ClusterDown:
      k = ErrorKind::ClusterDown;
      break;
    case ReplyKind::Oom:
      k = ErrorKind::Oom;
      break;
    case ReplyKind::Timeout:
      k = ErrorKind::Timeout;
      break;
    case ReplyKind::Connection:
      k = ErrorKind::Connection;
      break;
    case ReplyKind::CrossSlot:
      k = ErrorKind::CrossSlot;
      break;
    case ReplyKind::NoReplicas:
      k = ErrorKind::NoReplicas;
      break;
    case ReplyKind::Error:
      k = ErrorKind::Reply;
      break;
    default:
      return -1;
  }
  rec_.cache_error(k, clock_.now());
  return static_cast<int>(k);
}

// MOVED: the slot lives elsewhere: update this client's map, ask for a full map refresh (as real cluster clients do)
// and resend. ASK: resend once to the named node with ASKING; the map is not changed (ref. §2.2, §2.3).
bool ClientLogic::redirect(uint32_t tag, const CacheReply& reply) {
  if (reply.kind != ReplyKind::Moved && reply.kind != ReplyKind::Ask) return false;
  Pending& p = slots_[tag];
  if (++p.redirects > kMaxRedirects) return false;  // give up: the caller treats it as an error reply
  if (reply.kind == ReplyKind::Moved) {
    const uint16_t slot = router_.slot(cache_key(p.req));
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

// Timeouts, refused connections, CLUSTERDOWN and TRYAGAIN are retried (same command, same target as the slot map
// then says) after backoff * 2^attempt, up to retries.max times.
bool ClientLogic::maybe_retry(uint32_t tag, const CacheReply& reply) {
  if (opt_.retries_max == 0) return false;
  if (reply.kind != ReplyKind::Timeout && reply.kind != ReplyKind::Connection && reply.kind != ReplyKind::ClusterDown &&
      reply.kind != ReplyKind::TryAgain)
    return false;
  Pending& p = slots_[tag];
  if (p.attempts >= opt_.retries_max) return false;
  const Time delay = Time::ns(Time::ms(opt_.retries_backoff_ms).nanos() << std::min<int>(p.attempts, 20));
  ++p.attempts;
  ++stats_.retries;
  trace(tag, RequestTracer::HopKind::Retry, delay.nanos(), p.attempts);
  timers_->at(clock_.now() + delay, this, (uint64_t{tag} << 3) | kRetry);
  return true;
}

void ClientLogic::on_slots(uint16_t client, const std::vector<uint16_t>& owners) {
  if (paused_count_ && defer(client, {Deferred::Slots, {}, 0, 0, {}, {}, owners})) return;
  if (not_started_ && start_[client].phase != kStarted) {  // a seed's answer (seeds.cpp)
    on_seed_answer(client, owners);
    return;
  }
  refreshing_[client] = 0;
  router_.replace(client, owners);
}

void ClientLogic::on_cache_reply(uint32_t tag, const CacheReply& reply) {
  if (paused_count_ && defer(slots_[tag].req.client, {Deferred::CacheReply, {}, tag, 0, {}, reply, {}})) return;
  if (tracer_) {
    RequestTracer::Hop h;
    h.t = clock_.now();
    h.kind = RequestTracer::HopKind::Reply;
    h.a = static_cast<uint8_t>(reply.kind);
    if (reply.kind == ReplyKind::Moved || reply.kind == ReplyKind::Ask) h.target = reply.redirect_node;
    h.value = reply.kind == ReplyKind::Value ? reply.value_bytes : 0;
    tracer_->hop(tag, h);
  }
  if (pool_cap_) pool_release(tag);  // the connection is free again, before this reply sends anything
  Pending& p = slots_[tag];
  const int error_kind = record_error(reply);
  const bool error = error_kind >= 0;
  if (error && redirect(tag, reply)) return;
  if (error && p.route == kRouteOnReplica && replica_fallback(tag, reply)) return;
  const bool unavailable =
      reply.kind == ReplyKind::Connection || reply.kind == ReplyKind::ClusterDown || reply.kind == ReplyKind::Timeout;
  if (opt_.breaker_failures > 0) {
    const uint64_t key = cache_key(p.req);
    const uint32_t node = router_.route(p.req.client, router_.slot(key), key);
    breaker_result(p.req.client, node, unavailable);
  }
  // A node that refuses connections, times out or says the cluster is down: like real cluster clients, reload the
  // topology from another node (a failover may have moved the slots), once at a time per client instance. Timeouts
  // count too (redis-py's RedisCluster reinitializes on TimeoutError; Jedis renews its slot cache when a command's
  // connection attempts fail): a paused or cut-off master never answers with a MOVED.
  if (unavailable && !router_.standalone() && !refreshing_[p.req.client]) {
    refreshing_[p.req.client] = 1;
    cache_.fetch_slots(CacheBackend::kAnyNode, p.req.client);
  }
  if (error && maybe_retry(tag, reply)) return;
  // The request's first final error of each sort, for the summary's degraded_by_error and cache_failed_requests.
  static_assert(static_cast<int>(ErrorKind::kCount) < 15, "an ErrorKind + 1 must fit in a nibble");
  if (error && !(p.errs & 0x0F)) p.errs |= static_cast<uint8_t>(error_kind + 1);
  if (unavailable) {
    p.flags |= kDegraded;
    if (!(p.errs & 0xF0)) p.errs |= static_cast<uint8_t>((error_kind + 1) << 4);
  }
  if (reply.kind == ReplyKind::CrossSlot && measured()) ++stats_.crossslot;
  switch (p.stage) {
    case Stage::ReadGet:
      if (reply.kind == ReplyKind::Value)
        on_read_value(tag, reply);
      else
        on_read_miss(tag, error);
      return;
    case Stage::ReadFill:
      if (!error) rec_.cache_write_acked(clock_.now());
      on_fill_acked(tag);
      return;
    case Stage::LockTry:
    case Stage::LockRelease:
      on_lock_reply(tag, reply, error);
      return;
    case Stage::WriteCache:
    case Stage::WbCache:
      on_write_cache(tag, error);
      return;
    case Stage::CacheOnly:  // INCR: the counter lives in the cache only
      finish(tag, false, error ? FailCause::Cache : FailCause::None);
      release(tag);
      return;
    case Stage::MGetCmd:
      on_mget_reply(tag, reply);
      return;
    case Stage::MGetFill:
      if (!error) rec_.cache_write_acked(clock_.now());
      release(tag);
      return;
    case Stage::Script:
    case Stage::ScriptStep:
      on_script_reply(tag, error);
      return;
    case Stage::ReadLoad:
    case Stage::WriteOrigin:
    case Stage::LockWait:
    case Stage::SfWait:
    case Stage::MGetLoad:
      break;  // no cache command is outstanding in these stages
  }
}

void ClientLogic::on_origin_reply(uint32_t tag, OriginOutcome outcome) {
  if (paused_count_ && defer(static_cast<uint16_t>(tag & kBatchTag ? tag & ~kBatchTag : slots_[tag].req.client),
                             {Deferred::OriginReply, outcome, tag, 0, {}, {}, {}}))
    return;
  if (tag & kBatchTag) {  // a write-behind batch landed (or not)
    if (outcome != OriginOutcome::Ok) ++stats_.wb_failed;
    return;
  }
  trace(tag, RequestTracer::HopKind::DbReply, 0, static_cast<uint8_t>(outcome));
  Pending& p = slots_[tag];
  switch (p.stage) {
    case Stage::ReadLoad:
      on_load_done(tag, outcome == OriginOutcome::Ok);
      return;
    case Stage::MGetLoad:
      mget_loaded(tag, outcome == OriginOutcome::Ok);
      return;
    case Stage::WriteOrigin:
      on_write_origin(tag, outcome);
      return;
    default:
      return;
  }
}

void ClientLogic::on_event(Time, uint64_t ev) {
  if (paused_count_) {  // a paused instance's timers fire when its pause ends
    const uint64_t arg = ev >> 3;
    switch (static_cast<TimerKind>(ev & 7)) {
      case kPoll:
      case kRetry:
        if (defer(slots_[arg].req.client, {Deferred::Timer, {}, 0, ev, {}, {}, {}})) return;
        break;
      case kFlush:
      case kSeedRound:
      case kBatchFlush:  // the client library's timer stalls with its process
        if (defer(static_cast<uint16_t>(arg & 0xFFFF), {Deferred::Timer, {}, 0, ev, {}, {}, {}})) return;
        break;
      case kL1Drop:  // the invalidation reaches each instance: a paused one handles it when it resumes
        for (uint16_t c = 0; c < opt_.instances; ++c)
          if (!defer(c, {Deferred::L1Drop, {}, 0, arg, {}, {}, {}})) l1_drop(c, arg);
        return;
      default:
        break;  // kBreakerFail answers through on_cache_reply, which defers; kResume ends a pause
    }
  }
  on_timer(ev);
}

void ClientLogic::on_timer(uint64_t ev) {
  const uint64_t arg = ev >> 3;
  switch (static_cast<TimerKind>(ev & 7)) {
    case kPoll: {  // a lock waiter looks again
      const uint32_t tag = static_cast<uint32_t>(arg);
      ++stats_.lock_polls;
      slots_[tag].stage = Stage::ReadGet;
      slots_[tag].flags &= static_cast<uint8_t>(~kStale);
      send(tag, CacheCmd::Get);
      return;
    }
    case kFlush: {
      const uint16_t client = static_cast<uint16_t>(arg);
      wb_armed_[client] = 0;
      wb_flush(client);
      return;
    }
    case kRetry: {
      const uint32_t tag = static_cast<uint32_t>(arg);
      const uint8_t attempts = slots_[tag].attempts;
      send(tag, slots_[tag].cmd);
      slots_[tag].attempts = attempts;
      return;
    }
    case kL1Drop: {
      for (uint16_t c = 0; c < opt_.instances; ++c) l1_drop(c, arg);
      return;
    }
    case kBreakerFail: {
      std::vector<uint32_t> q;
      q.swap(breaker_fail_queue_);
      for (uint32_t tag : q) on_cache_reply(tag, CacheReply{ReplyKind::Connection, 0, 0});
      if (breaker_fail_queue_.capacity() == 0) breaker_fail_queue_.swap(q), breaker_fail_queue_.clear();
      return;
    }
    case kResume:
      resume_instance(static_cast<uint16_t>(arg));
      return;
    case kSeedRound:
      seed_round(static_cast<uint16_t>(arg));
      return;
    case kBatchFlush:
      on_batch_timer(arg);
      return;
  }
}

}  // namespace cachelab
