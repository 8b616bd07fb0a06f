#pragma once
// The simulated cache back-end: a command travels to its node (half a sampled RTT, or its path in a zones topology:
// net/network.hpp), waits for the node's single thread, executes, and its reply travels back. A reply later than the
// client's timeout is delivered as a timeout at the deadline (the node still did the work); a command across a
// partition is lost and ends as that timeout. A batch (clients.batch, send_batch) travels as one message: the node
// runs its commands back to back, the first at its full service time and the others at kPipelinedCommandShare of
// theirs (cluster/node.hpp), and the replies travel back together after the last one.
#include <functional>
#include <vector>

#include "cachelab/protocol/backend.hpp"
#include "cachelab/cluster/node.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/net/transfer.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {

class SimCacheBackend final : public CacheBackend, private EventHandler {
 public:
  using ReplyFn = std::function<void(uint32_t tag, const CacheReply&)>;
  using SlotsFn = std::function<void(uint16_t client, const std::vector<uint16_t>& owners)>;
  SimCacheBackend(Simulation& sim, std::vector<Node>& nodes, Network& net, const KeyNamer& namer, Time timeout);
  void on_reply(ReplyFn fn) { reply_ = std::move(fn); }
  void on_slots(SlotsFn fn) { slots_reply_ = std::move(fn); }
  void send(const CacheCommand& c, uint32_t tag) override;
  void send_batch(const BatchedCommand* cmds, size_t n) override;
  void fetch_slots(uint32_t node, uint16_t client) override;
  // A seed that is dead refuses the connection (the client learns it one trip later); a frozen one, or one across a
  // cut, leaves CLUSTER SLOTS to time out at the client's timeout: both answer an empty owner list.
  void fetch_seed_slots(uint32_t node, uint16_t client) override;
  void prefetch(uint32_t node, uint64_t key) override { nodes_[node].store().prefetch(key); }
  void prefetch_entry(uint32_t node, uint64_t key) override { nodes_[node].store().prefetch_entry(key); }

 private:
  enum Kind : uint64_t { kArrive = 0, kReply = 1, kSlotsArrive = 2, kSlotsReply = 3 };
  struct SlotsFetch {
    uint32_t node;
    uint16_t client;
    bool seed = false;  // fetch_seed_slots: a node that does not answer is reported (empty owners)
    Time sent;
    Time back;
    std::vector<uint16_t> owners;
  };
  uint32_t new_fetch(uint16_t client);
  struct InFlight {
    CacheCommand cmd;
    uint32_t tag;
    Time sent;
    Time back;  // return-trip delay
    CacheReply reply;
  };
  // A reply of `bytes` value bytes (> 0), ready at the node at `done`: it waits for the node's NIC (one reply at a
  // time), is sent at the NIC's speed and crosses the path's links; over 64 KB in slices that overlap the node's copy
  // (net/transfer.hpp, docs/redis-reference.md §12.3). Returns when it reaches the client.
  // Inline: the common case, a flat network and one slice, is a few instructions on every GET that hits.
  Time reply_arrival(uint32_t node, uint16_t client, Time done, uint64_t bytes, Time back) {
    if (flat_nic_ && bytes <= kValueSliceBytes && node < nic_free_.size()) {
      const Time start = std::max(done, nic_free_[node]);
      const Time wire = Time::saturated_ns(nic_ns_per_byte_ * static_cast<double>(bytes) + 0.5);
      nic_free_[node] = start + wire;
      return start + wire + back;
    }
    return reply_arrival_path(node, client, done, bytes, back);
  }
  Time reply_arrival_path(uint32_t node, uint16_t client, Time done, uint64_t bytes, Time back);
  // A request's value bytes from the client to the node: their transfer time, or over 64 KB how much later than
  // the trip the node can start reading them (the rest overlaps its reading, net/transfer.hpp).
  Time request_transfer(uint16_t client, uint32_t node, uint64_t bytes) {
    if (flat_nic_ && bytes <= kValueSliceBytes)
      return Time::saturated_ns(nic_ns_per_byte_ * static_cast<double>(bytes) + 0.5);
    return request_transfer_path(client, node, bytes);
  }
  Time request_transfer_path(uint16_t client, uint32_t node, uint64_t bytes);
  double nic_ns_per_byte_ = 0;  // the network's NIC speed (Network::nic_ns_per_byte)
  bool flat_nic_ = false;       // a flat network with NICs: every path is the NIC's one link
  std::vector<Time> nic_free_;  // per node: when its NIC has sent its last reply
  void on_event(Time now, uint64_t ev) override;
  // The node runs one command that reached it at `now`; its reply is kept in f.reply. Returns its completion.
  Time execute(InFlight& f, Time now, bool in_batch);
  // A batch reaches its node: its own handler, so single commands keep their event words.
  struct Batch {
    std::vector<uint32_t> slots;  // the InFlight of each command, in the batch's order
  };
  struct BatchArrival final : EventHandler {
    SimCacheBackend* self = nullptr;
    void on_event(Time now, uint64_t b) override { self->on_batch(now, static_cast<uint32_t>(b)); }
  };
  void on_batch(Time now, uint32_t b);
  std::vector<Batch> batches_;
  std::vector<uint32_t> free_batches_;
  BatchArrival batch_arrival_;

  Simulation& sim_;
  std::vector<Node>& nodes_;
  Network& net_;
  const KeyNamer& namer_;
  Time timeout_;
  ReplyFn reply_;
  SlotsFn slots_reply_;
  std::vector<SlotsFetch> fetches_;
  std::vector<uint32_t> free_fetches_;
  size_t next_any_ = 0;
  std::vector<InFlight> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace cachelab
