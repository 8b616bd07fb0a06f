#include "cachelab/cluster/node.hpp"

#include "cachelab/cluster/script_cost.hpp"
#include "cachelab/cluster/walk_cost.hpp"

#include <algorithm>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cluster/command_args.hpp"

namespace cachelab {

uint64_t node_command_args_bytes(const CacheCommand& c, uint32_t key_len) {
  // Every name here (GET, SET, DEL, MGET, MSET, INCR, HGETALL; "PX", "NX") is an EMBSTR of 16+3+len+1 <= 32 bytes,
  // and so is a TTL of up to 12 digits; the argv array of up to 4 arguments is 32 bytes, of 5-6 48.
  constexpr uint64_t kShort = memory::value_bytes(7);
  static_assert(kShort == 32 && memory::value_bytes(2) == 32 && memory::value_bytes(12) == 32);
  static_assert(memory::jemalloc_usable(8 * 4) == 32 && memory::jemalloc_usable(8 * 6) == 48);
  const uint64_t key = memory::value_bytes(key_len);
  switch (c.cmd) {
    case CacheCmd::Get:
    case CacheCmd::Incr:
      return memory::jemalloc_usable(8 * 2) + kShort + key;
    case CacheCmd::Set: {
      if (c.hash) return 0;
      const bool ttl = c.ttl_ms >= 0;
      uint64_t bytes = (ttl ? 48 : 32) + kShort + key + memory::value_bytes(c.value_bytes);  // argv: 5-6 or 3-4 args
      if (ttl) bytes += kShort + (c.ttl_ms < 1'000'000'000'000 ? kShort : memory::value_bytes(20));
      if (c.nx) bytes += kShort;
      return bytes;
    }
    case CacheCmd::MGet:
    case CacheCmd::Del:
      return memory::jemalloc_usable(8 * (1 + uint64_t{c.key_count})) + kShort + c.key_count * key;
    case CacheCmd::MSet:
      return memory::jemalloc_usable(8 * (1 + 2 * uint64_t{c.key_count})) + kShort +
             c.key_count * (key + memory::value_bytes(c.value_bytes));
    default:
      return 0;
  }
}

Node::Node(std::string name, uint16_t index, const StoreConfig& store_cfg, Rng store_rng, const RealDist& service_us,
           Rng service_rng)
    : name_(std::move(name)),
      index_(index),
      cluster_mode_(store_cfg.cluster_mode),
      owner_(16384, kNoNode),
      migrating_to_(16384, kNoNode),
      importing_from_(16384, kNoNode),
      store_(store_cfg, store_rng),
      keys_ns_per_key_(store_cfg.keys_ns_per_key),
      scan_ns_per_key_(store_cfg.scan_ns_per_key),
      service_us_(service_us),
      service_rng_(service_rng),
      coalesce_reads_(store_cfg.coalesce_client_reads),
      conns_per_instance_(std::max<uint32_t>(1, store_cfg.connections_per_instance)) {}

bool Node::read_with_previous(uint32_t conn, Time arrival, Time start, uint32_t bytes) {
  // Redis reads a client's socket once per event-loop turn (readQueryFromClient, up to PROTO_IOBUF_LEN = 16 KB) and
  // runs every whole command in it back to back (processInputBuffer), ref. §9.1. A command that reached the node
  // before the node read its connection for an earlier command still waiting is in that read: it shares its read,
  // its reply's write and its event-loop turn, as a command of a pipeline does. The node serves commands in arrival
  // order here (FIFO over all connections): the read changes what a command costs, not when its turn comes.
  if (reads_.size() <= conn) reads_.resize(static_cast<size_t>(conn) + 1);
  ConnRead& r = reads_[conn];
  if (arrival <= r.at && r.bytes + bytes <= kQueryReadBytes) {
    r.bytes += bytes;
    return true;
  }
  r.at = start;
  r.bytes = bytes;
  return false;
}

Time Node::sample_service() {
  return Time::saturated_ns(service_us_.sample(service_rng_) * 1000.0 * service_factor_ + 0.5);
}

Time Node::occupy(Time arrival, Time service) {
  const Time start = std::max(arrival, free_at_);
  free_at_ = start + service;
  busy_ += service;
  return free_at_;
}

Time Node::execute(const CacheCommand& c, uint32_t key_len, Time arrival, CacheReply& reply, bool keys_span_slots,
                   bool in_batch) {
  if (c.cmd == CacheCmd::Keys || c.cmd == CacheCmd::Scan) {
    // KEYS * walks every key of the node (keysCommand: one dictIterator over the whole dict); SCAN 0 COUNT c about c
    // of them (scanGenericCommand walks buckets until it has c keys or 10 x c empty buckets). Neither is keyed:
    // served by the node it is sent to, in any cluster state. Node time: the command's sampled service time plus a
    // cost per key walked, measured on Redis 7.0 (docs/redis-reference.md §13,
    // docs/measurements/keys-scan-cost-redis-7.0.csv) for the node's size, the names' length (the drawn key's name
    // stands for the node's: one key naming scheme) and whether the node holds keys with a TTL. Lazy expiry is not
    // applied to the keys walked.
    const uint64_t keys = store_.keys();
    const bool all = c.cmd == CacheCmd::Keys;
    const uint64_t walked = all ? keys : std::min<uint64_t>(keys, c.value_bytes);
    // A knob of null (< 0 here) takes the measured cost for this node's size (walk_cost.hpp).
    const double set = all ? keys_ns_per_key_ : scan_ns_per_key_;
    const double per_key_ns = set >= 0 ? set
                                       : measured_walk_ns_per_key(all ? WalkCommand::Keys : WalkCommand::Scan, keys,
                                                                  key_len, store_.volatile_keys() > 0);
    const Time walk = Time::saturated_ns(per_key_ns * static_cast<double>(walked) + 0.5);
    reply.kind = ReplyKind::Value;
    reply.value_bytes = static_cast<uint32_t>(std::min<uint64_t>(walked, UINT32_MAX));
    ++ops_;
    return occupy(arrival, (in_batch ? batched(sample_service()) : sample_service()) + walk);
  }
  const Time start = std::max(arrival, free_at_);
  // The command's bytes as sent (RESP: the name, the key, a value; ~30 bytes of framing).
  const bool read_together =
      in_batch ||
      (coalesce_reads_ &&
       read_with_previous(uint32_t{c.client} * conns_per_instance_ + c.conn, arrival, start,
                          30 + key_len + (c.cmd == CacheCmd::Set || c.cmd == CacheCmd::MSet ? c.value_bytes : 0)));
  Time service = read_together ? batched(sample_service()) : sample_service();
  // A value's bytes cost node time (ref. §12): a SET's are read and parsed with the request whatever the reply, a
  // GET's are copied into the reply below, once the lookup found them. Not reduced in a batch: a cost per byte.
  if ((c.cmd == CacheCmd::Set || c.cmd == CacheCmd::MSet) && set_ns_per_byte() > 0)
    service += byte_cost(set_ns_per_byte(), uint64_t{c.value_bytes} * (c.cmd == CacheCmd::MSet ? c.key_count : 1u));
  free_at_ = start + service;
  busy_ += service;
  ++ops_;
  const bool multi = c.key_count > 1 && (c.cmd == CacheCmd::MGet || c.cmd == CacheCmd::MSet || c.cmd == CacheCmd::Del ||
                                         c.cmd == CacheCmd::Eval);
  if (cluster_mode_) {
    if (multi && keys_span_slots) {  // -CROSSSLOT Keys in request don't hash to the same slot (ref. §2.2 step 1)
      reply.kind = ReplyKind::CrossSlot;
      return free_at_;
    }
    const size_t slot = c.slot;
    const uint16_t owner = this->owner(static_cast<int>(slot));
    if (owner == kNoNode || !cluster_ok_) {  // -CLUSTERDOWN Hash slot not served / The cluster is down (§2.2)
      reply.kind = ReplyKind::ClusterDown;
      return free_at_;
    }
    const bool migrating = owner == index_ && migrating_to_[slot] != kNoNode;
    const bool importing = importing_from_[slot] != kNoNode && c.asking;
    if (migrating || importing) {
      // Each key is looked up without touching it (§2.2 step 3); MSET's keys are looked up as well.
      uint32_t missing = 0;
      for (uint32_t i = 0; i < (multi ? c.key_count : 1u); ++i) missing += !store_.exists(c.key + i, start);
      const uint32_t keys = multi ? c.key_count : 1u;
      if (migrating && missing > 0) {  // some present: TRYAGAIN; none: ASK (step 7)
        reply.kind = missing < keys ? ReplyKind::TryAgain : ReplyKind::Ask;
        reply.redirect_node = migrating_to_[slot];
        return free_at_;
      }
      if (!migrating && multi && missing > 0) {  // importing with ASKING, several keys, some missing (step 8)
        reply.kind = ReplyKind::TryAgain;
        return free_at_;
      }
    }
    // A READONLY client's read on a replica of the slot's owner is served here, from the replica's copy (§2.2 step
    // 9): what the replication stream has brought so far, so it may be behind its master.
    const bool replica_read =
        c.readonly && role_ == Role::Replica && master_ == owner && (c.cmd == CacheCmd::Get || c.cmd == CacheCmd::MGet);
    if (owner != index_ && !importing && !replica_read) {
      reply.kind = ReplyKind::Moved;
      reply.redirect_node = owner;
      return free_at_;
    }
  }
  // performEvictions runs before every command when maxmemory is set (server.c processCommand).
  // A replica does not evict (replica-ignore-maxmemory, ref. §7.2): only READONLY reads reach one here.
  // The command's arguments count while it runs (ref. §7.8.2). Sized only when they might matter: a string object
  // of n bytes takes at most 2n + 64, so below this bound used_memory plus them fits and nothing is evicted anyway.
  uint64_t args = 0;
  if (store_.maxmemory() &&
      store_.used_memory() + (2 * (uint64_t{key_len} + c.value_bytes) + 128) * c.key_count + 256 > store_.maxmemory())
    args = node_command_args_bytes(c, key_len);
  const bool room = role_ == Role::Master ? store_.make_room(start, args) : true;
  // processCommand refuses a write when a master lacks good replicas (checkGoodReplicasStatus), after the cluster
  // redirection and the OOM check (ref. §0, §6.1). Off by default: one predictable test on every command.
  if (min_replicas_ > 0 && c.cmd != CacheCmd::Get && c.cmd != CacheCmd::MGet && (room || c.cmd == CacheCmd::Del) &&
      role_ == Role::Master && good_replicas_ < min_replicas_) {
    reply.kind = ReplyKind::NoReplicas;
    return free_at_;
  }
  switch (c.cmd) {
    case CacheCmd::Get: {
      uint32_t bytes = 0;
      reply.kind = store_.get(c.key, start, &bytes, &reply.expire_at_ms, &reply.aux, &reply.version) ? ReplyKind::Value
                                                                                                     : ReplyKind::Nil;
      reply.value_bytes = bytes;
      if (bytes > 0) add_reply_copy(bytes);
      break;
    }
    case CacheCmd::MGet: {
      uint32_t found = 0, bytes = 0, total = 0;
      uint64_t mask = 0;
      for (uint32_t i = 0; i < c.key_count; ++i)
        if (store_.get(c.key + i, start, &bytes)) {
          ++found;
          total += bytes;
          if (i < 64) mask |= uint64_t{1} << i;
        }
      reply.found = static_cast<uint8_t>(found);  // found <= c.key_count, a uint8_t
      reply.found_mask = mask;
      reply.value_bytes = total;
      reply.kind = found == c.key_count ? ReplyKind::Value : found ? ReplyKind::Ok : ReplyKind::Nil;
      if (total > 0) add_reply_copy(total);
      break;
    }
    case CacheCmd::Set:
    case CacheCmd::MSet:
    case CacheCmd::Incr:
      if (!room) {  // SET, MSET and INCR are CMD_DENYOOM
        reply.kind = ReplyKind::Oom;
        break;
      }
      if (c.cmd == CacheCmd::Incr) {
        const int64_t expire_at = store_.incr(c.key, key_len, start, c.slot);
        reply.kind = ReplyKind::Ok;
        replicate(ReplOp{ReplOp::Kind::Set, c.key, key_len, 1, expire_at, c.slot});
        break;
      }
      if (c.nx && store_.exists(c.key, start)) {  // SET NX on an existing key: nil, nothing written
        reply.kind = ReplyKind::Nil;
        break;
      }
      {
        // MSET sets no TTL (its syntax has none); SET takes PX.
        const int64_t expire_at =
            c.cmd == CacheCmd::Set && c.ttl_ms >= 0 ? start.nanos() / 1'000'000 + c.ttl_ms : Store::kNoExpiry;
        const uint32_t keys = c.cmd == CacheCmd::MSet ? c.key_count : 1u;
        for (uint32_t i = 0; i < keys; ++i) {
          store_.set(c.key + i, key_len, c.value_bytes, expire_at, start, c.slot, c.aux, c.version, c.hash);
          replicate(ReplOp{ReplOp::Kind::Set, c.key + i, key_len, c.value_bytes, expire_at, c.slot, c.version, c.hash});
        }
        reply.kind = ReplyKind::Ok;
        break;
      }
    case CacheCmd::Del:  // DEL is not DENYOOM: it frees memory
      for (uint32_t i = 0; i < (multi ? c.key_count : 1u); ++i)
        if (store_.del(c.key + i, start)) replicate(ReplOp{ReplOp::Kind::Del, c.key + i, key_len, 0, -1, c.slot});
      reply.kind = ReplyKind::Ok;
      break;
    case CacheCmd::Eval: {
      // EVALSHA (docs/redis-reference.md §11): the cluster checks above ran on the script's declared keys (CROSSSLOT,
      // MOVED, ASK as for any multi-key command); now the script runs to its end on the command thread, so its
      // redis.call all apply at `start` and no other command runs before free_at_. A script without flags is let in
      // under OOM, but its first redis.call of a CMD_DENYOOM command (INCR) fails the script (script.c
      // scriptVerifyOOM): -OOM, nothing written.
      if (!room) {
        reply.kind = ReplyKind::Oom;
        break;
      }
      const Time script = script_node_time(c.value_bytes);
      free_at_ += script;
      busy_ += script;
      // INCR K times over n keys: the store keeps no integer, only the key's presence, size and TTL, so one INCR per
      // key has the same effect. Replicated as its effects (7.0's default), one write per key.
      const uint32_t keys =
          std::min<uint32_t>(std::max<uint32_t>(1, c.key_count), std::max<uint32_t>(1, c.value_bytes));
      for (uint32_t i = 0; i < keys; ++i) {
        const int64_t expire_at = store_.incr(c.key + i, key_len, start, c.slot);
        replicate(ReplOp{ReplOp::Kind::Set, c.key + i, key_len, 1, expire_at, c.slot});
      }
      reply.kind = ReplyKind::Ok;
      break;
    }
    case CacheCmd::Keys:
    case CacheCmd::Scan:
      break;  // served at the top, before the cluster checks
  }
  return free_at_;
}

void Node::on_store_delete(uint64_t key, Time now) { replicate(ReplOp{ReplOp::Kind::Del, key, 0, 0, -1, 0}, now); }

}  // namespace cachelab
