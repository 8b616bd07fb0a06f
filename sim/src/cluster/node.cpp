#include "cachelab/cluster/node.hpp"

#include <algorithm>

namespace cachelab {

Node::Node(std::string name, uint16_t index, const StoreConfig& store_cfg, Rng store_rng, const RealDist& service_us,
           Rng service_rng)
    : name_(std::move(name)),
      index_(index),
      cluster_mode_(store_cfg.cluster_mode),
      owner_(16384, kNoNode),
      migrating_to_(16384, kNoNode),
      importing_from_(16384, kNoNode),
      store_(store_cfg, store_rng),
      service_us_(service_us),
      service_rng_(service_rng) {}

Time Node::sample_service() { return Time::ns(static_cast<int64_t>(service_us_.sample(service_rng_) * 1000.0 + 0.5)); }

Time Node::occupy(Time arrival, Time service) {
  const Time start = std::max(arrival, free_at_);
  free_at_ = start + service;
  busy_ += service;
  return free_at_;
}

Time Node::execute(const CacheCommand& c, uint32_t key_len, Time arrival, CacheReply& reply) {
  const Time start = std::max(arrival, free_at_);
  const Time service = sample_service();
  free_at_ = start + service;
  busy_ += service;
  ++ops_;
  if (cluster_mode_) {
    const size_t slot = c.slot;
    const uint16_t owner = this->owner(static_cast<int>(slot));
    if (owner == kNoNode || !cluster_ok_) {  // -CLUSTERDOWN Hash slot not served / The cluster is down (§2.2)
      reply.kind = ReplyKind::ClusterDown;
      return free_at_;
    }
    if (owner == index_) {
      if (migrating_to_[slot] != kNoNode && !store_.exists(c.key, start)) {
        reply.kind = ReplyKind::Ask;
        reply.redirect_node = migrating_to_[slot];
        return free_at_;
      }
    } else if (!(importing_from_[slot] != kNoNode && c.asking)) {
      reply.kind = ReplyKind::Moved;
      reply.redirect_node = owner;
      return free_at_;
    }
  }
  // performEvictions runs before every command when maxmemory is set (server.c processCommand).
  const bool room = store_.make_room(start);
  switch (c.cmd) {
    case CacheCmd::Get: {
      uint32_t bytes = 0;
      reply.kind = store_.get(c.key, start, &bytes) ? ReplyKind::Value : ReplyKind::Nil;
      reply.value_bytes = bytes;
      break;
    }
    case CacheCmd::Set:
      if (!room) {  // SET is CMD_DENYOOM
        reply.kind = ReplyKind::Oom;
        break;
      }
    {
      const int64_t expire_at = c.ttl_ms >= 0 ? start.nanos() / 1'000'000 + c.ttl_ms : Store::kNoExpiry;
      store_.set(c.key, key_len, c.value_bytes, expire_at, start, c.slot);
      reply.kind = ReplyKind::Ok;
      replicate(ReplOp{ReplOp::Kind::Set, c.key, key_len, c.value_bytes, expire_at, c.slot});
      break;
    }
    case CacheCmd::Del:  // DEL is not DENYOOM: it frees memory
      if (store_.del(c.key, start)) replicate(ReplOp{ReplOp::Kind::Del, c.key, key_len, 0, -1, c.slot});
      reply.kind = ReplyKind::Ok;
      break;
  }
  return free_at_;
}

void Node::on_store_delete(uint64_t key) { replicate(ReplOp{ReplOp::Kind::Del, key, 0, 0, -1, 0}); }

}  // namespace cachelab
