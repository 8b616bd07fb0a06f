// Connection pools per node in each client instance (clients.pool_size, clients.pipeline). What real pools do:
// Jedis' JedisCluster and redis-py's BlockingConnectionPool keep pool_size connections per node; a command borrows
// one, runs one request/reply on it and returns it, and a caller that finds none free blocks until one comes back
// (Jedis' default maxWait is forever, and the socket timeout starts when the command is written). Lettuce
// multiplexes many commands over one connection per node: pool_size 1 with a deep pipeline. So here an instance has
// at most pool_size * pipeline commands outstanding per node; a further command waits in FIFO order at the client,
// its wait is part of the request's latency and not of the command's timeout (clients.timeout_ms runs from the
// write). Commands are not reordered between nodes: a pool belongs to one node, and a wait never changes the target.
// pool_size 0 (the default) models no pool at all: every command goes out at once, as before pools existed.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

uint16_t ClientLogic::pool_take(PoolQueue& q) {
  // Which pooled connection carries the command: the least loaded, ties taken round-robin from after the last one
  // chosen, so every connection carries traffic (with pipeline 1 the free ones in turn, as a pool hands them out).
  // Live mode writes the command on that connection (LiveCacheBackend), and the node reads what waits on one
  // connection together (docs/redis-reference.md §9.1).
  const uint32_t n = opt_.pool_size;
  if (q.conn_load.empty()) q.conn_load.assign(n, 0);
  uint32_t best = q.next, best_load = UINT32_MAX;
  for (uint32_t j = 0, i = q.next; j < n; ++j, i = i + 1 == n ? 0 : i + 1) {
    if (q.conn_load[i] < best_load) {
      best = i;
      best_load = q.conn_load[i];
      if (best_load == 0) break;
    }
  }
  ++q.conn_load[best];
  q.next = best + 1 == n ? 0 : best + 1;
  return static_cast<uint16_t>(best);
}

bool ClientLogic::pool_admit(uint32_t tag, CacheCommand& c) {
  if (pool_node_.size() <= tag) pool_node_.resize(slots_.size(), UINT32_MAX);
  if (pool_conn_.size() <= tag) pool_conn_.resize(slots_.size(), 0);
  auto& per_node = pools_[c.client];
  if (per_node.size() <= c.node) per_node.resize(static_cast<size_t>(c.node) + 1);
  PoolQueue& q = per_node[c.node];
  pool_node_[tag] = c.node;
  if (q.busy < pool_cap_) {
    ++q.busy;
    c.conn = pool_conn_[tag] = pool_take(q);
    return true;
  }
  q.waiting.emplace_back(c, tag);
  if (measured()) {
    ++stats_.pool_queued;
    stats_.pool_max_waiting = std::max<uint64_t>(stats_.pool_max_waiting, q.waiting.size());
  }
  return false;
}

void ClientLogic::pool_release(uint32_t tag) {
  if (tag >= pool_node_.size() || pool_node_[tag] == UINT32_MAX) return;  // never sent (an open breaker)
  const uint32_t node = pool_node_[tag];
  pool_node_[tag] = UINT32_MAX;
  PoolQueue& q = pools_[slots_[tag].req.client][node];
  --q.conn_load[pool_conn_[tag]];
  if (q.waiting.empty()) {
    --q.busy;
    return;
  }
  // The freed place goes straight to the longest waiter (busy stays the same), on the least loaded connection.
  auto [cmd, next] = q.waiting.front();
  q.waiting.pop_front();
  cmd.conn = pool_conn_[next] = pool_take(q);
  trace(next, RequestTracer::HopKind::PoolGranted);
  cache_.send(cmd, next);
}

}  // namespace cachelab
