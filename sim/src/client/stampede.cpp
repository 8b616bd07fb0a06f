// The read path and the stampede protections (docs/design.md §4; docs/validation.md §1.5).
//  - none: every reader that misses loads from the origin (1 + r*delta loads per expiry of a hot key).
//  - single-flight: within one client instance, readers of a key being loaded wait for that load (in-process map
//    of the keys being loaded, with the waiters chained through their request slots: no allocation).
//  - lock: SET {key}:lock NX PX lease_ms; the holder loads, fills, then DELs the lock; the others GET again every
//    poll_ms, or serve the stale value (lock_wait = stale, when a stale window is kept).
//  - xfetch: the fill stores the recompute time delta with the value; a reader that finds the value recomputes early
//    when now - delta*beta*ln(u) >= expiry, u uniform on (0, 1] from the "clients" stream.
//  - swr: keys are SET with PX ttl + stale_ms; in the last stale_ms the value is stale: served at once while one
//    background refresh per instance reloads it.
//  - ttl_jitter: each fill's TTL is scaled by a uniform factor in [1 - j, 1 + j].
// Per-key accounting (ClientStats): loads per key in flight, and "episodes": a run of loads of one key that ends
// when a fill lands, so loads / episodes is the recomputations per expiry.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::start_read(uint32_t tag) {
  const Request& r = slots_[tag].req;
  if (opt_.pattern == Pattern::NoCache) {
    load(tag);
    return;
  }
  uint32_t l1_version = 0;
  if (opt_.l1_keys > 0 && l1_get(r.client, r.key, &l1_version)) {
    if (measured()) ++stats_.l1_hits;
    trace(tag, RequestTracer::HopKind::L1Hit);
    check_stale(StaleSource::L1, r.key, l1_version);
    finish(tag, true, FailCause::None);
    release(tag);
    return;
  }
  send(tag, CacheCmd::Get);
}

void ClientLogic::on_read_value(uint32_t tag, const CacheReply& reply) {
  Pending& p = slots_[tag];
  p.version = reply.version;  // the cached value's: checked when it is served (check_stale)
  const StaleSource src = p.route == kRouteOnReplica ? StaleSource::Replica : StaleSource::Cache;
  if (opt_.stampede.mode != Protection::None) {
    const double now_ms = static_cast<double>(clock_.now().nanos()) / 1e6;
    if (opt_.stampede.mode == Protection::XFetch) {
      const double delta_ms = static_cast<double>(decode_delta_us(reply.aux)) / 1000.0;
      // The rule fires with probability exp(-(expiry - now) / (delta beta)). Our u is at least 2^-53, so -ln u is
      // at most 53 ln 2 = 36.74: further than 37 delta*beta from expiry nothing can fire, and the draw (and the
      // log) is skipped without changing the law. Most hits of a hot key are that far, so they cost no draw.
      const double expire_at = static_cast<double>(reply.expire_at_ms);
      if (expire_at >= 0 && expire_at - now_ms <= kXFetchReach * delta_ms * opt_.stampede.beta &&
          xfetch_triggers(now_ms, delta_ms, opt_.stampede.beta, expire_at, rng_.uniform_open01())) {
        if (measured()) ++stats_.xfetch_early;
        trace(tag, RequestTracer::HopKind::XFetchEarly);
        load(tag);  // this reader recomputes (and waits for it), as in the paper's pseudocode
        return;
      }
    } else if (opt_.stampede.stale_ms > 0 && reply.expire_at_ms >= 0 &&
               now_ms >= static_cast<double>(reply.expire_at_ms - opt_.stampede.stale_ms)) {
      // Past the soft TTL: the value is stale.
      if (opt_.stampede.mode == Protection::Swr) {
        if (measured()) ++stats_.stale_served;
        trace(tag, RequestTracer::HopKind::StaleServed);
        check_stale(src, p.req.key, p.version);
        finish(tag, true, FailCause::None);
        const uint64_t k = sf_key(p.req);
        if (single_flight_.find(k) == FlatMap::kNone) {  // one background refresh per key and instance
          if (measured()) ++stats_.background_refreshes;
          single_flight_.insert(k, tag);
          slots_[tag].flags |= kBackground | kSfLeader;
          load(tag);
          return;
        }
        release(tag);
        return;
      }
      if (opt_.stampede.mode == Protection::Lock) {
        p.flags |= kStale;
        p.stage = Stage::LockTry;
        send(tag, CacheCmd::Set);
        return;
      }
    }
  }
  check_stale(src, p.req.key, p.version);
  finish(tag, true, FailCause::None);
  if (opt_.l1_keys > 0) l1_put(p.req.client, p.req.key, p.version);
  release(tag);
}

