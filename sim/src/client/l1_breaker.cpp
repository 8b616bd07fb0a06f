// Client-instance state that sits beside the patterns: the local L1 cache and the per-node circuit breaker.
//  - L1: per instance a FIFO ring of l1.keys entries, each serving reads for l1.ttl_ms; a write drops the key from
//    the writer's L1 at once and from the other instances' l1.invalidation_lag_ms later (the invalidation message's
//    delay: meanwhile they may serve the old value). Each entry keeps the database version of its copy, so a read
//    it serves is checked against the database (stale reads, source l1; clients.l1.stale_reads counts the same).
//  - Breaker: per (instance, node), `failures` consecutive unavailable replies open it for open_ms; while open,
//    commands fail at once; after that one probe goes through, and a failure reopens it.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

namespace {
uint64_t combine(uint16_t client, uint64_t key) { return key ^ (uint64_t{client} + 1) << 47; }
}  // namespace

bool ClientLogic::l1_get(uint16_t client, uint64_t key, uint32_t* version) {
  const uint32_t i = l1_index_.find(combine(client, key));
  if (i == FlatMap::kNone) return false;
  if (clock_.now() >= l1_[i].expires) {
    l1_index_.erase(l1_[i].ckey);
    l1_[i].ckey = UINT64_MAX;
    return false;
  }
  *version = l1_[i].version;
  return true;
}

void ClientLogic::l1_put(uint16_t client, uint64_t key, uint32_t version) {
  const uint64_t ck = combine(client, key);
  uint32_t i = l1_index_.find(ck);
  if (i == FlatMap::kNone) {
    i = static_cast<uint32_t>(static_cast<size_t>(client) * opt_.l1_keys + l1_pos_[client]);
    l1_pos_[client] = (l1_pos_[client] + 1) % opt_.l1_keys;
    if (l1_[i].ckey != UINT64_MAX) l1_index_.erase(l1_[i].ckey);  // FIFO: the oldest slot is reused
    l1_[i].ckey = ck;
    l1_index_.insert(ck, i);
  }
  l1_[i].expires = clock_.now() + Time::ms(opt_.l1_ttl_ms);
  l1_[i].version = version;
}

void ClientLogic::l1_drop(uint16_t client, uint64_t key) {
  const uint64_t ck = combine(client, key);
  const uint32_t i = l1_index_.find(ck);
  if (i == FlatMap::kNone) return;
  l1_index_.erase(ck);
  l1_[i].ckey = UINT64_MAX;
}

void ClientLogic::l1_invalidate(uint64_t key, uint16_t writer) {
  l1_drop(writer, key);
  if (opt_.instances <= 1) return;
  if (opt_.l1_invalidation_lag_ms == 0) {
    for (uint16_t c = 0; c < opt_.instances; ++c) l1_drop(c, key);
    return;
  }
  // Reads served from now until the drop see the old value: counted when served (check_stale).
  timers_->at(clock_.now() + Time::ms(opt_.l1_invalidation_lag_ms), this, (key << 3) | kL1Drop);
}

bool ClientLogic::breaker_allows(uint16_t client, uint32_t node) {
  const uint32_t i = breaker_index_.find((uint64_t{client} << 32) | node);
  if (i == FlatMap::kNone) return true;
  const Breaker& b = breakers_[i];
  return b.failures < static_cast<uint32_t>(opt_.breaker_failures) || clock_.now() >= b.open_until;
}

void ClientLogic::breaker_result(uint16_t client, uint32_t node, bool failed) {
  const uint64_t k = (uint64_t{client} << 32) | node;
  uint32_t i = breaker_index_.find(k);
  if (i == FlatMap::kNone) {
    if (!failed) return;
    i = static_cast<uint32_t>(breakers_.size());
    breakers_.push_back(Breaker{0, Time::ns(0)});
    breaker_index_.insert(k, i);
  }
  Breaker& b = breakers_[i];
  const uint32_t threshold = static_cast<uint32_t>(opt_.breaker_failures);
  if (!failed) {
    b.failures = 0;
    return;
  }
  if (b.failures >= threshold && clock_.now() < b.open_until) return;  // already open (its own rejections)
  if (++b.failures >= threshold) {
    b.open_until = clock_.now() + Time::ms(opt_.breaker_open_ms);
    if (measured()) ++stats_.breaker_open;
  }
}

}  // namespace cachelab
