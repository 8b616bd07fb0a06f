#pragma once
// The fault timeline: the scenario's `faults` array, each item `{"at_s": T, "action": NAME, ...}`. Each action is
// one file under sim/src/faults/ that registers itself (name, doc, parameter schema, how to apply it); the run
// session (sim/src/run/fault_timeline.cpp) applies each at its time through the FaultTarget interface, which the
// simulated world (run/cluster_glue.cpp) and live mode (live/faults/live_fault_target.cpp) implement.
// A back-end that cannot honour an action refuses the whole scenario up front (FaultTarget::supports).
// Adding a fault: one file here; a new capability is one FaultTarget method, implemented by the simulated world
// (run/cluster_glue.cpp) and, if live mode can do it, by live/faults/live_fault_target.cpp.
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/net/node_names.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab {

struct Placement;  // net/placement.hpp

class FaultTarget {
 public:
  virtual ~FaultTarget() = default;
  // Whether this back-end can do `action`; when not, `why` says so for the user ("partitions need network
  // namespaces..."). The run session asks before anything runs, so a fault is never silently skipped.
  virtual bool supports(const std::string& action, std::string* why) const {
    (void)action, (void)why;
    return true;
  }
  // The node index for a name (master-1 ...), or -1.
  virtual int node_index(const std::string& name) const = 0;
  // Moves `count` slots owned by `from` (its lowest first) to `to`, as redis-cli --cluster reshard does.
  virtual void reshard(int from, int to, int count) = 0;
  // Process faults on a node (live mode does them with signals on the servers it spawned).
  virtual void kill(int node) = 0;     // SIGKILL: gone, connections refused
  virtual void restart(int node) = 0;  // back, empty (no persistence), rejoins the cluster
  virtual void pause(int node) = 0;    // SIGSTOP: frozen, TCP stays up, nothing answers
  virtual void resume(int node) = 0;   // SIGCONT
  // Network faults between nodes (sim only: live mode on loopback refuses them up front).
  virtual void partition(const std::vector<int>& side, bool bus_only) = 0;  // `side` vs everyone else
  // A partition that takes client instances too (partition.cpp with `clients` or `zones`): `nodes` and `clients` on
  // one side, every other node and client instance on the other; a blocked command ends as the client's timeout.
  virtual void partition_clients(const std::vector<int>& nodes, const std::vector<int>& clients) {
    (void)nodes, (void)clients;
    throw std::logic_error("partitions with client instances are not supported by this back-end");
  }
  // Where nodes and client instances sit (network.topology); null when the back-end has no placement.
  virtual const Placement* placement() const { return nullptr; }
  virtual void heal() = 0;
  // CLUSTER FAILOVER [FORCE|TAKEOVER] on a replica: mode "default", "force" or "takeover".
  virtual void failover(int replica, const std::string& mode) = 0;
  // Topology changes (add_node.cpp, remove_node.cpp): a new empty master joins and takes its share of the slots,
  // or a master gives all its slots away and leaves. With client-side sharding the clients recompute their ring.
  virtual void add_node() = 0;
  virtual void remove_node(int node) = 0;
  // A client (application) instance dies and restarts at once (client_crash.cpp): its write-behind buffer is lost.
  virtual void crash_client(int instance) { (void)instance; }
  // A client instance stalls for duration_ms (client_pause.cpp): what reaches it waits until it wakes.
  virtual void pause_client(int instance, double duration_ms) { (void)instance, (void)duration_ms; }
  // Link changes (link.cpp, sim only): the links from each node of `from` to each of `to` (every other node when
  // empty), and back unless one_way, take the latency distribution and/or loss given (null = unchanged).
  virtual void change_links(const std::vector<int>& from, const std::vector<int>& to, const nlohmann::json& latency_us,
                            const nlohmann::json& loss, bool one_way) {
    (void)from, (void)to, (void)latency_us, (void)loss, (void)one_way;
    throw std::logic_error("fault 'link' is not supported by this back-end");
  }
  // A slow node (slow_node.cpp, sim only): service times x factor; back to x1 after duration_s when > 0.
  virtual void slow_node(int node, double factor, double duration_s) {
    (void)node, (void)factor, (void)duration_s;
    throw std::logic_error("fault 'slow_node' is not supported by this back-end");
  }
};

// Registers a fault that acts on one named node: {"at_s": T, "action": ACTION, "node": NAME}.
struct RegisterNodeFault {
  RegisterNodeFault(std::string action, std::string doc, void (FaultTarget::*apply)(int node));
};

// Faults that need the cluster control plane (failure detection, failover), as each declares it
// (FaultKind::needs_control_plane); an unknown action counts as needing it.
bool fault_needs_control_plane(const std::string& action);

// Shared check for faults that name one node: it must be a node of this cluster.
void check_node_param(const nlohmann::json& item, const nlohmann::json& scenario, const char* key,
                      const std::function<void(const std::string&, const std::string&, const std::string&)>& report);

struct FaultKind {
  std::string action;
  std::string doc;
  schema::ObjectPtr params;  // besides "at_s" and "action", which every fault has
  // Checks the resolved item against the resolved scenario (node names exist, ...): report(rel_ptr, expected, found).
  std::function<void(const nlohmann::json& item, const nlohmann::json& scenario,
                     const std::function<void(const std::string&, const std::string&, const std::string&)>& report)>
      check;
  std::function<void(FaultTarget& target, const nlohmann::json& item)> apply;
  // Whether the scenario then runs the cluster control plane (failure detection, failover): a process or network
  // fault does; a data-plane action such as reshard does not (needs_control_plane(), run/cluster_glue.cpp).
  bool needs_control_plane = true;
  // Acts on the application's client instances, not on the cache: the run session applies it itself
  // (FaultTarget::crash_client, pause_client), in every back-end.
  bool client_side = false;
};

class FaultRegistry {
 public:
  static FaultRegistry& instance();
  void add(FaultKind k);
  const FaultKind* find(const std::string& action) const;
  const std::vector<FaultKind>& all() const { return kinds_; }

 private:
  std::vector<FaultKind> kinds_;
};

struct RegisterFault {
  explicit RegisterFault(FaultKind k) { FaultRegistry::instance().add(std::move(k)); }
};

// The scenario field `faults`: an array of registered actions, each with `at_s`.
schema::FieldSpec faults_field();

}  // namespace cachelab
