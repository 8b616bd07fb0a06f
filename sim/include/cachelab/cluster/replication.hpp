#pragma once
// Asynchronous replication (docs/redis-reference.md §6): a master acknowledges a write to its client at once and
// streams it to its replicas; each replica applies the stream in order, after the network's one-way delay and its
// own service time. Offsets count bytes of the stream as Redis's master_repl_offset does (the RESP size of the
// propagated command), so a replica's lag is an offset difference. Writes a master acknowledged beyond what a
// replica had applied are the ones lost if that replica is promoted (§6.1): lost_if_promoted() counts them.
#include <deque>
#include <functional>
#include <vector>

#include "cachelab/cluster/node.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/network.hpp"

namespace cachelab {

class Replication final : public ReplicationSink, private EventHandler {
 public:
  Replication(Simulation& sim, std::vector<Node>& nodes, Network& link);
  void propagate(Node& master, const ReplOp& op, Time at) override;
  // Re-reads who replicates whom from the nodes' roles (after a failover or a rejoin).
  void rebuild();
  // Called when a replica applies part of the stream (the control plane's data-age clock), and to ask whether the
  // replication link master -> replica is up (partitions).
  std::function<void(int replica)> on_applied;
  std::function<bool(int master, int replica)> link_up;

  // Writes acknowledged by `master` with offsets above `replica`'s applied offset.
  uint64_t lost_if_promoted(int master, int replica) const;
  // `master`'s slots now belong to a promoted replica with a newer epoch, but it may still acknowledge writes until
  // it learns so (an UPDATE message, a heal): those writes are lost too, because it will rejoin as a replica of the
  // new master through a full resync that discards its dataset (§2.5, §6, §6.1). Counted until it becomes a replica.
  void superseded(int master) { superseded_[static_cast<size_t>(master)] = 1; }
  uint64_t acked_while_superseded() const { return acked_while_superseded_; }
  uint64_t ops_in_flight() const { return in_flight_.size() - free_.size(); }

  // The RESP size of the command that carries `op` (SET key value [PX ms] / DEL key).
  static uint64_t resp_bytes(const ReplOp& op);

 private:
  struct Pending {
    int replica;
    ReplOp op;
    uint64_t offset;
  };
  void on_event(Time now, uint64_t slot) override;

  Simulation& sim_;
  std::vector<Node>& nodes_;
  Network& link_;
  std::vector<std::vector<int>> replicas_of_;
  std::vector<Time> last_delivery_;          // per replica: the stream is FIFO (one TCP connection)
  std::vector<std::deque<uint64_t>> acked_;  // per master: offsets of writes not yet applied by every replica
  std::vector<uint8_t> superseded_;          // per node: a master whose slots were taken over by its replica
  uint64_t acked_while_superseded_ = 0;
  std::vector<Pending> in_flight_;
  std::vector<uint32_t> free_;
};

}  // namespace cachelab
