#pragma once
// Faults on the nodes of a spawned lab, done for real: signals to the server processes and cluster commands.
// A fault live mode cannot do is refused up front (docs/design.md §8: never silently skipped).
#include <stdexcept>
#include <string>

#include "live/lab/lab.hpp"

namespace cachelab::live {

class FaultRefused : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

enum class FailoverMode { Default, Force, Takeover };  // CLUSTER FAILOVER [FORCE|TAKEOVER]

class FaultInjector {
 public:
  explicit FaultInjector(Lab& lab) : lab_(lab) {}

  // Throws FaultRefused for an action live mode cannot perform or does not know; call it for every fault of a
  // plan before the run starts.
  static void check_supported(const std::string& action);

  // Dispatch by the scenario's action name ("kill", "restart", "pause", "resume", "failover").
  void apply(const std::string& action, const std::string& node_name);

  void kill(const std::string& node_name);  // SIGKILL: no shutdown, no goodbye to the cluster
  // Same port, config and dir: the node reads its nodes.conf and rejoins the cluster. Waits until it answers;
  // rejoining (cluster_state:ok, resync) is the caller's to wait for (Lab::wait_ready).
  void restart(const std::string& node_name);
  void pause(const std::string& node_name);   // SIGSTOP: the kernel still accepts connections, nothing answers
  void resume(const std::string& node_name);  // SIGCONT
  // CLUSTER FAILOVER sent to a replica; waits up to timeout_ms until it reports itself master.
  void failover(const std::string& node_name, FailoverMode mode = FailoverMode::Default, int timeout_ms = 10000);

 private:
  Lab& lab_;
};

}  // namespace cachelab::live
