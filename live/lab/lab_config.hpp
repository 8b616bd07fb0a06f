#pragma once
// What a lab is made of, and the redis.conf each of its nodes gets.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "cachelab/cache/store_config.hpp"
#include "cachelab/cluster/control/control_config.hpp"

namespace cachelab::live {

struct LabConfig {
  bool cluster = true;  // false: one standalone server (cluster-enabled no)
  int masters = 3;
  int replicas_per_master = 1;
  // The Redis settings of every node, the same structs the simulated nodes and control plane take (a scenario's
  // `cluster.store` and `cluster.control`, typed by Scenario::from_resolved): the keyspace's maxmemory,
  // maxmemory-policy, maxmemory-samples, lfu-log-factor, lfu-decay-time (minutes), hz and active-expire-effort;
  // the cluster's node timeout and failover settings (cluster mode only). The simulator-only fields (sampling,
  // client_connections, repl_backlog, master; the control plane's node counts and cron period, which Redis derives
  // from hz) have no redis.conf line: the lab's own masters and replicas_per_master above decide its shape.
  StoreConfig store;
  control::ControlConfig control;
  std::vector<std::pair<std::string, std::string>> extra_config;  // appended verbatim ("name", "value")

  int node_start_timeout_ms = 10000;  // one redis-server answering PING
  int ready_timeout_ms = 30000;       // cluster_state:ok everywhere and replica links up
  int create_timeout_ms = 60000;      // redis-cli --cluster create
  int start_attempts = 5;             // respawns of one node that lost its port to another process
  int stop_grace_ms = 2000;           // SIGTERM -> SIGKILL at teardown
  std::string redis_server = "redis-server";
  std::string redis_cli = "redis-cli";
  std::string base_dir;     // where the lab's temp dir goes; empty = $TMPDIR or /tmp
  bool keep_dirs = false;   // keep node dirs (logs, nodes.conf) after teardown, for debugging
  bool outlive_us = false;  // `lab up`: the servers keep running after this process exits (no
                            // PR_SET_PDEATHSIG); `lab down` stops them by PID

  int node_count() const { return cluster ? masters * (1 + replicas_per_master) : 1; }
};

// Throws std::invalid_argument with a message that names the offending setting.
void validate_lab_config(const LabConfig& config);

// The redis.conf text for one node listening on 127.0.0.1:port with its files in dir, requiring `password` from
// clients (requirepass) and giving it to its master (masterauth). The text holds the secret: write it 0600.
std::string render_redis_conf(const LabConfig& config, int port, const std::string& dir, const std::string& password);

}  // namespace cachelab::live
