// clusterCron (docs/redis-reference.md §3.3), failure detection (§4.1-§4.4), the replica's replication link (§5.1, §6)
// and each node's cluster state (§4.5).
#include <algorithm>
#include <stdexcept>

#include "state.hpp"

namespace cachelab::control {

void ControlPlane::Impl::cron(int self) {
  NodeState& me = nodes[self];
  const Time now = sim.now();
  const Time half_nt = Time::ns(nt.nanos() / 2);
  ++me.cron_iteration;
  me.stats_pfail = me.pfail_count;  // counted in the reconnect walk, before this call's PFAIL checks (cluster.c:4065)
  __builtin_prefetch(me.claims.data());  // the header of any ping this call sends (fill_header)
  if (me.master >= 0) __builtin_prefetch(&me.peers[static_cast<size_t>(me.master)]);
  if (now >= Time::s(kHotMaxSeconds - 1000)) throw std::overflow_error("ControlPlane: simulated time past 2^21 s");

  // Random ping, every 10th call: the oldest pong among 5 random draws (cluster.c:4081-4102).
  if (me.cron_iteration % 10 == 0) {
    int target = -1;
    Time oldest = Time::max();
    for (int k = 0; k < 5; ++k) {
      const int j = static_cast<int>(me.rng.below(static_cast<uint64_t>(n)));
      if (j == self) continue;
      if (me.ping_pending(j)) continue;
      const Time pong = me.pong_received(j);
      if (pong < oldest) {
        oldest = pong;
        target = j;
      }
    }
    if (target >= 0) send_ping(self, target, MsgType::kPing);
  }

  // For replica migration (§5.5): orphaned masters and non-failing replicas per master, in my view.
  const bool replica = !me.is_master;
  if (replica) migration_view(self);

  // Redis walks every node here (cluster.c:4125-4205), but each rule below acts on a peer only when its link is down,
  // a ping is pending, or its pong_received is more than NT/2 old. The hot words say which peers may be in one of
  // these cases (pong_received to 1/16 s, so a peer shows up at most one call early): only those are visited, in node
  // order as Redis would, making the same messages, flags and random draws as the full walk. Words are read only in
  // the blocks whose lower bound (scan_min) is below the threshold; reading a block renews its bound.
  std::vector<int>& due = scratch_due;
  due.clear();
  {
    // pong + NT/2 < now can hold only if floor_ticks * tick + NT/2 < now, i.e. floor_ticks < ceil((now - NT/2) / tick).
    const int64_t bound = -floor_div(-(now - half_nt).nanos(), kHotTickNs);
    const int32_t below = static_cast<int32_t>(bound * (int64_t{1} << kHotShift));
    const uint32_t* hot = me.hot.data();
    for (int b = 0; b < scan_blocks; ++b) {
      if (me.scan_min[static_cast<size_t>(b)] >= below) continue;
      int32_t low = INT32_MAX;
      const int end = std::min(n, (b + 1) * kScanBlock);
      for (int j = b * kScanBlock; j < end; ++j) {
        if (j == self) continue;  // never visited, its word never updated
        const int32_t key = scan_key(hot[j]);
        if (key < below) due.push_back(j);
        low = std::min(low, key);
      }
      me.scan_min[static_cast<size_t>(b)] = low;
    }
  }
  // A master in a manual failover pings its replica on every call (§5.4).
  if (me.is_master && me.mf_active && me.mf_replica >= 0) {
    const auto it = std::lower_bound(due.begin(), due.end(), me.mf_replica);
    if (it == due.end() || *it != me.mf_replica) due.insert(it, me.mf_replica);
  }

  for (const int j : due) {  // overlap the misses on the full views of the few peers due
    __builtin_prefetch(&me.peers[j]);
    __builtin_prefetch(reinterpret_cast<const char*>(&me.peers[j]) + 64);
  }
  bool update = false;
  for (const int j : due) {
    if (j == self) continue;
    PeerView& v = me.peers[j];
    // Reconnect: a new link PINGs at once, keeping an older pending ping_sent (clusterLinkConnectHandler, §3.6).
    if (!me.link_connected(j)) {
      if (nodes[j].alive && topo.reachable(self, j, kChannelBus)) {
        me.set_link_connected(j, true);
        v.link_created = now;
        const bool had = me.ping_pending(j);
        const Time old = v.ping_sent;
        send_ping(self, j, MsgType::kPing);
        if (had) v.ping_sent = old;
      }
    } else if (me.ping_pending(j) && now - v.link_created > nt && now - v.ping_sent > half_nt &&
               now - v.data_received > half_nt) {
      me.set_link_connected(j, false);  // link recycling (cluster.c:4144-4157): reconnects on a later call
    }
    // The NT/2 rule (cluster.c:4163-4169).
    if (!me.ping_pending(j) && now - me.pong_received(j) > half_nt) send_ping(self, j, MsgType::kPing);
    // A master in a manual failover pings its replica on every call (§5.4).
    if (me.is_master && me.mf_active && me.mf_replica == j) send_ping(self, j, MsgType::kPing);
    // PFAIL (cluster.c:4186-4204): a ping pending and no data for longer than NT.
    if (me.ping_pending(j)) {
      const Time delay = std::min(now - v.ping_sent, now - v.data_received);
      if (delay > nt && !(me.flags(j) & (kFlagPfail | kFlagFail))) {
        set_pfail(self, j);
        update = true;
      }
    }
  }

  if (replica) update_repl_link(self);
  manual_failover_check_timeout(self);
  if (!me.is_master) {
    handle_manual_failover(self);
    handle_replica_failover(self);
  }
  if (!me.is_master && me.migr_orphaned > 0 && me.migr_max_slaves >= 2 && me.migr_this_slaves == me.migr_max_slaves &&
      cfg.allow_replica_migration)
    handle_migration(self, me.migr_max_slaves);
  if (update || !me.state_ok) update_state(self);
}

// Orphaned masters (slots, no replica that is not FAIL) and replica counts for clusterHandleSlaveMigration, as the
// walk in clusterCron computes them. They only depend on roles, masters, FAIL flags and slot counts in my view, so
// they are recomputed only when one of those (or my own role) changed since the last call; orphaned_since is then
// stamped at the same call as the walk would.
void ControlPlane::Impl::migration_view(int self) {
  NodeState& me = nodes[self];
  if (me.migr_valid && me.migr_view_version == me.view_version && me.migr_table_version == me.table_version &&
      me.migr_is_master == me.is_master && me.migr_master == me.master)
    return;
  const Time now = sim.now();
  std::fill(scratch_ok_replicas.begin(), scratch_ok_replicas.end(), 0);
  for (int j = 0; j < n; ++j) {
    const PeerView& v = me.peers[j];
    if (!v.is_master && v.master >= 0 && !(me.flags(j) & kFlagFail)) ++scratch_ok_replicas[v.master];
  }
  int orphaned = 0, max_slaves = 0, this_slaves = 0;
  for (int j = 0; j < n; ++j) {
    if (j == self) continue;
    PeerView& v = me.peers[j];
    if (!v.is_master || (me.flags(j) & kFlagFail)) continue;
    const int ok = scratch_ok_replicas[j];
    if (ok == 0 && v.slots > 0) {
      ++orphaned;
      if (v.orphaned_since == kLongAgo) v.orphaned_since = now;
    } else {
      v.orphaned_since = kLongAgo;
    }
    max_slaves = std::max(max_slaves, ok);
    if (me.master == j) this_slaves = ok;
  }
  me.migr_orphaned = orphaned;
  me.migr_max_slaves = max_slaves;
  me.migr_this_slaves = this_slaves;
  me.migr_valid = true;
  me.migr_view_version = me.view_version;
  me.migr_table_version = me.table_version;
  me.migr_is_master = me.is_master;
  me.migr_master = me.master;
}

// The replica's link to its master: EOF on a kill (see ControlPlane::kill), repl-timeout when silent, the master's
// REPLCONF PING every repl-ping-replica-period refreshing lastinteraction when there is no write traffic.
void ControlPlane::Impl::update_repl_link(int self) {
  NodeState& me = nodes[self];
  const int m = me.master;
  if (m < 0) return;
  const Time now = sim.now();
  const NodeState& mn = nodes[m];
  const bool healthy = mn.alive && !mn.paused && topo.reachable(m, self, kChannelReplication) &&
                       topo.reachable(self, m, kChannelReplication);
  if (me.repl_up) {
    if (healthy) {
      const int64_t period = Time::ms(cfg.repl_ping_replica_period_ms).nanos();
      const int64_t since = (now - mn.repl_ping_phase).nanos();
      const int64_t k = since >= 0 ? since / period : -((-since + period - 1) / period);
      const Time tick = mn.repl_ping_phase + Time::ns(k * period);
      if (tick > me.repl_last_io) me.repl_last_io = tick;
    } else if (now - me.repl_last_io > Time::ms(cfg.repl_timeout_ms)) {
      me.repl_up = false;
      me.repl_down_since = now;
    }
  } else if (healthy) {
    me.repl_up = true;
    me.repl_ever = true;
    me.repl_last_io = now;
  }
}

void ControlPlane::Impl::set_pfail(int self, int peer) {
  NodeState& me = nodes[self];
  me.set_flags(peer, me.flags(peer) | kFlagPfail);
  ++me.pfail_count;
  emit("pfail", peer, {{"seen_by", me.name}});
  note_pfail(peer);
}

void ControlPlane::Impl::add_failure_report(int self, int about, int reporter) {
  NodeState& me = nodes[self];
  auto& reports = me.reports[about];
  for (auto& r : reports)
    if (r.reporter == reporter) {
      r.time = sim.now();
      return;
    }
  reports.push_back(FailReport{reporter, sim.now()});
  me.sync_reports(about);
}

void ControlPlane::Impl::remove_failure_report(int self, int about, int reporter) {
  NodeState& me = nodes[self];
  auto& reports = me.reports[about];
  for (size_t k = 0; k < reports.size(); ++k)
    if (reports[k].reporter == reporter) {
      reports.erase(reports.begin() + static_cast<long>(k));
      me.sync_reports(about);
      return;
    }
}

// Reports older than 2 x NT are dropped (CLUSTER_FAIL_REPORT_VALIDITY_MULT, §4.2).
int ControlPlane::Impl::valid_reports(int self, int about) {
  NodeState& me = nodes[self];
  auto& reports = me.reports[about];
  const Time oldest = sim.now() - nt * 2;
  std::erase_if(reports, [&](const FailReport& r) { return r.time < oldest; });
  me.sync_reports(about);
  return static_cast<int>(reports.size());
}

int ControlPlane::Impl::cluster_size(int self) const {
  int size = 0;
  for (const PeerView& v : nodes[self].peers) size += v.is_master && v.slots > 0;
  return size;
}

// markNodeAsFailingIfNeeded (§4.3).
void ControlPlane::Impl::mark_failing_if_needed(int self, int about) {
  NodeState& me = nodes[self];
  PeerView& v = me.peers[about];
  if (!(me.flags(about) & kFlagPfail) || (me.flags(about) & kFlagFail)) return;
  const int needed = cluster_size(self) / 2 + 1;
  int failures = valid_reports(self, about);
  if (me.is_master) ++failures;
  if (failures < needed) return;
  me.set_flags(about, kFlagFail);
  ++me.view_version;
  --me.pfail_count;
  v.fail_time = sim.now();
  emit("fail", about, {{"seen_by", me.name}, {"via", "quorum"}, {"reports", failures}});
  note_fail(about);
  send_fail(self, about);
  update_state(self);
}

// clearNodeFailureIfNeeded (§4.4).
void ControlPlane::Impl::clear_failure_if_needed(int self, int about) {
  NodeState& me = nodes[self];
  PeerView& v = me.peers[about];
  if (!(me.flags(about) & kFlagFail)) return;
  const bool clear = !v.is_master || v.slots == 0 || sim.now() - v.fail_time > nt * 2;
  if (!clear) return;
  me.set_flags(about, me.flags(about) & static_cast<uint8_t>(~kFlagFail));
  ++me.view_version;
  emit("fail_cleared", about, {{"seen_by", me.name}});
  update_state(self);
}

// clusterUpdateState (§4.5).
void ControlPlane::Impl::update_state(int self) {
  NodeState& me = nodes[self];
  const Time now = sim.now();
  if (me.is_master && !me.state_ok && now - me.first_call_time < Time::ms(2000)) return;  // CLUSTER_WRITABLE_DELAY
  bool ok = true;
  if (cfg.require_full_coverage) {
    if (me.unassigned > 0) ok = false;
    for (int j = 0; j < n && ok; ++j)
      if (me.peers[j].slots > 0 && (me.flags(j) & kFlagFail)) ok = false;
  }
  int size = 0, reachable = 0;
  for (int j = 0; j < n; ++j)
    if (me.peers[j].is_master && me.peers[j].slots > 0) {
      ++size;
      reachable += !(me.flags(j) & (kFlagPfail | kFlagFail));
    }
  if (reachable < size / 2 + 1) {
    ok = false;
    me.among_minority_time = now;
  }
  if (ok == me.state_ok) return;
  if (ok && me.is_master) {
    // Rejoin delay: a master back from the minority waits clamp(NT, 500, 5000) ms.
    const Time rejoin = Time::ms(std::clamp<int64_t>(cfg.node_timeout_ms, 500, 5000));
    if (now - me.among_minority_time < rejoin) return;
  }
  me.state_ok = ok;
  emit("cluster_state", self, {{"state", ok ? "ok" : "fail"}});
  hooks.on_cluster_state(self, ok);
  if (ok) check_ok_after_failover();
}

}  // namespace cachelab::control
