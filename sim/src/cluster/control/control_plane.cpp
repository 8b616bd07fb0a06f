// ControlPlane: construction as redis-cli leaves a new cluster (docs/redis-reference.md §1.4), the fault entry points,
// queries, and the per-failover records for summary.json.
#include <algorithm>
#include <stdexcept>

#include "state.hpp"

namespace cachelab::control {

const char* msg_type_name(MsgType t) {
  switch (t) {
    case MsgType::kPing:
      return "ping";
    case MsgType::kPong:
      return "pong";
    case MsgType::kMeet:
      return "meet";
    case MsgType::kFail:
      return "fail";
    case MsgType::kAuthRequest:
      return "failover_auth_request";
    case MsgType::kAuthAck:
      return "failover_auth_ack";
    case MsgType::kUpdate:
      return "update";
    case MsgType::kMfStart:
      return "mfstart";
  }
  return "?";
}

nlohmann::json FailoverRecord::to_json() const {
  auto opt = [](const std::optional<double>& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  return {{"node", node},
          {"cause", cause},
          {"t_kill_s", opt(t_kill_s)},
          {"t_pfail_s", opt(t_pfail_s)},
          {"t_fail_s", opt(t_fail_s)},
          {"t_promoted_s", opt(t_promoted_s)},
          {"t_ok_s", opt(t_ok_s)},
          {"new_master", new_master.empty() ? nlohmann::json(nullptr) : nlohmann::json(new_master)}};
}

ControlPlane::Impl::Impl(Simulation& s, Topology& t, ControlConfig c, ControlHooks& h)
    : sim(s), topo(t), cfg(c), hooks(h), nt(Time::ms(c.node_timeout_ms)), cron_period(Time::ms(c.cron_period_ms)) {
  if (cfg.cron_period_ms < 1) throw std::invalid_argument("ControlPlane: cron period below 1 ms");
  if (cfg.masters < 1 || cfg.replicas_per_master < 0) throw std::invalid_argument("ControlPlane: bad cluster shape");
  const int M = cfg.masters, R = cfg.replicas_per_master;
  n = M * (1 + R);
  if (n > 0xFFFE) throw std::invalid_argument("ControlPlane: too many nodes");
  if (topo.hosts() < n) throw std::invalid_argument("ControlPlane: the topology has fewer hosts than nodes");
  nodes.resize(n);
  std::vector<int> master_of(n, -1);
  for (int i = 0; i < n; ++i) {
    if (i < M) {
      nodes[i].name = "master-" + std::to_string(i + 1);
    } else {
      const int m = (i - M) / std::max(R, 1), r = (i - M) % std::max(R, 1);
      nodes[i].name = "replica-" + std::to_string(m + 1) + "-" + std::to_string(r + 1);
      master_of[i] = m;
    }
  }
  const auto ranges = redis_cli_slot_ranges(M);
  const Time now = sim.now();
  const Time period = Time::ms(cfg.repl_ping_replica_period_ms);
  peer_store.reset(static_cast<size_t>(n) * n);
  hot_store.reset(static_cast<size_t>(n) * n);
  scan_blocks = (n + kScanBlock - 1) / kScanBlock;
  scan_min_store.assign(static_cast<size_t>(n) * scan_blocks, INT32_MIN);  // INT32_MIN: scan the block
  for (int i = 0; i < n; ++i) {
    NodeState& me = nodes[i];
    me.rng = sim.stream("gossip/" + me.name);
    me.failover_rng = sim.stream("failover/" + me.name);
    me.net_rng = sim.stream("bus/" + me.name);
    me.cron_rng = sim.stream("cron/" + me.name);
    // A running cluster: each process has counted its clusterCron calls since it started, so the call that sends the
    // random ping (every 10th, §3.3) falls at an arbitrary phase of each node's own second.
    me.cron_iteration = me.cron_rng.below(10);
    me.is_master = i < M;
    me.master = master_of[i];
    // redis-cli sends CLUSTER SET-CONFIG-EPOCH 1..N in node order; gossip then spreads currentEpoch = N (§1.4).
    me.config_epoch = static_cast<uint64_t>(i + 1);
    me.current_epoch = static_cast<uint64_t>(n);
    me.repl_ping_phase = now + Time::ns(static_cast<int64_t>(me.rng.below(static_cast<uint64_t>(period.nanos()))));
    me.peers = std::span<PeerView>(peer_store.data() + static_cast<size_t>(i) * n, static_cast<size_t>(n));
    me.hot = std::span<uint32_t>(hot_store.data() + static_cast<size_t>(i) * n, static_cast<size_t>(n));
    me.scan_min = std::span<int32_t>(scan_min_store.data() + static_cast<size_t>(i) * scan_blocks,
                                     static_cast<size_t>(scan_blocks));
    me.reports.resize(n);
    for (int j = 0; j < n; ++j) {
      PeerView& v = me.peers[j];
      v.is_master = j < M;
      v.master = master_of[j];
      v.config_epoch = static_cast<uint64_t>(j + 1);
      // A running cluster: the last pong from each peer is somewhere in the past NT/2 (§3.3 NT/2 rule).
      me.set_pong_received(
          j, now - Time::ns(static_cast<int64_t>(me.rng.below(static_cast<uint64_t>(nt.nanos() / 2 + 1)))));
      v.data_received = me.pong_received(j);
      v.link_created = now - nt * 2;
    }
    me.owner.assign(kClusterSlots, kNoOwner);
    for (int m = 0; m < M; ++m)
      for (int slot = ranges[m].first; slot <= ranges[m].second; ++slot) {
        me.owner[slot] = static_cast<uint16_t>(m);
        ++me.peers[m].slots;
      }
    me.hot[i] |= kHotPending;  // see kHotPending
    refresh_claims(i);
    me.repl_up = true;
    me.repl_last_io = now;
  }
  // Everyone has already checked everyone's slot claims (a running cluster): no per-slot work until one changes.
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) {
      PeerView& v = nodes[i].peers[j];
      v.checked_claims_version = nodes[j].claims_version;
      v.checked_table_version = nodes[i].table_version;
      v.checked_epoch = nodes[j].config_epoch;
    }
  open_record.assign(n, -1);
  scratch_ok_replicas.assign(n, 0);
  gossip_mark.assign(n, 0);
  scratch_due.reserve(static_cast<size_t>(n) + 1);
  for (int i = 0; i < n; ++i)
    schedule_cron(i, now + Time::ns(static_cast<int64_t>(
                               nodes[i].rng.below(static_cast<uint64_t>(Time::ms(cfg.cron_period_ms).nanos())))));
}

void ControlPlane::Impl::on_event(Time, uint64_t tag) {
  const uint64_t kind = tag & (0xFFull << 56);
  const uint64_t value = tag & ((1ull << 56) - 1);
  if (kind == kTagCron) {
    const int i = static_cast<int>(value);
    if (calendar.empty() || calendar.front().node != i)
      throw std::logic_error("ControlPlane: a cron event that is not the calendar's front");
    calendar.pop_front();
    nodes[i].cron_event = EventId{};
    if (nodes[i].alive && !nodes[i].paused) {
      cron(i);
      if (nodes[i].alive && !nodes[i].paused) schedule_cron(i, sim.now() + cron_interval(i));
    }
    queue_calendar_front();
  } else if (kind == kTagMsg) {
    deliver(static_cast<uint32_t>(value));
  }
}

void ControlPlane::Impl::emit(const char* type, int node, nlohmann::json extra) {
  nlohmann::json row = {{"t_s", now_s()}, {"type", type}, {"node", nodes[node].name}};
  if (extra.is_object())
    for (auto& [k, v] : extra.items()) row[k] = v;
  hooks.on_event(row);
}

void ControlPlane::Impl::note_pfail(int target) {
  const int r = open_record[target];
  if (r >= 0 && !records[r].t_pfail_s) records[r].t_pfail_s = now_s();
}

void ControlPlane::Impl::note_fail(int target) {
  int r = open_record[target];
  if (r < 0) {
    // A failure without a fault we injected (a partition, a pause we don't own): still a failover to time.
    if (nodes[target].claims.empty()) return;
    records.push_back(FailoverRecord{nodes[target].name, "auto", {}, {}, {}, {}, {}, {}});
    r = open_record[target] = static_cast<int>(records.size() - 1);
  }
  if (!records[r].t_fail_s) records[r].t_fail_s = now_s();
}

void ControlPlane::Impl::note_promoted(int node, int old_master) {
  int r = open_record[old_master];
  if (r < 0) {
    records.push_back(FailoverRecord{nodes[old_master].name, "auto", {}, {}, {}, {}, {}, {}});
    r = open_record[old_master] = static_cast<int>(records.size() - 1);
  }
  if (!records[r].t_promoted_s) {
    records[r].t_promoted_s = now_s();
    records[r].new_master = nodes[node].name;
  }
  check_ok_after_failover();
}

void ControlPlane::Impl::check_ok_after_failover() {
  for (int old = 0; old < n; ++old) {
    const int r = open_record[old];
    if (r < 0 || !records[r].t_promoted_s || records[r].t_ok_s) continue;
    const int nm = index_of(records[r].new_master);
    bool all_ok = true;
    for (int i = 0; i < n && all_ok; ++i) {
      const NodeState& x = nodes[i];
      if (!x.alive || x.paused || !x.is_master || x.claims.empty()) continue;
      if (nm >= 0 && i != nm && !topo.reachable(nm, i, kChannelBus)) continue;
      all_ok = x.state_ok;
    }
    if (all_ok) {
      records[r].t_ok_s = now_s();
      open_record[old] = -1;
    }
  }
}

int ControlPlane::Impl::index_of(const std::string& name) const {
  for (int i = 0; i < n; ++i)
    if (nodes[i].name == name) return i;
  return -1;
}

// serverCron is re-armed 1000/hz ms after it returns and wakes on a whole-millisecond epoll timeout, so each period is
// late by [0, 1) ms (kCronLatenessMaxNs, state.hpp; docs/redis-reference.md §3.2).
Time ControlPlane::Impl::cron_interval(int node) {
  return cron_period + Time::ns(static_cast<int64_t>(nodes[node].cron_rng.below(kCronLatenessMaxNs)));
}

void ControlPlane::Impl::schedule_cron(int node, Time at) {
  if (at < sim.now()) throw std::logic_error("ControlPlane: cron scheduled in the past");
  const uint64_t seq = sim.reserve_seq();
  nodes[node].cron_event = EventId{seq};
  auto it = calendar.end();
  while (it != calendar.begin() && std::prev(it)->at > at) --it;  // its seq is the largest: ties go after
  calendar.insert(it, CronEntry{at, seq, node, false});
  queue_calendar_front();
}

void ControlPlane::Impl::cancel_cron(int node) {
  NodeState& me = nodes[node];
  if (!me.cron_event) return;
  for (auto it = calendar.begin(); it != calendar.end(); ++it)
    if (it->seq == me.cron_event.seq) {
      if (it->queued) sim.cancel(me.cron_event);
      calendar.erase(it);
      break;
    }
  me.cron_event = EventId{};
  queue_calendar_front();
}

// Every entry that ever was the front is in the event queue: an exposed entry fires only when nothing earlier is left.
void ControlPlane::Impl::queue_calendar_front() {
  if (calendar.empty() || calendar.front().queued) return;
  CronEntry& f = calendar.front();
  sim.at_reserved(f.at, f.seq, this, kTagCron | static_cast<uint64_t>(f.node));
  f.queued = true;
}

// ---------------------------------------------------------------- the facade

ControlPlane::ControlPlane(Simulation& sim, Topology& topology, ControlConfig config, ControlHooks& hooks)
    : impl_(std::make_unique<Impl>(sim, topology, config, hooks)) {}
ControlPlane::~ControlPlane() = default;

int ControlPlane::nodes() const { return impl_->n; }
const std::string& ControlPlane::name(int node) const { return impl_->nodes.at(node).name; }
int ControlPlane::index(const std::string& name) const { return impl_->index_of(name); }
const ControlConfig& ControlPlane::config() const { return impl_->cfg; }

void ControlPlane::kill(int node) {
  auto& I = *impl_;
  NodeState& me = I.nodes.at(node);
  if (!me.alive) return;
  if (me.is_master && !me.claims.empty() && I.open_record[node] < 0) {
    I.records.push_back(FailoverRecord{me.name, "kill", I.now_s(), {}, {}, {}, {}, {}});
    I.open_record[node] = static_cast<int>(I.records.size() - 1);
  }
  me.alive = false;
  me.paused = false;
  I.cancel_cron(node);
  for (uint32_t id : me.held) I.free_msgs.push_back(id);
  me.held.clear();
  // The kernel closes its sockets: peers see EOF on their links, replicas on their replication link (§5.1).
  for (int i = 0; i < I.n; ++i) {
    if (i == node) continue;
    NodeState& x = I.nodes[i];
    x.set_link_connected(node, false);
    if (!x.is_master && x.master == node && x.repl_up) {
      x.repl_up = false;
      x.repl_down_since = I.sim.now();
    }
  }
}

void ControlPlane::restart(int node) {
  auto& I = *impl_;
  NodeState& me = I.nodes.at(node);
  if (me.alive) return;
  const Time now = I.sim.now();
  me.alive = true;
  me.paused = false;
  // nodes.conf keeps roles, slots and epochs; liveness state starts afresh and every link is reconnected, each
  // connection sending a PING at once (clusterLinkConnectHandler, §3.6).
  for (int j = 0; j < I.n; ++j) {
    PeerView& v = me.peers[j];
    me.set_ping_pending(j, false);
    me.set_pong_received(j, now);
    v.data_received = now;
    me.set_flags(j, 0);
    me.reports[j].clear();
    me.sync_reports(j);
    me.set_link_connected(j, j == node);
  }
  me.pfail_count = 0;
  me.stats_pfail = 0;
  me.hot[node] |= kHotPending;  // see kHotPending
  std::fill(me.scan_min.begin(), me.scan_min.end(), INT32_MIN);
  ++me.view_version;
  me.first_call_time = now;  // CLUSTER_WRITABLE_DELAY counts from here (§4.5)
  me.cron_iteration = 0;     // a new process counts its clusterCron calls from 0
  me.among_minority_time = kLongAgo;
  me.auth_time = kLongAgo;
  me.auth_sent = false;
  me.auth_count = 0;
  me.cant_failover_logged = false;
  me.mf_active = false;
  me.mf_replica = -1;
  me.mf_can_start = false;
  me.mf_offset_known = false;
  if (!me.is_master) {
    me.repl_up = false;
    me.repl_ever = false;  // repl_down_since = 0 until the first sync (§5.1)
    me.repl_down_since = now;
  }
  if (me.state_ok) {
    me.state_ok = false;
    I.hooks.on_cluster_state(node, false);
    I.emit("cluster_state", node, {{"state", "fail"}});
  }
  I.schedule_cron(node, now + Time::ns(static_cast<int64_t>(
                                  me.rng.below(static_cast<uint64_t>(Time::ms(I.cfg.cron_period_ms).nanos())))));
}

void ControlPlane::pause(int node) {
  auto& I = *impl_;
  NodeState& me = I.nodes.at(node);
  if (!me.alive || me.paused) return;
  if (me.is_master && !me.claims.empty() && I.open_record[node] < 0) {
    I.records.push_back(FailoverRecord{me.name, "pause", I.now_s(), {}, {}, {}, {}, {}});
    I.open_record[node] = static_cast<int>(I.records.size() - 1);
  }
  me.paused = true;
  I.cancel_cron(node);
}

void ControlPlane::resume(int node) {
  auto& I = *impl_;
  NodeState& me = I.nodes.at(node);
  if (!me.alive || !me.paused) return;
  me.paused = false;
  // The process reads what queued up in its sockets before its next cron.
  std::vector<uint32_t> held;
  held.swap(me.held);
  for (uint32_t id : held) {
    if (me.alive && !me.paused) I.process(I.pool[id]);
    I.free_msgs.push_back(id);
  }
  I.schedule_cron(node, I.sim.now() + Time::ns(static_cast<int64_t>(me.rng.below(
                                          static_cast<uint64_t>(Time::ms(I.cfg.cron_period_ms).nanos())))));
}

namespace {
nlohmann::json names_of(const ControlPlane& cp, const std::vector<int>& v) {
  nlohmann::json a = nlohmann::json::array();
  for (int i : v) a.push_back(i < cp.nodes() ? cp.name(i) : std::to_string(i));
  return a;
}
}  // namespace

void ControlPlane::partition(const std::vector<std::vector<int>>& groups, uint8_t channels) {
  impl_->topo.partition(groups, channels);
  nlohmann::json g = nlohmann::json::array();
  for (const auto& grp : groups) g.push_back(names_of(*this, grp));
  nlohmann::json row = {{"t_s", impl_->now_s()}, {"type", "partition"}, {"groups", g}, {"channels", channels}};
  impl_->hooks.on_event(row);
}

void ControlPlane::cut(const std::vector<int>& from, const std::vector<int>& to, uint8_t channels) {
  impl_->topo.cut(from, to, channels);
  nlohmann::json row = {{"t_s", impl_->now_s()},     {"type", "partition"},  {"from", names_of(*this, from)},
                        {"to", names_of(*this, to)}, {"channels", channels}, {"one_way", true}};
  impl_->hooks.on_event(row);
}

void ControlPlane::heal() {
  impl_->topo.heal();
  impl_->hooks.on_event({{"t_s", impl_->now_s()}, {"type", "heal"}});
}

void ControlPlane::note_replication_io(int replica) {
  NodeState& me = impl_->nodes.at(replica);
  if (me.repl_up) me.repl_last_io = impl_->sim.now();
}

bool ControlPlane::alive(int node) const { return impl_->nodes.at(node).alive; }
bool ControlPlane::paused(int node) const { return impl_->nodes.at(node).paused; }
Role ControlPlane::role(int node) const { return impl_->nodes.at(node).is_master ? Role::kMaster : Role::kReplica; }
int ControlPlane::master_of(int node) const {
  const auto& me = impl_->nodes.at(node);
  return me.is_master ? -1 : me.master;
}
bool ControlPlane::cluster_ok(int node) const { return impl_->nodes.at(node).state_ok; }
int ControlPlane::slot_owner(int viewer, int slot) const {
  const uint16_t o = impl_->nodes.at(viewer).owner.at(slot);
  return o == kNoOwner ? -1 : o;
}
const uint16_t* ControlPlane::slot_table(int viewer) const { return impl_->nodes.at(viewer).owner.data(); }
uint64_t ControlPlane::current_epoch(int node) const { return impl_->nodes.at(node).current_epoch; }
uint64_t ControlPlane::config_epoch(int node) const { return impl_->nodes.at(node).config_epoch; }
const std::vector<std::pair<int, int>>& ControlPlane::claims(int node) const { return impl_->nodes.at(node).claims; }
uint64_t ControlPlane::claims_version(int node) const { return impl_->nodes.at(node).claims_version; }
bool ControlPlane::pfail(int viewer, int node) const {
  if (node < 0 || node >= impl_->n) throw std::out_of_range("ControlPlane::pfail: node");
  return impl_->nodes.at(viewer).flags(node) & kFlagPfail;
}
bool ControlPlane::failed(int viewer, int node) const {
  if (node < 0 || node >= impl_->n) throw std::out_of_range("ControlPlane::failed: node");
  return impl_->nodes.at(viewer).flags(node) & kFlagFail;
}
const std::vector<FailoverRecord>& ControlPlane::failovers() const { return impl_->records; }
const BusStats& ControlPlane::bus_stats() const { return impl_->stats; }

}  // namespace cachelab::control
