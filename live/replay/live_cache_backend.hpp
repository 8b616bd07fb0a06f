#pragma once
// The real cache behind ClientLogic (sim/include/cachelab/protocol/backend.hpp): GET/SET [NX] PX/DEL/INCR/MGET/MSET
// (HGETALL/HSET for workload.hash_objects), KEYS, SCAN and EVALSHA (a connection's first EVALSHA is preceded by
// SCRIPT LOAD: a restarted node has lost its script cache, and its connection is a new one) over one pipelined
// NodeConnection per node, all in one ppoll() loop driven by the live Driver. It routes nothing and follows no
// redirection: MOVED/ASK go back to ClientLogic as replies, so routing is the same code as in the simulator.
// Node indices are the simulator's order (master-1..N, then replica-m-r); the caller passes the endpoints so.
#include <poll.h>

#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/protocol/backend.hpp"
#include "cachelab/cache/store_config.hpp"
#include "cachelab/client/client_logic.hpp"
#include "live/client/endpoint.hpp"
#include "live/client/node_connection.hpp"
#include "live/replay/fatal_guard.hpp"

namespace cachelab::live {

struct LiveCacheOptions {
  std::vector<Endpoint> nodes;  // index = the simulator's node index
  // The scenario's clients section as it is (client_config.hpp). The back-end reads: timeout_ms per command;
  // pool_size (each client instance gets this many connections per node and spreads its commands over them, the
  // least loaded first, ClientLogic bounding what is in flight on them; 0: one connection per instance and node) with
  // instances; read_from (not master: every connection starts with READONLY, so a replica serves the reads the
  // client logic sends it for its master's slots, docs/redis-reference.md §2.2 step 9; on a master READONLY changes
  // nothing).
  ClientsConfig clients;
  Time reconnect_backoff = Time::ms(100);
  HashObjects hash;        // workload.hash_objects: the shape of the hashes a command marked hash writes
  std::string run_prefix;  // --redis: every key carries it, in its slot (key_prefix.hpp)
  std::string password;    // AUTH on every (re)connect (CACHELAB_REDIS_PASSWORD); empty: the lab's
                           // password of the node (credentials.hpp), if any
};

class LiveCacheBackend final : public CacheBackend {
 public:
  LiveCacheBackend(LiveCacheOptions options, const KeyNamer& namer, const Clock& clock);
  ~LiveCacheBackend() override;
  void attach(ClientLogic* client) { client_ = client; }
  // The owner vector to fall back on when a CLUSTER SLOTS fails (the last good one).
  void set_known_owners(std::vector<uint16_t> owners) { known_owners_ = std::move(owners); }

  void send(const CacheCommand& c, uint32_t tag) override;
  // clients.batch: the batch's commands on the instance's connection to the node, written in one write.
  void send_batch(const BatchedCommand* cmds, size_t n) override;
  void fetch_slots(uint32_t node, uint16_t client) override;
  // A seed that refuses the connection, times out or answers no slot map: on_slots(client, {}).
  void fetch_seed_slots(uint32_t node, uint16_t client) override;

  // Waits up to `max_wait` for socket activity, then handles replies, connection failures and timeouts.
  void pump(Time max_wait);
  // Called each time pump()'s poll returns, before any reply is delivered (live_world.cpp ticks its clock there).
  void set_on_wake(std::function<void()> f) { on_wake_ = std::move(f); }
  uint64_t outstanding() const;
  // Node indices currently believed down (connection failed), for kAnyNode choices.
  bool node_up(uint32_t node) const {
    for (size_t i = node * per_node_; i < (node + 1) * per_node_; ++i)
      if (!conns_[i].open_ok) return false;
    return true;
  }
  const std::vector<Endpoint>& nodes() const { return opt_.nodes; }
  // Why the run must stop (auth refused, an error on every command: fatal_guard.hpp), or "" while it may go on.
  const std::string& fatal() const { return guard_.why(); }

 private:
  // kWalk: KEYS, SCAN; kScriptLoad: SCRIPT LOAD of the script (its reply must be the SHA1 EVALSHA names);
  // kHGetAll: a hash object's read (an empty array is a miss)
  enum Kind : uint8_t { kSkip, kAuth, kGet, kSet, kDel, kSlots, kMGet, kSeedSlots, kWalk, kScriptLoad, kHGetAll };
  struct Entry {
    uint32_t tag;
    Kind kind;
    uint16_t client;
    Time deadline;
  };
  struct Conn {
    std::unique_ptr<NodeConnection> c;
    std::deque<Entry> q;         // in send order; replies arrive in this order
    size_t timed_out = 0;        // a prefix of q already reported as Timeout: their late replies are dropped
    bool open_ok = true;         // false after a failure until a reconnect succeeds
    bool script_loaded = false;  // SCRIPT LOAD sent on this connection since it was opened
    Time retry_at;
  };
  uint32_t node_of(uint32_t conn) const { return static_cast<uint32_t>(conn / per_node_); }
  // The connection of `client`'s pooled connection `pooled` to `node` (a command's: CacheCommand::conn).
  uint32_t connection(uint32_t node, uint16_t client, uint16_t pooled) const;
  bool ensure_open(uint32_t conn);
  void fail_conn(uint32_t node);
  void cluster_slots(uint32_t node, uint16_t client, Kind kind);
  void deliver(const Entry& e, const Reply& r, uint32_t node);
  void finish(const Entry& e, const CacheReply& r);
  void expire(Time now);
  uint32_t index_of(const Endpoint& ep) const;
  void append_key(uint64_t key);
  void append_value(const CacheCommand& cmd);
  // HSET key f0 v0 ... : the object's fields (the header in the first value), into the output buffer.
  void append_hset(std::string& out, const CacheCommand& cmd);

  LiveCacheOptions opt_;
  Time timeout_;  // command_timeout(opt_.clients)
  const KeyNamer& namer_;
  const Clock& clock_;
  ClientLogic* client_ = nullptr;
  uint32_t pool_ = 1;        // connections per (node, instance): pool_size, or 1 without a pool
  size_t per_node_ = 1;      // connections per node: pool_ x instances
  std::vector<Conn> conns_;  // node n's are [n * per_node_, (n + 1) * per_node_)
  std::vector<pollfd> fds_;
  std::vector<uint32_t> fd_conn_;
  std::vector<uint16_t> known_owners_;
  std::string value_;  // preallocated 'x' bytes: a SET's value is a prefix of it
  std::string keybuf_;
  std::string namebuf_;  // a prefixed key name being built
  std::function<void()> on_wake_;
  std::string headbuf_;                                 // a value's header being built (append_value)
  std::vector<Reply> replies_;                          // reused between reads
  std::vector<std::pair<Entry, CacheReply>> deferred_;  // failures decided in send(): delivered from pump()
  uint32_t next_any_ = 0;
  FatalReplyGuard guard_;
};

}  // namespace cachelab::live
