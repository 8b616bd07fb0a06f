#include "cachelab/run/sim_backend.hpp"

#include <algorithm>

#include "cachelab/net/transfer.hpp"

namespace cachelab {

namespace {
// A reused entry of `pool`: the last one freed, else a new one (commands, batches and slot fetches each keep one).
template <class T>
uint32_t take_entry(std::vector<T>& pool, std::vector<uint32_t>& free) {
  if (free.empty()) {
    pool.emplace_back();
    return static_cast<uint32_t>(pool.size() - 1);
  }
  const uint32_t i = free.back();
  free.pop_back();
  return i;
}
// The value bytes a command carries to the node (SET, MSET) and its reply back (GET, MGET): what takes transfer
// time (keys and the protocol's framing, tens of bytes, do not count).
uint64_t sim_backend_request_bytes(const CacheCommand& c) {
  if (c.cmd == CacheCmd::Set) return c.value_bytes;
  if (c.cmd == CacheCmd::MSet) return uint64_t{c.value_bytes} * c.key_count;
  return 0;
}
uint64_t sim_backend_reply_bytes(const CacheCommand& c, const CacheReply& r) {
  return (c.cmd == CacheCmd::Get || c.cmd == CacheCmd::MGet) ? r.value_bytes : 0;
}
Time sim_backend_transfer(double ns_per_byte, uint64_t bytes) {
  return Time::saturated_ns(ns_per_byte * static_cast<double>(bytes) + 0.5);
}
}  // namespace

SimCacheBackend::SimCacheBackend(Simulation& sim, std::vector<Node>& nodes, Network& net, const KeyNamer& namer,
                                 Time timeout)
    : sim_(sim), nodes_(nodes), net_(net), namer_(namer), timeout_(timeout) {
  batch_arrival_.self = this;
  nic_ns_per_byte_ = net_.nic_ns_per_byte();
  flat_nic_ = net_.flat() && nic_ns_per_byte_ > 0;
  nic_free_.assign(nodes_.size(), Time{});
}

void SimCacheBackend::send(const CacheCommand& c, uint32_t tag) {
  const uint32_t s = take_entry(slots_, free_);
  const Network::Trip trip = net_.sample_trip(c.client, c.node);
  slots_[s] = InFlight{c, tag, sim_.now(), trip.back, CacheReply{}};
  // The request's value bytes cross the path's links (no queue on the way in).
  const uint64_t bytes = sim_backend_request_bytes(c);
  const Time there = bytes > 0 ? trip.there + request_transfer(c.client, c.node, bytes) : trip.there;
  sim_.at(sim_.now() + there, this, (uint64_t{s} << 2) | kArrive);
}

Time SimCacheBackend::request_transfer_path(uint16_t client, uint32_t node, uint64_t bytes) {
  const double path_ns_per_byte = net_.ns_per_byte(client, node);
  if (bytes <= kValueSliceBytes) return sim_backend_transfer(path_ns_per_byte, bytes);  // one slice
  // Bigger: the node reads and parses the slices as they arrive (net/transfer.hpp, docs/redis-reference.md §12.3).
  return sliced_request_lead(bytes, path_ns_per_byte, net_.max_ns_per_byte(client, node),
                             nodes_[node].set_ns_per_request_byte());
}

Time SimCacheBackend::reply_arrival_path(uint32_t node, uint16_t client, Time done, uint64_t bytes, Time back) {
  const double path_ns_per_byte = net_.ns_per_byte(client, node);
  if (path_ns_per_byte <= 0) return done + back;
  if (nic_free_.size() <= node) nic_free_.resize(nodes_.size() > node ? nodes_.size() : node + 1, Time{});
  const double nic = nic_ns_per_byte_;
  if (bytes > kValueSliceBytes) {
    // Several slices: the node's copy, its NIC and the path's links overlap (net/transfer.hpp, ref. §12.3).
    const Time copy = nodes_[node].reply_copy_time(bytes);
    const double slowest = net_.max_ns_per_byte(client, node);
    return sliced_reply_arrival(done, copy, bytes, nic, path_ns_per_byte, slowest, &nic_free_[node]) + back;
  }
  // One slice: the reply waits for the NIC, then crosses the path's links whole.
  const Time start = std::max(done, nic_free_[node]);
  const Time wire = sim_backend_transfer(nic, bytes);
  nic_free_[node] = start + wire;
  // Flat: the path is the NIC's one link.
  return start + (path_ns_per_byte == nic ? wire : sim_backend_transfer(path_ns_per_byte, bytes)) + back;
}

void SimCacheBackend::send_batch(const BatchedCommand* cmds, size_t n) {
  if (n == 0) return;
  const uint32_t b = take_entry(batches_, free_batches_);
  // One write, one message: every command of the batch takes the same trip.
  const Network::Trip trip = net_.sample_trip(cmds[0].cmd.client, cmds[0].cmd.node);
  std::vector<uint32_t>& list = batches_[b].slots;
  list.clear();
  uint64_t bytes = 0;
  for (size_t i = 0; i < n; ++i) {
    const uint32_t s = take_entry(slots_, free_);
    slots_[s] = InFlight{cmds[i].cmd, cmds[i].tag, sim_.now(), trip.back, CacheReply{}};
    bytes += sim_backend_request_bytes(cmds[i].cmd);
    list.push_back(s);
  }
  sim_.at(
      sim_.now() + trip.there + (bytes > 0 ? request_transfer(cmds[0].cmd.client, cmds[0].cmd.node, bytes) : Time{}),
      &batch_arrival_, b);
}

void SimCacheBackend::on_batch(Time now, uint32_t b) {
  std::vector<uint32_t> list;
  list.swap(batches_[b].slots);
  free_batches_.push_back(b);
  const InFlight& first = slots_[list.front()];
  Node& node = nodes_[first.cmd.node];
  const Time back = first.back;
  if (net_.client_cut(first.cmd.client, first.cmd.node) || !node.alive() || node.paused()) {
    // As a single command (on_event): lost or frozen ends as each command's timeout; refused comes back a trip later.
    const bool refused = !net_.client_cut(first.cmd.client, first.cmd.node) && !node.alive();
    for (uint32_t s : list) {
      InFlight& f = slots_[s];
      f.reply = CacheReply{refused ? ReplyKind::Connection : ReplyKind::Timeout, 0, 0};
      sim_.at(refused ? now + back : std::max(now, f.sent + timeout_), this, (uint64_t{s} << 2) | kReply);
    }
  } else {
    // processInputBuffer runs every command read, back to back; the replies wait in the client's buffer and are
    // written together before the event loop sleeps (handleClientsWithPendingWrites).
    Time done = now;
    uint64_t bytes = 0;
    for (size_t i = 0; i < list.size(); ++i) {
      InFlight& f = slots_[list[i]];
      done = execute(f, now, i > 0);
      bytes += sim_backend_reply_bytes(f.cmd, f.reply);
    }
    const Time at = bytes > 0 ? reply_arrival(first.cmd.node, first.cmd.client, done, bytes, back) : done + back;
    for (uint32_t s : list) {
      InFlight& f = slots_[s];
      const Time deadline = f.sent + timeout_;
      Time when = at;
      if (at > deadline) {
        f.reply = CacheReply{ReplyKind::Timeout, 0};
        when = std::max(deadline, now);
      }
      sim_.at(when, this, (uint64_t{s} << 2) | kReply);
    }
  }
  list.clear();
  if (batches_[b].slots.capacity() == 0) batches_[b].slots.swap(list);  // keep the buffer
}

Time SimCacheBackend::execute(InFlight& f, Time now, bool in_batch) {
  Node& node = nodes_[f.cmd.node];
  // The server hashes every key of a multi-key command (getNodeByQuery, docs/redis-reference.md §2.2 step 1).
  bool span = false;
  if (f.cmd.key_count > 1)
    for (uint32_t i = 1; i < f.cmd.key_count && !span; ++i) span = namer_.slot(f.cmd.key + i) != namer_.slot(f.cmd.key);
  // A lock key is "{name}:lock": the data key's slot, 7 more bytes of name.
  const uint64_t data_key = f.cmd.key & ~kLockKeyBit;
  const uint32_t key_len = static_cast<uint32_t>(namer_.length(data_key)) + (data_key != f.cmd.key ? 7u : 0u);
  return node.execute(f.cmd, key_len, now, f.reply, span, in_batch);
}

void SimCacheBackend::fetch_slots(uint32_t node, uint16_t client) {
  if (node != kAnyNode && net_.client_cut(client, node)) node = kAnyNode;  // cut off from it: ask another node
  bool found = node != kAnyNode;
  if (node == kAnyNode) {
    // The client asks any node it can reach: the first live master after a rotating start.
    node = 0;
    for (size_t i = 0; i < nodes_.size(); ++i) {
      const size_t c = (next_any_ + i) % nodes_.size();
      if (nodes_[c].alive() && !nodes_[c].paused() && nodes_[c].role_kind() == Role::Master &&
          !net_.client_cut(client, static_cast<uint32_t>(c))) {
        node = static_cast<uint32_t>(c);
        found = true;
        break;
      }
    }
    next_any_ = (next_any_ + 1) % nodes_.size();
  }
  const uint32_t f = new_fetch(client);
  if (!found && net_.client_cut(client, node)) {  // no node it can reach: CLUSTER SLOTS times out, then it asks again
    fetches_[f].node = kAnyNode;
    sim_.at(sim_.now() + timeout_, this, (uint64_t{f} << 2) | kSlotsArrive);
    return;
  }
  const Network::Trip trip = net_.sample_trip(client, node);
  fetches_[f].node = node;
  fetches_[f].back = trip.back;
  sim_.at(sim_.now() + trip.there, this, (uint64_t{f} << 2) | kSlotsArrive);
}

uint32_t SimCacheBackend::new_fetch(uint16_t client) {
  const uint32_t f = take_entry(fetches_, free_fetches_);
  fetches_[f].client = client;
  fetches_[f].seed = false;
  return f;
}

void SimCacheBackend::fetch_seed_slots(uint32_t node, uint16_t client) {
  const uint32_t f = new_fetch(client);
  const Network::Trip trip = net_.sample_trip(client, node);
  fetches_[f].node = node;
  fetches_[f].seed = true;
  fetches_[f].sent = sim_.now();
  fetches_[f].back = trip.back;
  sim_.at(sim_.now() + trip.there, this, (uint64_t{f} << 2) | kSlotsArrive);
}

void SimCacheBackend::on_event(Time now, uint64_t ev) {
  const uint32_t s = static_cast<uint32_t>(ev >> 2);
  if ((ev & 3) == kSlotsArrive) {
    SlotsFetch& f = fetches_[s];
    if (f.seed) {  // a seed: as a command (send above), a node that cannot answer is an empty reply
      Node& node = nodes_[f.node];
      f.owners.clear();
      if (net_.client_cut(f.client, f.node) || node.paused()) {
        sim_.at(std::max(now, f.sent + timeout_), this, (uint64_t{s} << 2) | kSlotsReply);
      } else if (!node.alive()) {
        sim_.at(now + f.back, this, (uint64_t{s} << 2) | kSlotsReply);
      } else {
        f.owners = node.owners();
        const Time at = node.occupy(now, node.sample_service()) + f.back;
        if (at > f.sent + timeout_) f.owners.clear();  // too late: the client has given up on this seed
        sim_.at(std::max(now, std::min(at, f.sent + timeout_)), this, (uint64_t{s} << 2) | kSlotsReply);
      }
      return;
    }
    if (f.node == kAnyNode) {  // a timed-out attempt (above): try again
      free_fetches_.push_back(s);
      fetch_slots(kAnyNode, f.client);
      return;
    }
    Node& node = nodes_[f.node];
    f.owners = node.owners();  // the node's view when it runs the command
    sim_.at(node.occupy(now, node.sample_service()) + f.back, this, (uint64_t{s} << 2) | kSlotsReply);
    return;
  }
  if ((ev & 3) == kSlotsReply) {
    const uint16_t client = fetches_[s].client;
    std::vector<uint16_t> owners;
    owners.swap(fetches_[s].owners);
    free_fetches_.push_back(s);
    slots_reply_(client, owners);
    return;
  }
  InFlight& f = slots_[s];
  if ((ev & 3) == kArrive) {
    Node& node = nodes_[f.cmd.node];
    if (net_.client_cut(f.cmd.client, f.cmd.node)) {  // a partition: the command is lost, the client times out
      f.reply = CacheReply{ReplyKind::Timeout, 0, 0};
      sim_.at(std::max(now, f.sent + timeout_), this, (uint64_t{s} << 2) | kReply);
      return;
    }
    if (!node.alive()) {  // a dead process: the connection is refused (RST), the client learns it one trip later
      f.reply = CacheReply{ReplyKind::Connection, 0, 0};
      sim_.at(now + f.back, this, (uint64_t{s} << 2) | kReply);
      return;
    }
    if (node.paused()) {  // a frozen process: TCP accepts, nothing answers; the client times out
      f.reply = CacheReply{ReplyKind::Timeout, 0, 0};
      sim_.at(std::max(now, f.sent + timeout_), this, (uint64_t{s} << 2) | kReply);
      return;
    }
    const Time done = execute(f, now, false);
    const uint64_t bytes = sim_backend_reply_bytes(f.cmd, f.reply);
    Time at = bytes > 0 ? reply_arrival(f.cmd.node, f.cmd.client, done, bytes, f.back) : done + f.back;
    const Time deadline = f.sent + timeout_;
    if (at > deadline) {
      f.reply = CacheReply{ReplyKind::Timeout, 0};
      // A timeout shorter than the one-way trip is noticed when the command reaches the node.
      at = std::max(deadline, now);
    }
    sim_.at(at, this, (uint64_t{s} << 2) | kReply);
    return;
  }
  const uint32_t tag = f.tag;
  const CacheReply reply = f.reply;
  free_.push_back(s);
  reply_(tag, reply);
}

}  // namespace cachelab
