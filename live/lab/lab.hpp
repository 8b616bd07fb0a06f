#pragma once
// A private lab of redis-server processes on 127.0.0.1 (docs/design.md §8, --spawn): free ports found at run
// time, one temp dir and config per node, the cluster created with redis-cli --cluster create, torn down by PID.
// Every node requires a random password; the temp dir goes on every exit path (teardown, or DirJanitor when the
// process dies by a signal).
#include <sys/types.h>

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "live/client/endpoint.hpp"
#include "live/lab/dir_janitor.hpp"
#include "live/lab/lab_config.hpp"

namespace cachelab::live {

class LabError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct LabNode {
  // Fixed at start from the initial role and never renamed (a fault plan says "kill master-1" and means that
  // process, whatever its role is by then): "master-<i>" by slot order, "replica-<i>-<k>" for master i's
  // replicas, "standalone" for a standalone lab.
  std::string name;
  Endpoint endpoint;
  pid_t pid = -1;  // -1 while not running (killed)
  std::string dir;
  std::string config_path;
  std::string node_id;                           // cluster node id (empty in standalone mode)
  std::string role;                              // "master" / "replica" at the last refresh_topology()
  std::string master_id;                         // replicas: their master's node id
  std::vector<std::pair<int, int>> slot_ranges;  // masters: inclusive [first, last] ranges
  bool paused = false;                           // SIGSTOPped by us
};

class Lab {
 public:
  explicit Lab(LabConfig config);
  ~Lab();  // teardown()
  Lab(const Lab&) = delete;
  Lab& operator=(const Lab&) = delete;

  // Spawns every node, creates the cluster, waits until ready and names the nodes. On any failure the lab is
  // torn down before LabError is thrown (its message carries the failing step and the node's log tail).
  void start();
  // Stops every node we started (SIGCONT, SIGTERM, SIGKILL after the grace period, waitpid), releases the ports
  // and removes the temp dir. Idempotent; also run by the destructor.
  void teardown();
  // `lab up`: hands the running servers over to the caller, who records their PIDs and directory: the lab forgets
  // them without stopping them (nor removing the directory). Only meaningful with config().outlive_us.
  void release();

  const LabConfig& config() const { return config_; }
  const std::vector<LabNode>& nodes() const { return nodes_; }
  std::vector<Endpoint> endpoints() const;
  const std::string& root_dir() const { return root_dir_; }
  // The random password every node requires (requirepass) and replicas give their master (masterauth). It is
  // registered for the nodes' endpoints (live/client/credentials.hpp) while the lab runs, so in-process tools
  // authenticate by themselves; a child process gets it through its environment (CACHELAB_REDIS_PASSWORD,
  // REDISCLI_AUTH), never on its command line.
  const std::string& password() const { return password_; }
  // Throws LabError listing the known names.
  LabNode& node(const std::string& name);
  const LabNode& node(const std::string& name) const;

  // Every node answers CLUSTER INFO with cluster_state:ok and knows all others, and every replica's
  // master_link_status is up (standalone: the server answers PING). Throws LabError on timeout with each node's
  // last status.
  void wait_ready(int timeout_ms) const;
  // Re-reads ids, roles, masters and slots from CLUSTER NODES of a running node.
  void refresh_topology();

  // Process control for faults (live/faults uses these; the lab keeps the books).
  void kill_node(const std::string& name);     // SIGKILL + reap; the node keeps its port and dir
  void respawn_node(const std::string& name);  // same port, config and dir (nodes.conf), waits for PING
  void signal_node(const std::string& name, int signal);

  // Tail of a node's redis.log (for error messages).
  std::string log_tail(const LabNode& node, int lines = 15) const;

 private:
  void spawn_all();
  pid_t spawn_node(LabNode& node);
  bool wait_for_ping(LabNode& node, std::string& why) const;
  void create_cluster();
  void name_nodes();

  LabConfig config_;
  std::string root_dir_;
  std::vector<LabNode> nodes_;
  std::vector<int> claimed_ports_;
  std::string password_;
  DirJanitor janitor_;  // removes root_dir_ if this process dies before teardown() does
  bool torn_down_ = true;
};

}  // namespace cachelab::live
