// The cluster bus: building messages (header, gossip section), sending them over the Topology, and processing them
// at the receiver (clusterProcessPacket, docs/redis-reference.md §3.4, §3.5, §4.2-§4.4). Messages live in a pool and
// are reused, gossip vectors keep their capacity, so steady-state gossip does not allocate.
#include <algorithm>
#include "state.hpp"

namespace cachelab::control {

uint32_t ControlPlane::Impl::new_message(MsgType type, int from, int to) {
  uint32_t id;
  if (!free_msgs.empty()) {
    id = free_msgs.back();
    free_msgs.pop_back();
  } else {
    id = static_cast<uint32_t>(pool.size());
    pool.emplace_back();
  }
  Message& m = pool[id];
  m.type = type;
  m.reply = false;
  m.from = from;
  m.to = to;
  m.paused_flag = false;
  m.forceack = false;
  m.subject = -1;
  m.subject_epoch = 0;
  m.claims_version = 0;
  m.slots.clear();
  m.gossip_count = 0;
  m.gossip_failing = false;
  fill_header(m);
  return id;
}

// clusterBuildMessageHdr: a replica sends its master's configEpoch (and, for votes, its master's slots).
void ControlPlane::Impl::fill_header(Message& m) {
  const NodeState& s = nodes[m.from];
  m.current_epoch = s.current_epoch;
  m.sender_master = s.is_master;
  m.sender_master_of = s.is_master ? -1 : s.master;
  m.config_epoch = s.is_master ? s.config_epoch : (s.master >= 0 ? s.peers[s.master].config_epoch : 0);
  m.offset = hooks.replication_offset(m.from);
  m.sender_state_ok = s.state_ok;
  m.paused_flag = s.is_master && s.mf_active;
  if (s.is_master) {
    m.slots = s.claims;
    m.claims_version = s.claims_version;
  }
}

// clusterSendPing's gossip section (§3.4): wanted random entries, then every PFAIL node. Each entry is read from the
// sender's hot words (4 bytes per peer, see state.hpp).
void ControlPlane::Impl::add_gossip(Message& m) {
  NodeState& s = nodes[m.from];
  int fresh = n - 2;
  const int wanted = gossip_wanted(n);
  int iterations = wanted * 3;
  if (++gossip_stamp == 0) {
    std::fill(gossip_mark.begin(), gossip_mark.end(), 0);
    gossip_stamp = 1;
  }
  const uint32_t* const hot = s.hot.data();
  uint32_t* const mark = gossip_mark.data();
  const uint32_t stamp = gossip_stamp;
  const int from = m.from;
  const size_t most = static_cast<size_t>(wanted) + static_cast<size_t>(s.pfail_count);
  if (m.gossip.size() < most) m.gossip.resize(most);
  GossipEntry* const out = m.gossip.data();
  Rng rng = s.rng;  // a local copy stays in registers through the loop
  const uint64_t nodes_n = static_cast<uint64_t>(n);
  size_t count = 0;
  if (s.pfail_count == 0) {
    // No PFAIL peer to skip: draw the nodes first, then read their words (independent loads, they overlap).
    // Marking myself first skips me as a repeat would; `fresh` runs out exactly when count reaches n - 2.
    // Redis draws while count < limit and fewer than `iterations` draws were made. With `repeats` draws that added
    // nothing, count + repeats draws were made, so the second condition holds while repeats <= iterations - limit:
    // the fast loop tests it on a repeat only, the exact loop takes over past it (never, in practice).
    const size_t limit = static_cast<size_t>(std::max(0, std::min(wanted, fresh)));
    const int spare = iterations - static_cast<int>(limit);
    int repeats = 0;
    mark[from] = stamp;
    while (count < limit) {
      const uint32_t j = static_cast<uint32_t>(rng.below(nodes_n));
      if (mark[j] == stamp) [[unlikely]] {  // myself, or already in this packet
        if (++repeats > spare) break;
        continue;
      }
      mark[j] = stamp;
      out[count++].node = j;
    }
    while (count < limit && static_cast<int>(count) + repeats < iterations) {
      const uint32_t j = static_cast<uint32_t>(rng.below(nodes_n));
      if (mark[j] == stamp) {
        ++repeats;
        continue;
      }
      mark[j] = stamp;
      out[count++].node = j;
    }
    uint32_t any = 0;
    for (size_t k = 0; k < count; ++k) {
      const uint32_t w = hot[out[k].node] & kHotEntryMask;
      out[k].word = w;
      any |= w;
    }
    m.gossip_failing = any & (kFlagPfail | kFlagFail);
  } else {
    m.gossip_failing = true;
    while (fresh > 0 && static_cast<int>(count) < wanted && iterations-- > 0) {
      const int j = static_cast<int>(rng.below(static_cast<uint64_t>(n)));
      if (j == from) continue;
      const uint32_t w = hot[j];
      if (w & kFlagPfail) continue;    // added below
      if (mark[j] == stamp) continue;  // already in this packet
      mark[j] = stamp;
      out[count++] = GossipEntry{static_cast<uint32_t>(j), w & kHotEntryMask};
      --fresh;
    }
    // Then PFAIL nodes, at most as many as were PFAIL when my last cron started (pfail_wanted = stats_pfail_nodes).
    int pfail_wanted = s.stats_pfail;
    for (int j = 0; j < n && pfail_wanted > 0; ++j)
      if (j != from && (hot[j] & kFlagPfail)) {
        if (count == m.gossip.size()) m.gossip.emplace_back();
        m.gossip[count++] = GossipEntry{static_cast<uint32_t>(j), hot[j] & kHotEntryMask};
        --pfail_wanted;
      }
  }
  s.rng = rng;
  m.gossip_count = static_cast<int>(count);
}

void ControlPlane::Impl::post(uint32_t id) {
  Message& m = pool[id];
  const int entries = m.gossip_count;
  ++stats.messages_sent;
  stats.bytes_sent += static_cast<uint64_t>(message_bytes(m.type, entries));
  ++stats.messages_by_type[static_cast<int>(m.type)];
  NodeState& s = nodes[m.from];
  const Delivery d = topo.sample(m.from, m.to, kChannelBus, s.net_rng);
  if (!d.delivered) {
    ++stats.messages_dropped;
    free_msgs.push_back(id);
    return;
  }
  // One TCP connection per direction: messages on it arrive in order.
  Time at = sim.now() + d.delay;
  Time& floor = s.peers[m.to].fifo_floor;
  if (at < floor) at = floor;
  floor = at;
  sim.at(at, this, kTagMsg | id);
  // The receiver will read its state and its view of me when this arrives, some ten events later (and its reply goes
  // through the view's second line): start those misses now.
  const char* r = reinterpret_cast<const char*>(&nodes[m.to]);
  const char* v = reinterpret_cast<const char*>(peer_store.data() + static_cast<size_t>(m.to) * n + m.from);
  __builtin_prefetch(r);
  __builtin_prefetch(r + 64);
  __builtin_prefetch(r + 128);
  __builtin_prefetch(v);
  __builtin_prefetch(v + 64);
}

void ControlPlane::Impl::send_ping(int from, int to, MsgType type, bool reply) {
  NodeState& me = nodes[from];
  PeerView& v = me.peers[to];
  if (type == MsgType::kPing && !me.ping_pending(to)) {
    me.set_ping_pending(to, true);
    v.ping_sent = sim.now();
  }
  // Replies go back on the inbound link; everything else needs our outbound link to be connected. A PING on a
  // link still connecting is queued and lost with it, but ping_sent is set all the same (§4.1).
  if (!reply && !me.link_connected(to)) return;
  const uint32_t id = new_message(type, from, to);
  pool[id].reply = reply;
  add_gossip(pool[id]);
  post(id);
}

void ControlPlane::Impl::broadcast_pong(int from, bool local_replicas_only) {
  const NodeState& s = nodes[from];
  for (int j = 0; j < n; ++j) {
    if (j == from) continue;
    if (local_replicas_only) {
      const PeerView& v = s.peers[j];
      const int mine = s.is_master ? from : s.master;
      if (v.is_master || v.master < 0 || v.master != mine) continue;
    }
    send_ping(from, j, MsgType::kPong);
  }
}

void ControlPlane::Impl::send_fail(int from, int about) {
  for (int j = 0; j < n; ++j) {
    if (j == from || !nodes[from].link_connected(j)) continue;
    const uint32_t id = new_message(MsgType::kFail, from, j);
    pool[id].subject = about;
    post(id);
  }
}

void ControlPlane::Impl::send_update(int from, int to, int about) {
  if (!nodes[from].link_connected(to)) return;
  const uint32_t id = new_message(MsgType::kUpdate, from, to);
  Message& m = pool[id];
  m.subject = about;
  m.subject_epoch = nodes[from].peers[about].config_epoch;
  m.slots = ranges_of(from, about);
  post(id);
}

void ControlPlane::Impl::broadcast_auth_request(int from) {
  const NodeState& s = nodes[from];
  const Ranges master_slots = ranges_of(from, s.master);
  for (int j = 0; j < n; ++j) {
    if (j == from || !s.link_connected(j)) continue;
    const uint32_t id = new_message(MsgType::kAuthRequest, from, j);
    pool[id].slots = master_slots;
    pool[id].forceack = s.mf_active && s.mf_can_start;
    post(id);
  }
}

void ControlPlane::Impl::send_auth_ack(int from, int to) {
  if (!nodes[from].link_connected(to)) return;
  post(new_message(MsgType::kAuthAck, from, to));
}

void ControlPlane::Impl::send_mfstart(int from, int to) {
  if (!nodes[from].link_connected(to)) return;
  post(new_message(MsgType::kMfStart, from, to));
}

void ControlPlane::Impl::deliver(uint32_t id) {
  NodeState& r = nodes[pool[id].to];
  if (!r.alive) {
    ++stats.messages_dropped;
    free_msgs.push_back(id);
    return;
  }
  if (r.paused) {  // TCP stays up: the message waits in the socket until the process runs again
    r.held.push_back(id);
    return;
  }
  // A PING is answered at once: start the misses of my reply's header (my claims, a replica's view of its master).
  if (pool[id].type != MsgType::kPong) {
    __builtin_prefetch(r.claims.data());
    if (r.master >= 0) __builtin_prefetch(&r.peers[static_cast<size_t>(r.master)]);
  }
  process(pool[id]);
  free_msgs.push_back(id);
}

// clusterProcessPacket for a known sender.
void ControlPlane::Impl::process(const Message& m) {
  const int self = m.to, s = m.from;
  NodeState& me = nodes[self];
  PeerView& v = me.peers[s];
  const Time now = sim.now();

  // Header (§3.5): liveness, epochs, offset.
  v.data_received = now;
  if (m.current_epoch > me.current_epoch) me.current_epoch = m.current_epoch;
  if (m.sender_master && m.config_epoch > v.config_epoch) v.config_epoch = m.config_epoch;
  v.repl_offset = m.offset;

  // A manual failover: the paused master announces the offset its replica must reach (§5.4).
  if (!me.is_master && me.master == s && m.paused_flag && me.mf_active && !me.mf_offset_known) {
    me.mf_master_offset = m.offset;
    me.mf_offset_known = true;
    handle_manual_failover(self);
  }

  switch (m.type) {
    case MsgType::kPing:
    case MsgType::kMeet:
    case MsgType::kPong: {
      if (m.type != MsgType::kPong) send_ping(self, s, MsgType::kPong, /*reply=*/true);
      if (m.type == MsgType::kPong && m.reply) {  // our outbound link: the answer to our PING (§4.1)
        me.set_pong_received(s, now);
        me.set_ping_pending(s, false);
        if (me.flags(s) & kFlagPfail) {
          me.set_flags(s, me.flags(s) & static_cast<uint8_t>(~kFlagPfail));
          --me.pfail_count;
          // Redis logs nothing here; the row lets a reader of events.jsonl end the PFAIL it saw begin (a paused
          // node resuming, a healed partition) instead of guessing how long it lasted.
          emit("pfail_cleared", s, {{"seen_by", me.name}});
          update_state(self);
        } else if (me.flags(s) & kFlagFail) {
          clear_failure_if_needed(self, s);
        }
      }
      // Role changes the sender announces.
      if (m.sender_master) {
        if (!v.is_master) set_node_as_master_view(self, s);
      } else {
        if (v.is_master) {
          del_node_slots(self, s);
          v.is_master = false;
          ++me.view_version;
          update_state(self);
        }
        if (v.master != m.sender_master_of) {
          v.master = m.sender_master_of;
          ++me.view_version;
        }
      }
      if (m.sender_master) {
        check_slot_config(self, m);
        if (me.is_master) handle_epoch_collision(self, s);
      }
      process_gossip(self, m);
      break;
    }
    case MsgType::kFail: {
      const int about = m.subject;
      PeerView& f = me.peers[about];
      if (about != self && !(me.flags(about) & kFlagFail)) {
        if (me.flags(about) & kFlagPfail) --me.pfail_count;
        me.set_flags(about, kFlagFail);
        ++me.view_version;
        f.fail_time = now;
        emit("fail", about, {{"seen_by", me.name}, {"via", "message"}});
        note_fail(about);
        update_state(self);
      }
      break;
    }
    case MsgType::kAuthRequest:
      handle_auth_request(self, m);
      break;
    case MsgType::kAuthAck:
      handle_auth_ack(self, m);
      break;
    case MsgType::kUpdate: {
      const int about = m.subject;
      PeerView& u = me.peers[about];
      if (u.config_epoch >= m.subject_epoch) break;  // stale
      if (!u.is_master) set_node_as_master_view(self, about);
      u.config_epoch = m.subject_epoch;
      update_slots_config_with(self, about, m.subject_epoch, m.slots);
      break;
    }
    case MsgType::kMfStart:
      handle_mfstart(self, s);
      break;
  }
}

// clusterProcessGossipSection (§3.4): failure reports from masters, and adopting newer pong times. Healthy entries
// need only the receiver's hot words: "newer than our pong_received" is `entry seconds > floor(ours)` exactly, as the
// entry is whole seconds. Entries are about distinct nodes, and the report rules of one entry touch only that node's
// reports and flags, so all report work can come first and the adoption pass is one tight, branch-free loop.
void ControlPlane::Impl::process_gossip(int self, const Message& m) {
  NodeState& me = nodes[self];
  uint32_t* const hot = me.hot.data();
  const GossipEntry* const begin = m.gossip.data();
  const GossipEntry* const end = begin + m.gossip_count;
  if (me.peers[m.from].is_master && (m.gossip_failing || me.peers_with_reports > 0)) {
    for (const GossipEntry* p = begin; p != end; ++p) {
      const int j = static_cast<int>(p->node);
      const bool failing = p->word & (kFlagPfail | kFlagFail);
      if (j == self || !(failing || (hot[j] & kHotReports))) [[likely]]
        continue;
      if (failing) {
        add_failure_report(self, j, m.from);
        mark_failing_if_needed(self, j);
      } else {
        remove_failure_report(self, j, m.from);
      }
    }
  }
  adopt_gossip_pongs(hot, begin, end, floor_div((sim.now() + Time::ms(500)).nanos(), 1'000'000'000));
}

}  // namespace cachelab::control
