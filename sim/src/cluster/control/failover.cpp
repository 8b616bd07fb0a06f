// Replica failover (docs/redis-reference.md §5.1), vote granting (§5.2), manual failover (§5.4) and replica migration
// (§5.5).
#include <algorithm>

#include "state.hpp"

namespace cachelab::control {

int ControlPlane::Impl::ok_replicas(int self, int master) const {
  int ok = 0;
  const NodeState& me = nodes[self];
  for (int j = 0; j < n; ++j) {
    const PeerView& v = me.peers[j];
    ok += !v.is_master && v.master == master && !(me.flags(j) & kFlagFail);
  }
  return ok;
}

// clusterGetSlaveRank: other replicas of my master whose last announced offset is greater than mine.
int ControlPlane::Impl::replica_rank(int self) {
  const NodeState& me = nodes[self];
  const uint64_t mine = hooks.replication_offset(self);
  int rank = 0;
  for (int j = 0; j < n; ++j) {
    if (j == self) continue;
    const PeerView& v = me.peers[j];
    if (!v.is_master && v.master == me.master && v.repl_offset > mine) ++rank;
  }
  return rank;
}

// clusterHandleSlaveFailover (§5.1). Called from cron, on every AUTH_ACK and when a manual failover may start.
void ControlPlane::Impl::handle_replica_failover(int self) {
  NodeState& me = nodes[self];
  const Time now = sim.now();
  const Time auth_timeout = std::max(nt * 2, Time::ms(2000));
  const Time auth_retry = auth_timeout * 2;
  const bool manual = me.mf_active && me.mf_can_start;
  if (me.is_master || me.master < 0) return;
  const PeerView& mv = me.peers[me.master];
  if ((!(me.flags(me.master) & kFlagFail) && !manual) || (cfg.replica_no_failover && !manual) || mv.slots == 0) {
    me.cant_failover_logged = false;
    return;
  }

  // Data age, with seconds resolution as server.unixtime (§5.1 step 3).
  const int64_t now_s = now.nanos() / 1'000'000'000;
  int64_t data_age_ms;
  if (me.repl_up)
    data_age_ms = (now_s - me.repl_last_io.nanos() / 1'000'000'000) * 1000;
  else if (me.repl_ever)
    data_age_ms = (now_s - me.repl_down_since.nanos() / 1'000'000'000) * 1000;
  else
    data_age_ms = int64_t{1} << 50;  // repl_down_since = 0: never connected since restart
  if (data_age_ms > cfg.node_timeout_ms) data_age_ms -= cfg.node_timeout_ms;
  if (cfg.replica_validity_factor != 0 && !manual &&
      data_age_ms > cfg.repl_ping_replica_period_ms + cfg.node_timeout_ms * cfg.replica_validity_factor) {
    if (!me.cant_failover_logged) {
      emit("failover_refused", self, {{"reason", "data_age"}, {"data_age_ms", data_age_ms}});
      me.cant_failover_logged = true;
    }
    return;
  }

  // Schedule an election (step 4).
  if (now - me.auth_time > auth_retry) {
    const int rank = replica_rank(self);
    me.auth_time = now + Time::ms(500 + static_cast<int64_t>(me.failover_rng.below(500)) + rank * int64_t{1000});
    me.auth_count = 0;
    me.auth_sent = false;
    me.auth_rank = rank;
    if (manual) {
      me.auth_time = now;
      me.auth_rank = 0;
    }
    emit("election_scheduled", self,
         {{"rank", me.auth_rank}, {"delay_ms", (me.auth_time - now).millis()}, {"master", nodes[me.master].name}});
    broadcast_pong(self, /*local_replicas_only=*/true);
    if (manual) handle_replica_failover(self);  // beforeSleep
    return;
  }
  // A worse rank before asking for votes adds a second per step; a better one never shortens the wait (step 5).
  if (!me.auth_sent && !manual) {
    const int rank = replica_rank(self);
    if (rank > me.auth_rank) {
      me.auth_time += Time::ms((rank - me.auth_rank) * int64_t{1000});
      me.auth_rank = rank;
    }
  }
  if (now < me.auth_time) return;
  if (now - me.auth_time > auth_timeout) return;  // expired: retry after auth_retry
  if (!me.auth_sent) {
    ++me.current_epoch;
    me.auth_epoch = me.current_epoch;
    me.auth_sent = true;
    // timeout_ms: votes for this epoch count until auth_time + auth_timeout; after that the election has failed
    // and the replica retries no sooner than auth_retry (a reader can close the election without a promotion).
    emit("election_started", self,
         {{"epoch", me.auth_epoch},
          {"rank", me.auth_rank},
          {"manual", manual},
          {"timeout_ms", (me.auth_time + auth_timeout - now).millis()}});
    broadcast_auth_request(self);
    return;
  }
  const int needed = cluster_size(self) / 2 + 1;
  if (me.auth_count >= needed) {
    if (me.config_epoch < me.auth_epoch) me.config_epoch = me.auth_epoch;
    me.peers[self].config_epoch = me.config_epoch;
    replace_master(self);
  }
}

// clusterFailoverReplaceYourMaster: take the master's slots, become a master, tell everyone.
void ControlPlane::Impl::replace_master(int self) {
  NodeState& me = nodes[self];
  const int old = me.master;
  me.is_master = true;
  me.master = -1;
  me.peers[self].is_master = true;
  me.peers[self].master = -1;
  ++me.view_version;
  me.peers[self].config_epoch = me.config_epoch;
  if (old >= 0) {
    for (int s = 0; s < kClusterSlots; ++s)
      if (me.owner[s] == old) assign_slot(self, s, self);
    refresh_claims(self);
  }
  reset_manual_failover(self);
  me.auth_sent = false;
  update_state(self);
  broadcast_pong(self, /*local_replicas_only=*/false);
  emit("promoted", self, {{"old_master", old >= 0 ? nodes[old].name : ""}, {"config_epoch", me.config_epoch}});
  hooks.on_promoted(self, old);
  if (old >= 0) note_promoted(self, old);
}

// clusterSendFailoverAuthIfNeeded (§5.2): refuse silently unless every rule holds.
void ControlPlane::Impl::handle_auth_request(int self, const Message& m) {
  NodeState& me = nodes[self];
  if (!me.is_master || me.peers[self].slots == 0) return;
  const Time now = sim.now();
  if (m.current_epoch < me.current_epoch) return;
  if (me.last_vote_epoch == me.current_epoch) return;
  const PeerView& req = me.peers[m.from];
  const int master = req.master;
  if (req.is_master || master < 0) return;
  if (!(me.flags(master) & kFlagFail) && !m.forceack) return;
  if (now - me.peers[master].voted_time < nt * 2) return;
  for (const auto& [first, last] : m.slots)
    for (int s = first; s <= last; ++s) {
      const uint16_t o = me.owner[s];
      if (o == kNoOwner) continue;
      if (me.peers[o].config_epoch > m.config_epoch) return;
    }
  me.last_vote_epoch = me.current_epoch;
  me.peers[master].voted_time = now;
  emit("failover_auth", self, {{"for", nodes[m.from].name}, {"epoch", me.current_epoch}});
  send_auth_ack(self, m.from);
}

void ControlPlane::Impl::handle_auth_ack(int self, const Message& m) {
  NodeState& me = nodes[self];
  const PeerView& v = me.peers[m.from];
  if (v.is_master && v.slots > 0 && m.current_epoch >= me.auth_epoch) {
    ++me.auth_count;
    handle_replica_failover(self);  // beforeSleep: the win is handled within this event
  }
}

void ControlPlane::Impl::reset_manual_failover(int self) {
  NodeState& me = nodes[self];
  if (me.mf_replica >= 0) hooks.on_writes_paused(self, sim.now());  // unpause the master's writes
  me.mf_active = false;
  me.mf_end = Time{};
  me.mf_replica = -1;
  me.mf_can_start = false;
  me.mf_offset_known = false;
  me.mf_master_offset = 0;
}

void ControlPlane::Impl::manual_failover_check_timeout(int self) {
  NodeState& me = nodes[self];
  if (me.mf_active && me.mf_end < sim.now()) {
    emit("manual_failover", self, {{"status", "timeout"}});
    reset_manual_failover(self);
  }
}

// clusterHandleManualFailover: the replica may start once it has processed the paused master's offset.
void ControlPlane::Impl::handle_manual_failover(int self) {
  NodeState& me = nodes[self];
  if (!me.mf_active || me.mf_can_start || !me.mf_offset_known) return;
  if (me.mf_master_offset != hooks.replication_offset(self)) return;
  me.mf_can_start = true;
  emit("manual_failover", self, {{"status", "can_start"}});
  handle_replica_failover(self);
}

// The master's side of MFSTART (cluster.c:2584): pause writes for 2 x CLUSTER_MF_TIMEOUT, ping the replica.
void ControlPlane::Impl::handle_mfstart(int self, int sender) {
  NodeState& me = nodes[self];
  const PeerView& v = me.peers[sender];
  if (!me.is_master || v.is_master || v.master != self) return;
  reset_manual_failover(self);
  me.mf_active = true;
  me.mf_end = sim.now() + Time::ms(5000);
  me.mf_replica = sender;
  hooks.on_writes_paused(self, sim.now() + Time::ms(10000));
  send_ping(self, sender, MsgType::kPing);
}

// clusterHandleSlaveMigration (§5.5).
void ControlPlane::Impl::handle_migration(int self, int max_slaves) {
  NodeState& me = nodes[self];
  if (!me.state_ok || me.master < 0) return;
  if (ok_replicas(self, me.master) <= cfg.migration_barrier) return;
  int target = -1;
  int candidate = self;
  for (int j = 0; j < n; ++j) {
    const PeerView& v = me.peers[j];
    if (!v.is_master || (me.flags(j) & kFlagFail)) continue;
    const int ok = ok_replicas(self, j);
    if (ok == 0 && target < 0 && v.slots > 0) target = j;
    if (ok == max_slaves)
      for (int r = 0; r < n; ++r) {
        const PeerView& rv = me.peers[r];
        if (!rv.is_master && rv.master == j && !(me.flags(r) & kFlagFail) && nodes[r].name < nodes[candidate].name)
          candidate = r;
      }
  }
  if (target < 0 || candidate != self || me.mf_active) return;
  if (sim.now() - me.peers[target].orphaned_since <= Time::ms(5000)) return;  // CLUSTER_SLAVE_MIGRATION_DELAY
  emit("replica_migrated", self, {{"from", nodes[me.master].name}, {"to", nodes[target].name}});
  set_master(self, target);
}

// CLUSTER FAILOVER [FORCE|TAKEOVER] (§5.4).
bool ControlPlane::manual_failover(int replica, ManualFailoverMode mode) {
  auto& I = *impl_;
  NodeState& me = I.nodes.at(replica);
  if (!me.alive || me.paused || me.is_master || me.master < 0) return false;
  const Time now = I.sim.now();
  I.reset_manual_failover(replica);
  me.mf_active = true;
  me.mf_end = now + Time::ms(5000);
  const int master = me.master;
  if (I.open_record[master] < 0) {
    I.records.push_back(FailoverRecord{I.nodes[master].name, "manual", I.now_s(), {}, {}, {}, {}, {}});
    I.open_record[master] = static_cast<int>(I.records.size() - 1);
  }
  const char* mode_name = mode == ManualFailoverMode::kTakeover ? "takeover"
                          : mode == ManualFailoverMode::kForce  ? "force"
                                                                : "default";
  I.emit("manual_failover", replica, {{"status", "requested"}, {"mode", mode_name}});
  switch (mode) {
    case ManualFailoverMode::kTakeover: {
      // clusterBumpConfigEpochWithoutConsensus, then replace the master with no election.
      uint64_t max_epoch = 0;
      for (const PeerView& v : me.peers) max_epoch = std::max(max_epoch, v.config_epoch);
      if (me.config_epoch == 0 || me.config_epoch != max_epoch) {
        ++me.current_epoch;
        me.config_epoch = me.current_epoch;
      }
      me.peers[replica].config_epoch = me.config_epoch;
      I.replace_master(replica);
      break;
    }
    case ManualFailoverMode::kForce:
      me.mf_can_start = true;
      break;  // the election starts on the next cron
    case ManualFailoverMode::kDefault:
      I.send_mfstart(replica, master);
      break;
  }
  return true;
}

}  // namespace cachelab::control
