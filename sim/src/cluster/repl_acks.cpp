#include "cachelab/cluster/repl_acks.hpp"

namespace cachelab {

namespace {
// Event tags: kind in the low 2 bits, then the node, then (ACK arrivals) the master the ACK was sent to.
constexpr uint64_t kCron = 0, kAck = 1;
constexpr Time kReplCronPeriod = Time::ms(1000);  // replicationCron runs every 1000 ms (ref. §6)
uint64_t tag_of(uint64_t kind, int node, int master = 0) {
  return kind | static_cast<uint64_t>(node) << 2 | static_cast<uint64_t>(master) << 24;
}
}  // namespace

ReplicaAcks::ReplicaAcks(Simulation& sim, std::vector<Node>& nodes, Network& link, Rng phases, int min_replicas,
                         int max_lag_s)
    : sim_(sim),
      nodes_(nodes),
      link_(link),
      min_replicas_(min_replicas),
      max_lag_s_(max_lag_s),
      ack_time_(nodes.size(), sim.now()),
      online_(nodes.size(), 1) {
  // A running cluster: every replica online and acked just now; each process's cron at its own phase.
  for (size_t i = 0; i < nodes_.size(); ++i) {
    nodes_[i].set_min_replicas(min_replicas_);
    const Time phase = Time::ns(static_cast<int64_t>(phases.below(static_cast<uint64_t>(kReplCronPeriod.nanos()))));
    sim_.at(sim_.now() + phase, this, tag_of(kCron, static_cast<int>(i)));
  }
  for (size_t i = 0; i < nodes_.size(); ++i)
    if (nodes_[i].role_kind() == Role::Master) refresh(static_cast<int>(i));
}

void ReplicaAcks::sync_started(int replica) { online_[static_cast<size_t>(replica)] = 0; }

void ReplicaAcks::sync_done(int replica) {
  online_[static_cast<size_t>(replica)] = 1;
  ack_time_[static_cast<size_t>(replica)] = sim_.now();
  refresh(nodes_[static_cast<size_t>(replica)].master_index());
}

// refreshGoodSlavesCount: online replicas with now - repl_ack_time <= min-replicas-max-lag, in unixtime seconds.
void ReplicaAcks::refresh(int master) {
  if (master < 0) return;
  const int64_t now_s = unixtime(sim_.now());
  int good = 0;
  for (size_t r = 0; r < nodes_.size(); ++r) {
    const Node& n = nodes_[r];
    if (n.role_kind() != Role::Replica || n.master_index() != master || !n.alive() || !online_[r]) continue;
    good += now_s - unixtime(ack_time_[r]) <= max_lag_s_;
  }
  nodes_[static_cast<size_t>(master)].set_good_replicas(good);
}

void ReplicaAcks::on_event(Time now, uint64_t tag) {
  const uint64_t kind = tag & 3;
  const int node = static_cast<int>((tag >> 2) & ((1u << 22) - 1));
  Node& n = nodes_[static_cast<size_t>(node)];
  if (kind == kAck) {
    const int master = static_cast<int>(tag >> 24);
    // Counted only on the connection it was sent on: the replica still follows that master and is online.
    if (n.role_kind() == Role::Replica && n.master_index() == master && online_[static_cast<size_t>(node)])
      ack_time_[static_cast<size_t>(node)] = now;
    return;
  }
  sim_.at(now + kReplCronPeriod, this, tag);  // the next replicationCron (a dead or paused process skips its turn)
  if (!n.alive() || n.paused()) return;
  if (n.role_kind() == Role::Master) {
    refresh(node);
    return;
  }
  const int master = n.master_index();
  if (master < 0 || !online_[static_cast<size_t>(node)]) return;
  if (link_up && !link_up(node, master)) return;  // the ACK never arrives
  sim_.at(now + link_.one_way(node, master), this, tag_of(kAck, node, master));
}

}  // namespace cachelab
