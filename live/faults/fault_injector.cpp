#include "live/faults/fault_injector.hpp"

#include <signal.h>

#include <chrono>
#include <optional>
#include <thread>

#include "live/client/control_connection.hpp"
#include "live/lab/cluster_nodes.hpp"
#include "live/lab/process.hpp"

namespace cachelab::live {
namespace {

constexpr int kFaultCommandTimeoutMs = 1000;

}  // namespace

void FaultInjector::check_supported(const std::string& action) {
  if (action == "partition" || action == "heal")
    throw FaultRefused("fault '" + action + "': partitions need network namespaces; not available in live mode");
  if (action != "kill" && action != "restart" && action != "pause" && action != "resume" && action != "failover" &&
      action != "reshard")
    throw FaultRefused("fault '" + action +
                       "' is not supported in live mode "
                       "(supported: kill, restart, pause, resume, failover, reshard)");
}

void FaultInjector::apply(const std::string& action, const std::string& node_name) {
  check_supported(action);
  if (action == "kill")
    kill(node_name);
  else if (action == "restart")
    restart(node_name);
  else if (action == "pause")
    pause(node_name);
  else if (action == "resume")
    resume(node_name);
  else if (action == "failover")
    failover(node_name);
  // reshard has parameters (from, to, count) and runs beside the workload: live/faults/reshard.hpp.
  else
    throw FaultRefused("fault 'reshard' is run with plan_reshard + run_reshard, not apply()");
}

void FaultInjector::kill(const std::string& node_name) { lab_.kill_node(node_name); }

void FaultInjector::restart(const std::string& node_name) {
  // A restart of a node that is still up is a kill followed by a start, as an operator would do it.
  if (lab_.node(node_name).pid > 0) lab_.kill_node(node_name);
  lab_.respawn_node(node_name);
}

namespace {

// Signals are delivered asynchronously: wait until /proc shows the new state, so the fault is in effect when
// pause()/resume() return (a test or a fault plan timing it would otherwise measure the kernel, not Redis).
void wait_for_state(pid_t pid, bool want_stopped) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kFaultCommandTimeoutMs);
  while (std::chrono::steady_clock::now() < deadline) {
    auto state = process_state(pid);
    if (!state || (*state == 'T') == want_stopped) return;
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

}  // namespace

void FaultInjector::pause(const std::string& node_name) {
  lab_.signal_node(node_name, SIGSTOP);
  wait_for_state(lab_.node(node_name).pid, true);
}

void FaultInjector::resume(const std::string& node_name) {
  lab_.signal_node(node_name, SIGCONT);
  wait_for_state(lab_.node(node_name).pid, false);
}

void FaultInjector::failover(const std::string& node_name, FailoverMode mode, int timeout_ms) {
  if (!lab_.config().cluster) throw FaultRefused("failover needs a cluster; this lab is standalone");
  lab_.refresh_topology();  // roles may have changed since the lab last looked (earlier faults)
  const LabNode& n = lab_.node(node_name);
  if (n.pid <= 0 || n.paused) throw FaultRefused("failover: " + node_name + " is not running");
  ControlConnection c(n.endpoint, kFaultCommandTimeoutMs);
  auto role = c.command({"ROLE"});
  if (role.size() > 0 && role.element(0).str() == "master")
    throw FaultRefused("failover: " + node_name + " is a master; CLUSTER FAILOVER must be sent to a replica");
  // The failover is over when the promoted replica says master *and* its old master says replica: in between,
  // the old master may still serve reads of its slots.
  std::optional<Endpoint> old_master;
  for (const auto& other : lab_.nodes())
    if (!n.master_id.empty() && other.node_id == n.master_id && other.pid > 0 && !other.paused)
      old_master = other.endpoint;
  // Every running node must know `node_name` as a replica of its master first: the master ignores the request
  // otherwise and the other masters refuse their votes (a node learns another's role from its pings only).
  const auto known_deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    bool all_know = true;
    for (const auto& other : lab_.nodes()) {
      if (other.pid <= 0 || other.paused) continue;
      for (const auto& line :
           parse_cluster_nodes(control_command(other.endpoint, {"CLUSTER", "NODES"}, kFaultCommandTimeoutMs).str()))
        if (line.id == n.node_id && (line.role != "replica" || line.master_id != n.master_id)) all_know = false;
    }
    if (all_know) break;
    if (std::chrono::steady_clock::now() >= known_deadline)
      throw LabError("failover: not every node knows " + node_name + " is a replica after " +
                     std::to_string(timeout_ms) + " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  std::vector<std::string> args = {"CLUSTER", "FAILOVER"};
  if (mode == FailoverMode::Force) args.push_back("FORCE");
  if (mode == FailoverMode::Takeover) args.push_back("TAKEOVER");
  Reply r = c.command(args);
  if (r.is_error()) throw FaultRefused("failover: " + node_name + " answered " + std::string(r.str()));
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    role = c.command({"ROLE"});
    if (role.size() > 0 && role.element(0).str() == "master") {
      if (!old_master) break;
      Reply old_role = control_command(*old_master, {"ROLE"}, kFaultCommandTimeoutMs);
      if (old_role.size() > 0 && old_role.element(0).str() == "slave") break;
    }
    if (std::chrono::steady_clock::now() >= deadline)
      throw LabError("failover: " + node_name + " was not promoted within " + std::to_string(timeout_ms) + " ms");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  lab_.refresh_topology();
}

}  // namespace cachelab::live
