#pragma once
// Failover times read from the servers themselves (issue 7 item 6): a thread polls CLUSTER NODES and CLUSTER INFO of
// every running node every 50 ms and times, per killed or paused master, the first PFAIL ("fail?") and FAIL flag any
// node shows, the moment one of its replicas calls itself master, and the first poll after that in which every
// running master says cluster_state:ok. The records have the simulator's summary shape (results/README.md
// `failovers`), so compare lines them up. Resolution: the poll period (50 ms) plus one poll round.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "live/client/endpoint.hpp"

namespace cachelab::live {

class ControlConnection;

class FailoverWatch {
 public:
  struct NodeInfo {
    std::string name;  // results name (master-1, replica-1-1, ...)
    Endpoint endpoint;
    std::string node_id;    // cluster node id
    std::string master_id;  // replicas: their master's id at the start
  };
  // `now_s`: the run's clock (seconds since the run start); called from the polling thread, so it must be
  // thread-safe (WallScheduler::read_clock is; its now() is not). `on_event` receives pfail / fail / promoted / cluster_ok events; it is
  // called from the polling thread with the watch's lock held, so it must only append.
  FailoverWatch(std::vector<NodeInfo> nodes, std::function<double()> now_s, int period_ms = 50);
  ~FailoverWatch();  // stop()
  FailoverWatch(const FailoverWatch&) = delete;
  FailoverWatch& operator=(const FailoverWatch&) = delete;

  void start();
  void stop();

  // Call *before* the fault is applied, so the poller stops talking to the node first (a paused node would block a
  // poll for its whole timeout). A master that goes away opens a failover record (cause "kill" or "pause").
  void node_going_away(const std::string& name, const std::string& cause, double t_s);
  // Call after a restart or resume: the node is polled again.
  void node_back(const std::string& name);

  // summary.json `failovers` (a copy; safe while running) and the events seen so far (taken: each once).
  nlohmann::json failovers_json() const;
  std::vector<nlohmann::json> take_events();

 private:
  struct Record {
    std::string node, node_id, cause;
    double t_kill_s = 0;
    std::optional<double> t_pfail_s, t_fail_s, t_promoted_s, t_ok_s;
    std::string new_master;
  };
  void run();
  void poll_once();

  std::vector<NodeInfo> nodes_;
  // One connection per node, kept from poll to poll (the polling thread's only): a fresh connection per poll held a
  // new client's ~38 KB on every node 20 times a second, and a SET landing meanwhile evicted that much under
  // maxmemory (docs/redis-reference.md §7.8). Dropped when its node goes away or a poll fails; the next poll reconnects.
  std::vector<std::unique_ptr<ControlConnection>> conns_;
  std::vector<bool> away_;  // guarded by mu_
  std::function<double()> now_s_;
  int period_ms_;
  mutable std::mutex mu_;
  std::vector<Record> records_;         // guarded by mu_
  std::vector<nlohmann::json> events_;  // guarded by mu_
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

}  // namespace cachelab::live