void ClientLogic::on_read_miss(uint32_t tag, bool error) {
  Pending& p = slots_[tag];
  switch (opt_.stampede.mode) {
    case Protection::SingleFlight: {
      const uint64_t k = sf_key(p.req);
      const uint32_t leader = single_flight_.find(k);
      if (leader != FlatMap::kNone) {  // join: wait for the leader's load
        p.stage = Stage::SfWait;
        p.next_waiter = slots_[leader].next_waiter;
        slots_[leader].next_waiter = tag;
        if (measured()) ++stats_.single_flight_joined;
        trace(tag, RequestTracer::HopKind::SingleFlight);
        return;
      }
      single_flight_.insert(k, tag);
      p.flags |= kSfLeader;
      break;
    }
    case Protection::Lock:
      if (!error) {
        p.stage = Stage::LockTry;
        send(tag, CacheCmd::Set);
        return;
      }
      break;  // the cache is failing: go to the origin without a lock
    default:
      break;
  }
  load(tag);
}

void ClientLogic::load(uint32_t tag) {
  Pending& p = slots_[tag];
  p.stage = Stage::ReadLoad;
  p.load_start = clock_.now();
  // The value the application gets is the database's as of this query (its snapshot; the service time is the work
  // of computing and returning it). A write committed while the query runs leaves the fill older than the database:
  // with invalidation, the delete-then-stale-fill race (the writer's DEL lands before this fill's SET).
  p.version = versions_ ? versions_->read(p.req.key) : 0;
  if (opt_.key_metrics) key_load_begin(p.req.key);
  rec_.origin_started(false, clock_.now(), p.req.stream);
  trace(tag, RequestTracer::HopKind::DbQuery, 0, 0);
  origin_.query(false, p.req.key, tag);
}

int64_t ClientLogic::fill_ttl_ms(int64_t ttl_ms) {
  if (ttl_ms < 0) return ttl_ms;
  if (opt_.stampede.ttl_jitter > 0) {
    const double f = 1.0 + opt_.stampede.ttl_jitter * (2.0 * rng_.uniform01() - 1.0);
    ttl_ms = std::max<int64_t>(1, static_cast<int64_t>(static_cast<double>(ttl_ms) * f + 0.5));
  }
  return ttl_ms + opt_.stampede.stale_ms;
}

void ClientLogic::on_load_done(uint32_t tag, bool ok) {
  Pending& p = slots_[tag];
  if (opt_.key_metrics && !(p.flags & kWarm)) key_load_end(p.req.key);
  if (p.flags & kSfLeader) {
    single_flight_.erase(sf_key(p.req));
    finish_waiters(tag, ok);
  }
  if (!ok) {
    finish(tag, false, FailCause::Origin);
    if (p.flags & kLockHeld) {  // give the lock back so others need not wait for the lease
      p.stage = Stage::LockRelease;
      send(tag, CacheCmd::Del);
      return;
    }
    release(tag);
    if (p.flags & kWarm) {
      ++stats_.warm_failed;
      warm_done(tag);
    }
    return;
  }
  if (opt_.pattern == Pattern::NoCache) {
    finish(tag, false, FailCause::None);
    release(tag);
    return;
  }
  const uint64_t delta_us = static_cast<uint64_t>((clock_.now() - p.load_start).nanos() / 1000);
  if (opt_.pattern != Pattern::ReadThrough) finish(tag, false, FailCause::None);  // the application has its value now
  p.stage = Stage::ReadFill;
  p.aux = encode_delta_us(delta_us);
  p.ttl_ms = fill_ttl_ms(p.req.ttl_ms);
  send(tag, CacheCmd::Set);
}

void ClientLogic::finish_waiters(uint32_t leader, bool ok) {
  uint32_t w = slots_[leader].next_waiter;
  slots_[leader].next_waiter = UINT32_MAX;
  while (w != UINT32_MAX) {
    const uint32_t next = slots_[w].next_waiter;
    finish(w, false, ok ? FailCause::None : FailCause::Origin);  // they waited for the origin: a miss
    release(w);
    w = next;
  }
}

