#pragma once
// The Redis Cluster control plane (docs/redis-reference.md §3-§5): per node a clusterCron every 100 ms, the cluster bus
// (PING/PONG with gossip, MEET-less rejoin, FAIL, FAILOVER_AUTH_REQUEST/ACK, UPDATE, MFSTART) over a Topology, failure
// detection (PFAIL, failure reports, FAIL, clearing FAIL), each node's cluster state, replica failover (data age, rank,
// delay, votes, epochs), manual failover and replica migration. Every node keeps its own view of the others and its
// own slot -> owner table, so routing can ask "who does node i believe owns slot s".
//
// The data plane (commands, the replication stream) implements ControlHooks and calls the fault entry points.
// Node order: master-1..master-M are 0..M-1, then replica-m-r at M + (m-1)*R + (r-1). The Topology's hosts 0..N-1
// are these nodes.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>
#include <utility>

#include <nlohmann/json.hpp>

#include "cachelab/cluster/control/bus_message.hpp"
#include "cachelab/cluster/control/control_config.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/core/time.hpp"
#include "cachelab/net/topology.hpp"

namespace cachelab::control {

// What the control plane needs from (and tells) the data plane. Called synchronously from inside events.
class ControlHooks {
 public:
  virtual ~ControlHooks() = default;
  // The node's replication offset: master_repl_offset for a master, the processed offset for a replica (§3.5, §5.1).
  virtual uint64_t replication_offset(int node) = 0;
  // `node` won an election (or a TAKEOVER) and replaced `old_master`: it is a master now and serves its slots.
  virtual void on_promoted(int node, int old_master) {
    (void)node;
    (void)old_master;
  }
  // `node`'s own role or master changed (demoted old master, replica that follows a new master, migration).
  // Query role()/master_of() for the new values. The data plane starts a (full or partial) sync.
  virtual void on_role_changed(int node) { (void)node; }
  // `node`'s cluster state flipped (ok = serves keyed commands; fail = CLUSTERDOWN, §4.5).
  virtual void on_cluster_state(int node, bool ok) {
    (void)node;
    (void)ok;
  }
  // A manual failover pauses a master's writes until `until` (§5.4); until <= now means "resume writes now".
  virtual void on_writes_paused(int node, Time until) {
    (void)node;
    (void)until;
  }
  // One events.jsonl row: {"t_s", "type", "node", ...}. Types: pfail, fail, fail_cleared, cluster_state,
  // election_scheduled, election_started, failover_auth, promoted, role_changed, replica_migrated, manual_failover,
  // failover_refused, partition, heal.
  virtual void on_event(const nlohmann::json& row) { (void)row; }
};

enum class Role : uint8_t { kMaster, kReplica };
enum class ManualFailoverMode : uint8_t { kDefault, kForce, kTakeover };

// One failover, for summary.json's `failovers` list. Times are virtual seconds; absent = never happened.
struct FailoverRecord {
  std::string node;                    // the master that went away (or was replaced by a manual failover)
  std::string cause;                   // "kill", "pause", "manual", "auto" (e.g. a partition)
  std::optional<double> t_kill_s;      // the fault (or the CLUSTER FAILOVER command)
  std::optional<double> t_pfail_s;     // first PFAIL about `node` at any node
  std::optional<double> t_fail_s;      // first FAIL about `node` at any node
  std::optional<double> t_promoted_s;  // a replica replaced it
  std::optional<double> t_ok_s;        // afterwards, cluster state ok on every live master reachable from new_master
  std::string new_master;
  nlohmann::json to_json() const;
};

// Cluster bus traffic since the start (messages handed to the network, and the ones it dropped).
struct BusStats {
  uint64_t messages_sent = 0;
  uint64_t bytes_sent = 0;
  uint64_t messages_dropped = 0;              // cut, lost, or the receiver was dead
  uint64_t messages_by_type[kMsgTypes] = {};  // indexed by MsgType
};

class ControlPlane {
 public:
  // Builds the cluster as `redis-cli --cluster create` leaves it (§1.4): slots split by redis_cli_slot_ranges,
  // distinct configEpochs 1..N, every node knowing every other, all states ok. The first cron of each node is at a
  // random phase in [0, 100 ms) and last pongs are spread over the past NT/2, as in a cluster that has been running.
  // REQUIRES: topology.hosts() >= masters * (1 + R); sim, topology and hooks outlive this object.
  ControlPlane(Simulation& sim, Topology& topology, ControlConfig config, ControlHooks& hooks);
  ~ControlPlane();
  ControlPlane(const ControlPlane&) = delete;
  ControlPlane& operator=(const ControlPlane&) = delete;

  // --- names
  int nodes() const;
  const std::string& name(int node) const;
  int index(const std::string& name) const;  // -1 if unknown
  const ControlConfig& config() const;

  // --- faults (the scenario timeline calls these at their time)
  void kill(int node);     // SIGKILL: no cron, no replies; its replicas see EOF at once (§5.1 repl_down_since)
  void restart(int node);  // rejoins with its last config; an old master gets UPDATEd into a replica (§2.5)
  void pause(int node);    // SIGSTOP: no cron, no replies, TCP stays up; messages wait for resume()
  void resume(int node);
  // Partitions: applied to the shared Topology (the data plane sees them too) and logged as partition/heal events.
  // `channels` as in Topology (kChannelBus alone = a cluster-bus-only cut).
  void partition(const std::vector<std::vector<int>>& groups, uint8_t channels = kChannelAll);
  void cut(const std::vector<int>& from, const std::vector<int>& to, uint8_t channels = kChannelAll);
  void heal();
  // CLUSTER FAILOVER [FORCE|TAKEOVER] sent to `replica` (§5.4). Returns false if it isn't a live replica.
  bool manual_failover(int replica, ManualFailoverMode mode);
  // The data plane saw replication traffic master -> replica (refreshes the replica's lastinteraction, §5.1).
  void note_replication_io(int replica);

  // --- queries (routing and the runner)
  bool alive(int node) const;
  bool paused(int node) const;
  Role role(int node) const;                     // the node's own belief
  int master_of(int node) const;                 // -1 for a master
  bool cluster_ok(int node) const;               // node's cluster state (§4.5)
  int slot_owner(int viewer, int slot) const;    // whom `viewer` believes owns `slot`, -1 if unassigned
  const uint16_t* slot_table(int viewer) const;  // 16384 entries, kNoOwner if unassigned
  static constexpr uint16_t kNoOwner = 0xFFFF;
  uint64_t current_epoch(int node) const;
  uint64_t config_epoch(int node) const;
  bool pfail(int viewer, int node) const;   // viewer flags node PFAIL
  bool failed(int viewer, int node) const;  // viewer flags node FAIL
  // The slots `node` owns in its own table as [first, last] ranges (what it claims in its headers as a master), and
  // a counter bumped whenever they are recomputed (observers skip unchanged claims).
  const std::vector<std::pair<int, int>>& claims(int node) const;
  uint64_t claims_version(int node) const;

  const std::vector<FailoverRecord>& failovers() const;
  const BusStats& bus_stats() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cachelab::control
