// Slot ownership in each node's view and the roles that follow from it: clusterUpdateSlotsConfigWith, the UPDATE
// rule for stale claims, clusterSetMaster, epoch collisions (docs/redis-reference.md §2.5, §5.1, §5.3).
#include "state.hpp"

namespace cachelab::control {

void ControlPlane::Impl::assign_slot(int self, int slot, int node) {
  NodeState& me = nodes[self];
  const uint16_t old = me.owner[slot];
  if (old == kNoOwner)
    --me.unassigned;
  else
    --me.peers[old].slots;
  if (node < 0) {
    me.owner[slot] = kNoOwner;
    ++me.unassigned;
  } else {
    me.owner[slot] = static_cast<uint16_t>(node);
    ++me.peers[node].slots;
  }
  ++me.table_version;
}

void ControlPlane::Impl::refresh_claims(int self) {
  NodeState& me = nodes[self];
  me.claims = ranges_of(self, self);
  ++me.claims_version;
}

Ranges ControlPlane::Impl::ranges_of(int self, int node) const {
  Ranges out;
  if (node < 0) return out;
  const auto& owner = nodes[self].owner;
  for (int s = 0; s < kClusterSlots; ++s) {
    if (owner[s] != node) continue;
    if (!out.empty() && out.back().second == s - 1)
      out.back().second = s;
    else
      out.emplace_back(s, s);
  }
  return out;
}

void ControlPlane::Impl::del_node_slots(int self, int node) {
  NodeState& me = nodes[self];
  if (me.peers[node].slots == 0) return;
  for (int s = 0; s < kClusterSlots; ++s)
    if (me.owner[s] == node) assign_slot(self, s, -1);
  if (node == self) refresh_claims(self);
}

// clusterUpdateSlotsConfigWith: sender claims `slots` with `epoch`; take every slot whose owner has a lower
// configEpoch. If my master (or I) lost its last slot to the sender, follow the sender.
void ControlPlane::Impl::update_slots_config_with(int self, int sender, uint64_t epoch, const Ranges& slots) {
  if (sender == self) return;
  NodeState& me = nodes[self];
  const int curmaster = me.is_master ? self : me.master;
  int new_master = -1, migrated = 0, sender_slots = 0;
  bool mine_changed = false, changed = false;
  for (const auto& [first, last] : slots)
    for (int s = first; s <= last; ++s) {
      ++sender_slots;
      const uint16_t o = me.owner[s];
      if (o == sender) continue;
      if (o == kNoOwner || me.peers[o].config_epoch < epoch) {
        if (curmaster >= 0 && o == curmaster) {
          new_master = sender;
          ++migrated;
        }
        if (o == self) mine_changed = true;
        assign_slot(self, s, sender);
        changed = true;
      }
    }
  if (mine_changed) refresh_claims(self);
  if (new_master >= 0 && me.peers[curmaster].slots == 0 && (cfg.allow_replica_migration || sender_slots == migrated)) {
    set_master(self, new_master);
  }
  if (changed) update_state(self);
}

// The slot part of PING/PONG processing, for a master sender. The per-slot work runs only when the sender's claims,
// its epoch or my table changed since the last message from it.
void ControlPlane::Impl::check_slot_config(int self, const Message& m) {
  NodeState& me = nodes[self];
  PeerView& v = me.peers[m.from];
  if (v.checked_claims_version == m.claims_version && v.checked_table_version == me.table_version &&
      v.checked_epoch == m.config_epoch)
    return;
  const bool dirty = ranges_of(self, m.from) != m.slots;
  bool sent = false;
  if (dirty) {
    update_slots_config_with(self, m.from, m.config_epoch, m.slots);
    // Still claiming slots that a node with a higher configEpoch owns: tell the sender (clusterSendUpdate).
    for (const auto& [first, last] : m.slots) {
      for (int s = first; s <= last && !sent; ++s) {
        const uint16_t o = me.owner[s];
        if (o == kNoOwner || o == m.from) continue;
        if (me.peers[o].config_epoch > m.config_epoch) {
          send_update(self, m.from, o);
          sent = true;
        }
      }
      if (sent) break;
    }
  }
  if (sent) return;  // check again on its next message, as Redis does on every one
  v.checked_claims_version = m.claims_version;
  v.checked_table_version = me.table_version;
  v.checked_epoch = m.config_epoch;
}

void ControlPlane::Impl::set_node_as_master_view(int self, int peer) {
  PeerView& v = nodes[self].peers[peer];
  v.is_master = true;
  v.master = -1;
  ++nodes[self].view_version;
}

// clusterSetMaster: self becomes a replica of new_master (a demoted master, a replica following the promoted one,
// or a migrating replica).
void ControlPlane::Impl::set_master(int self, int new_master) {
  NodeState& me = nodes[self];
  const bool was_master = me.is_master;
  me.is_master = false;
  me.master = new_master;
  me.peers[self].is_master = false;
  me.peers[self].master = new_master;
  ++me.view_version;
  if (was_master && me.peers[self].slots > 0) del_node_slots(self, self);
  reset_manual_failover(self);
  me.repl_up = false;
  me.repl_down_since = sim.now();
  emit("role_changed", self, {{"role", "replica"}, {"master", nodes[new_master].name}, {"was_master", was_master}});
  hooks.on_role_changed(self);
  update_state(self);
}

// clusterHandleConfigEpochCollision (§5.3): of two masters with one configEpoch, the smaller name moves on.
void ControlPlane::Impl::handle_epoch_collision(int self, int sender) {
  NodeState& me = nodes[self];
  const PeerView& v = me.peers[sender];
  if (!v.is_master || v.config_epoch != me.config_epoch) return;
  if (nodes[sender].name <= me.name) return;
  ++me.current_epoch;
  me.config_epoch = me.current_epoch;
  me.peers[self].config_epoch = me.config_epoch;
  emit("config_epoch_collision", self, {{"with", nodes[sender].name}, {"config_epoch", me.config_epoch}});
}

}  // namespace cachelab::control