void ClientLogic::on_fill_acked(uint32_t tag) {
  Pending& p = slots_[tag];
  if (opt_.key_metrics) key_fill_landed(p.req.key);
  if (opt_.pattern == Pattern::ReadThrough) finish(tag, false, FailCause::None);
  if (opt_.l1_keys > 0 && !(p.flags & kBackground)) l1_put(p.req.client, p.req.key, p.version);
  if (p.flags & kLockHeld) {
    p.stage = Stage::LockRelease;
    send(tag, CacheCmd::Del);
    return;
  }
  release(tag);
  if (p.flags & kWarm) {
    ++stats_.warm_filled;
    warm_done(tag);
  }
}

void ClientLogic::on_lock_reply(uint32_t tag, const CacheReply& reply, bool error) {
  Pending& p = slots_[tag];
  if (p.stage == Stage::LockRelease) {
    release(tag);
    return;
  }
  if (error) {  // the cache is failing: load without the lock
    load(tag);
    return;
  }
  if (reply.kind == ReplyKind::Ok) {
    if (measured()) ++stats_.lock_acquired;
    p.flags |= kLockHeld;
    load(tag);
    return;
  }
  if (measured()) ++stats_.lock_contended;  // Nil: someone else holds it
  if ((p.flags & kStale) && (opt_.stampede.lock_wait == LockWait::Stale)) {
    if (measured()) ++stats_.stale_served;
    trace(tag, RequestTracer::HopKind::StaleServed);
    check_stale(p.route == kRouteOnReplica ? StaleSource::Replica : StaleSource::Cache, p.req.key, p.version);
    finish(tag, true, FailCause::None);
    release(tag);
    return;
  }
  p.stage = Stage::LockWait;
  trace(tag, RequestTracer::HopKind::LockWait, Time::ms(opt_.stampede.poll_ms).nanos());
  timers_->at(clock_.now() + Time::ms(opt_.stampede.poll_ms), this, (uint64_t{tag} << 3) | kPoll);
}

void ClientLogic::key_load_begin(uint64_t key) {
  uint32_t i = key_loads_index_.find(key);
  if (i == FlatMap::kNone) {
    if (!key_loads_free_.empty()) {
      i = key_loads_free_.back();
      key_loads_free_.pop_back();
    } else {
      i = static_cast<uint32_t>(key_loads_.size());
      key_loads_.push_back({});
    }
    key_loads_[i] = KeyLoad{0, 0};
    key_loads_index_.insert(key, i);
  }
  KeyLoad& k = key_loads_[i];
  const bool m = measured();
  if (!k.open) {
    k.open = 1;
    if (m) ++stats_.load_episodes;
  }
  ++k.in_flight;
  if (m) {
    ++stats_.read_loads;
    if (k.in_flight > stats_.max_loads_per_key) {
      stats_.max_loads_per_key = k.in_flight;
      stats_.max_loads_key = key;
    }
  }
}

void ClientLogic::key_load_end(uint64_t key) {
  const uint32_t i = key_loads_index_.find(key);
  if (i == FlatMap::kNone) return;
  KeyLoad& k = key_loads_[i];
  if (k.in_flight > 0) --k.in_flight;
  if (k.in_flight == 0 && !k.open) {  // a load that ended after the episode's fill landed
    key_loads_index_.erase(key);
    key_loads_free_.push_back(i);
  }
}

void ClientLogic::key_fill_landed(uint64_t key) {
  const uint32_t i = key_loads_index_.find(key);
  if (i == FlatMap::kNone) return;
  KeyLoad& k = key_loads_[i];
  k.open = 0;  // the value is back: the next load starts a new episode
  if (k.in_flight == 0) {
    key_loads_index_.erase(key);
    key_loads_free_.push_back(i);
  }
}

uint16_t encode_delta_us(uint64_t us) {
  uint32_t e = 0;
  while (us >= 4096 && e < 15) {
    us = (us + 1) >> 1;  // round half up
    ++e;
  }
  if (us >= 4096) us = 4095;
  return static_cast<uint16_t>((e << 12) | us);
}

uint64_t decode_delta_us(uint16_t code) { return uint64_t{code & 0xFFFu} << (code >> 12); }

}  // namespace cachelab
