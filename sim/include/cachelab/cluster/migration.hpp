#pragma once
// Online resharding driven the way `redis-cli --cluster reshard` drives it (docs/redis-reference.md §2.4): an external
// tool issuing commands over the network, one slot at a time. For each slot: SETSLOT IMPORTING on the target,
// SETSLOT MIGRATING on the source, then GETKEYSINSLOT (10) + MIGRATE ... KEYS (10) until the slot is empty, then
// SETSLOT NODE to the target first, then the source, then every other master. Every command costs a round trip
// and the node's service time; MIGRATE blocks the source while the target restores the keys (it is synchronous).
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/cluster/node.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/network.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

class Migrator final : private EventHandler {
 public:
  static constexpr int kPipeline = 10;  // CLUSTER_MANAGER_MIGRATE_PIPELINE, redis-cli.c:85

  struct Report {
    int from = 0, to = 0, slots = 0;
    uint64_t keys_moved = 0, bytes_moved = 0, commands = 0;
    double t_start_s = 0, t_end_s = -1;
    int group = -1;  // the topology change (add_node / remove_node) this move belongs to; -1 for a plain reshard
  };
  using EventSink = std::function<void(nlohmann::json)>;

  Migrator(Simulation& sim, std::vector<Node>& nodes, Network& net, const KeyNamer& namer, EventSink events);
  // Queues a reshard; reshards run one after another, as one redis-cli would.
  void reshard(int from, int to, int count);
  // Queues a move of exactly these slots (a rebalance's plan, computed up front as redis-cli does).
  void move_slots(int from, int to, std::vector<int> slots, int group);
  // Which nodes are masters of the cluster (told SETSLOT NODE): nodes not yet added or already removed are not.
  // Default: every node.
  void set_member(int node, bool member);
  bool idle() const { return !busy_; }
  // Called when the queue becomes empty (a rebalance is complete).
  std::function<void()> on_idle;
  const std::vector<Report>& reports() const { return reports_; }

 private:
  enum Step : uint64_t {
    kImporting,
    kMigrating,
    kGetKeys,
    kMigrate,
    kSetNodeTarget,
    kSetNodeSource,
    kSetNodeOther,
    kNextSlot
  };
  struct Job {
    int from, to;
    std::vector<int> slots;
    size_t next = 0;
    size_t report = 0;  // index in reports_
  };
  void on_event(Time now, uint64_t step) override;
  void start_next_job();
  // Sends one command to `node`: it arrives after half an RTT; `work` runs there (in arrival order) and returns
  // the node's completion time; the reply reaches the tool after the other half, where `next` continues.
  void command(int node, Step next);
  Time run_step(Node& n, Step step, Time arrival);

  Simulation& sim_;
  std::vector<Node>& nodes_;
  Network& net_;
  const KeyNamer& namer_;
  EventSink events_;
  std::vector<Job> queue_;
  std::vector<Report> reports_;
  std::vector<uint8_t> member_;
  bool busy_ = false;
  int slot_ = -1;
  Time slot_started_;  // when the current slot's migration began (slot_moved `t_start_s`)
  int other_ = 0;      // SETSLOT NODE to the other masters: the next one to tell
  std::vector<uint64_t> batch_;
  // The command in flight: its target node, the step it performs, and the return trip.
  int cmd_node_ = 0;
  Step cmd_step_ = kImporting;
  Time cmd_back_;
  bool cmd_arrived_ = false;
};

}  // namespace cachelab
