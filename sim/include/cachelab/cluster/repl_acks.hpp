#pragma once
// min-replicas-to-write (docs/redis-reference.md §0 for the defaults, §6 for REPLCONF ACK, §6.1 item 4 for why it
// exists). Each replica's replicationCron runs once a second and sends REPLCONF ACK to its master over the
// replication link; the master's replicationCron (also once a second, refreshGoodSlavesCount in Redis) counts as
// good the online replicas whose last ACK is at most min-replicas-max-lag seconds old (Redis compares unixtime
// seconds), and the node refuses writes while fewer than min-replicas-to-write are good (Node::set_good_replicas).
// A replica that disconnects (killed: EOF) is dropped at once; one cut off by a partition stays connected until
// repl-timeout, but its ACKs stop, so it stops being good after max-lag.
// Only built when the knob is on, so a scenario without it schedules nothing and draws nothing.
#include <functional>
#include <vector>

#include "cachelab/cluster/node.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/network.hpp"

namespace cachelab {

class ReplicaAcks final : private EventHandler {
 public:
  // `link` gives the ACKs' network delay (half a round trip); `phases` the phase of each node's replicationCron.
  ReplicaAcks(Simulation& sim, std::vector<Node>& nodes, Network& link, Rng phases, int min_replicas, int max_lag_s);
  // Whether replica -> master traffic gets through (partitions); unset = always.
  std::function<bool(int replica, int master)> link_up;

  // The replica started a full sync (not online: no ACKs, not counted) / finished it (putSlaveOnline sets its ACK
  // time to now, "prevent false timeout").
  void sync_started(int replica);
  void sync_done(int replica);
  // Recount `master`'s good replicas now (a replica disconnected, a node was promoted).
  void refresh(int master);

 private:
  void on_event(Time now, uint64_t tag) override;
  int64_t unixtime(Time t) const { return t.nanos() / 1'000'000'000; }

  Simulation& sim_;
  std::vector<Node>& nodes_;
  Network& link_;
  int min_replicas_;
  int max_lag_s_;
  std::vector<Time> ack_time_;  // per replica: when its last ACK reached its current master
  std::vector<char> online_;    // per replica: not in a full sync
};

}  // namespace cachelab
