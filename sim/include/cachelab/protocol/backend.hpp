#pragma once
// What the client logic needs from the world, as two small interfaces. The simulator implements them with events in
// virtual time (run/sim_backend); live mode implements them with hiredis and wall-clock timers. The client logic
// (patterns, routing, later stampede protections) is written once against these.
#include <cstddef>
#include <cstdint>

#include "cachelab/core/time.hpp"

namespace cachelab {

// Get/Set/Del on one key; Incr: INCR (creates "1" when absent, keeps the TTL); MGet/MSet/Del with key_count > 1:
// the multi-key forms over key, key+1, ..., key+key_count-1 (one command: CROSSSLOT when the keys span slots,
// docs/redis-reference.md §2.2 step 1). Set with nx: SET key val NX PX ttl (a lock lease; Nil when the key exists).
// With `hash` (workload.hash_objects, docs/redis-reference.md §7.9) the object is one hash: Get is HGETALL, Set is
// HSET key f1 v1 ... fF vF (value_bytes per value; one command and one service time each, as a GET or SET).
// Keys: KEYS * on `node`; Scan: SCAN 0 COUNT value_bytes on `node` (one call from cursor 0): not keyed, so no
// redirection; the reply is a Value whose value_bytes is the number of keys returned.
// Eval: EVALSHA of the client's script (docs/redis-reference.md §11) with the keys key .. key+key_count-1 and
// value_bytes redis.call INCR over them in turn, run by the node in one go (nothing interleaves); CROSSSLOT when the
// keys span slots. The reply is Ok.
enum class CacheCmd : uint8_t { Get, Set, Del, Incr, MGet, MSet, Keys, Scan, Eval };

// Keys the client logic derives from a data key: bit 63 set = the key's lock ("{name}:lock", the same hash slot).
inline constexpr uint64_t kLockKeyBit = uint64_t{1} << 63;

// Copied into every in-flight slot and read by every layer a command crosses: members ordered widest first, 42 bytes
// of fields in 48. (The flags as bit-fields would keep it at 40 bytes, but each flag set is then a read-modify-write:
// 4.8M more flagship instructions against 2.4M for the 8 bytes.)
struct CacheCommand {
  uint64_t key = 0;
  int64_t ttl_ms = -1;       // Set: PX ttl, or -1 for none
  uint32_t node = 0;         // where the client's slot map says the key lives
  uint32_t value_bytes = 0;  // Set
  uint32_t version = 0;      // Set / MSet: the database version the value was read or written at (staleness)
  uint16_t client = 0;
  uint16_t slot = 0;  // the key's hash slot
  uint16_t aux = 0;   // Set: a small header stored with the value (XFetch's delta, encoded by the client)
  // Which of the instance's pooled connections to the node carries it (clients.pool_size; 0 without a pool), chosen
  // by the client logic (pool.cpp): the node reads a connection's waiting commands together (docs/redis-reference.md
  // §9.1) and live mode writes it on that connection.
  uint16_t conn = 0;
  CacheCmd cmd = CacheCmd::Get;
  uint8_t key_count = 1;  // MGet / MSet / Del / Eval: consecutive key numbers from `key`
  bool asking = false;    // preceded by ASKING (one-shot, docs/redis-reference.md §2.3)
  bool nx = false;        // Set: only if absent (SET NX)
  bool readonly = false;  // sent to a replica on a READONLY connection: it serves reads of its master's slots
                          // (docs/redis-reference.md §2.2 step 9)
  bool hash = false;      // workload.hash_objects: Get is HGETALL, Set is HSET of all the object's fields (no TTL)
};
static_assert(sizeof(CacheCommand) == 48, "one command, copied per send: keep it at 48 bytes");

// NoReplicas: -NOREPLICAS, a master refusing a write under min-replicas-to-write (docs/redis-reference.md §0, §6.1).
// Error: any other error reply (-WRONGTYPE, -ERR ...): the command failed, but the node answered: not a connection
// failure and the cache is not unavailable (no retry, no topology refresh, not degraded). The simulator never
// answers one; live mode does (an INCR on a key that holds a cached value).
enum class ReplyKind : uint8_t {
  Value,
  Nil,
  Ok,
  Moved,
  Ask,
  TryAgain,
  ClusterDown,
  Oom,
  Timeout,
  Connection,
  CrossSlot,
  NoReplicas,
  Error
};

// Copied per reply (node -> in-flight slot -> client): 32 bytes with no holes (40 with issue 16's version and MGET's
// found_mask in declaration order). The constructor keeps the short forms CacheReply{kind, value_bytes, redirect_node}
// while the members are laid out by size.
struct CacheReply {
  constexpr CacheReply(ReplyKind k = ReplyKind::Nil, uint32_t bytes = 0, uint32_t redirect = 0)
      : kind(k), value_bytes(bytes), redirect_node(redirect) {}
  ReplyKind kind = ReplyKind::Nil;
  uint8_t found = 0;  // MGet: keys present (kind Value when all are); at most CacheCommand::key_count (8 bits)
  uint16_t aux = 0;   // Get: the header stored with the value
  uint32_t value_bytes = 0;
  uint32_t redirect_node = 0;  // MOVED / ASK: the node named in the reply
  uint32_t version = 0;        // Get: the database version the value carries (a field of the value, as aux)
  int64_t expire_at_ms = -1;   // Get: absolute expiry on the client's clock (ms), -1 = none (PTTL or value header)
  uint64_t found_mask = 0;     // MGet: bit i set when key i was present (keys beyond 64: treated as missing)
};
static_assert(sizeof(CacheReply) == 32, "one reply, copied per command: keep it free of padding");

// One command of a batch (clients.batch): the command and the client logic's tag its reply goes back to.
struct BatchedCommand {
  CacheCommand cmd;
  uint32_t tag = 0;
};

class CacheBackend {
 public:
  virtual ~CacheBackend() = default;
  // Sends a command; the reply comes back later through ClientLogic::on_cache_reply(tag, reply).
  virtual void send(const CacheCommand& c, uint32_t tag) = 0;
  // Sends `n` commands of one client instance to one node in one write (pipelining as batching: the node reads
  // them together and runs them back to back, and writes the replies together). Each reply still comes back
  // through on_cache_reply with its own tag, in order. The default sends them one by one (test fakes).
  virtual void send_batch(const BatchedCommand* cmds, size_t n) {
    for (size_t i = 0; i < n; ++i) send(cmds[i].cmd, cmds[i].tag);
  }
  static constexpr uint32_t kAnyNode = UINT32_MAX;  // fetch_slots: any reachable node of the back-end's choice
  // CLUSTER SLOTS to `node` on behalf of client instance `client`; the answer (that node's view: owner per slot)
  // comes back through ClientLogic::on_slots(client, owners).
  virtual void fetch_slots(uint32_t node, uint16_t client) = 0;
  // CLUSTER SLOTS to seed `node` for client instance `client`, which has no slot map yet (clients.seeds). Unlike
  // fetch_slots, a seed that does not answer is reported: on_slots(client, {}) (an empty owner list) once the
  // connection is refused (a dead process) or the command timed out (a frozen process, a cut). The default asks as
  // fetch_slots does (test fakes).
  virtual void fetch_seed_slots(uint32_t node, uint16_t client) { fetch_slots(node, client); }
  // A performance hint, no behaviour: a command on `key` to `node` follows shortly.
  virtual void prefetch(uint32_t /*node*/, uint64_t /*key*/) {}
  virtual void prefetch_entry(uint32_t /*node*/, uint64_t /*key*/) {}
};

enum class OriginOutcome : uint8_t { Ok, Timeout, Rejected };

class KeyVersions;

class OriginBackend {
 public:
  virtual ~OriginBackend() = default;
  // A query to the backing database; the outcome comes back through ClientLogic::on_origin_reply(tag, outcome).
  virtual void query(bool write, uint64_t key, uint32_t tag) = 0;
  // The database's version of every key (origin/versions.hpp), for counting stale reads; null: not tracked.
  virtual KeyVersions* versions() { return nullptr; }
};

}  // namespace cachelab
