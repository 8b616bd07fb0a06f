// Pipelining as batching (clients.batch): what redis-py's pipeline(), Jedis' Pipeline and a hiredis client that
// calls redisAppendCommand N times and then redisGetReply N times do. A client instance collects up to `size`
// commands for one node and writes them in one write; the first command of a batch waits at most `max_wait_us` for
// the others (a wait that counts in the request's latency, not in timeout_ms, which starts at the write). The node
// reads the batch in one read and runs the commands back to back, then writes the replies together
// (run/sim_backend.cpp; docs/redis-reference.md §9: per command ≈ 7.4 µs alone, ≈ 0.75 µs in a
// pipeline of 16). Each command keeps its own tag, so a MOVED, ASK, timeout or error in a batch is handled per
// command: a redirected command joins a batch for its new node. Batches are per (instance, node), as a cluster
// client's pipeline splits its commands by node.
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

void ClientLogic::batch_add(uint32_t tag, const CacheCommand& c) {
  auto& per_node = batches_[c.client];
  if (per_node.size() <= c.node) per_node.resize(static_cast<size_t>(c.node) + 1);
  BatchQueue& q = per_node[c.node];
  q.cmds.push_back(BatchedCommand{c, tag});
  if (q.cmds.size() >= batch_size_) {
    batch_flush(c.client, c.node);
    return;
  }
  if (q.cmds.size() == 1) {  // the batch's first command: the wait starts
    const uint64_t arg = (uint64_t{q.gen & 0x1FFFFFFFu} << 32) | (uint64_t{c.node & 0xFFFFu} << 16) | c.client;
    timers_->at(clock_.now() + Time::saturated_ns(opt_.batch_max_wait_us * 1000.0 + 0.5), this,
                (arg << 3) | kBatchFlush);
  }
}

void ClientLogic::batch_flush(uint16_t client, uint32_t node) {
  BatchQueue& q = batches_[client][node];
  ++q.gen;
  if (q.cmds.empty()) return;
  if (measured()) {
    ++stats_.batches;
    stats_.batched_commands += q.cmds.size();
  }
  // Swapped out first: the back-end never calls back from send_batch, but a batch being written must not change.
  std::vector<BatchedCommand> out;
  out.swap(q.cmds);
  cache_.send_batch(out.data(), out.size());
  out.clear();
  if (q.cmds.empty()) q.cmds.swap(out);  // keep the buffer's capacity
}

void ClientLogic::on_batch_timer(uint64_t arg) {
  const uint16_t client = static_cast<uint16_t>(arg & 0xFFFF);
  const uint32_t node = static_cast<uint32_t>((arg >> 16) & 0xFFFF);
  const uint32_t gen = static_cast<uint32_t>(arg >> 32);
  BatchQueue& q = batches_[client][node];
  if ((q.gen & 0x1FFFFFFFu) != gen || q.cmds.empty()) return;  // that batch was written full
  if (measured()) ++stats_.batch_timer_flushes;
  batch_flush(client, node);
}

}  // namespace cachelab
