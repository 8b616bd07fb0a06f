#pragma once
// What a lab is made of, and the redis.conf each of its nodes gets.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace cachelab::live {

struct LabConfig {
  bool cluster = true;  // false: one standalone server (cluster-enabled no)
  int masters = 3;
  int replicas_per_master = 1;
  int node_timeout_ms = 15000;            // cluster-node-timeout
  uint64_t maxmemory_bytes = 0;           // 0 = no limit, as in redis.conf
  std::string maxmemory_policy = "noeviction";
  int maxmemory_samples = 5;
  int lfu_log_factor = 10;
  int lfu_decay_time_min = 1;             // lfu-decay-time is in minutes
  int hz = 10;
  std::vector<std::pair<std::string, std::string>> extra_config;  // appended verbatim ("name", "value")

  int node_start_timeout_ms = 10000;      // one redis-server answering PING
  int ready_timeout_ms = 30000;           // cluster_state:ok everywhere and replica links up
  int create_timeout_ms = 60000;          // redis-cli --cluster create
  int start_attempts = 5;                 // respawns of one node that lost its port to another process
  int stop_grace_ms = 2000;               // SIGTERM -> SIGKILL at teardown
  std::string redis_server = "redis-server";
  std::string redis_cli = "redis-cli";
  std::string base_dir;                   // where the lab's temp dir goes; empty = $TMPDIR or /tmp
  bool keep_dirs = false;                 // keep node dirs (logs, nodes.conf) after teardown, for debugging
  bool outlive_us = false;                // `lab up`: the servers keep running after this process exits (no
                                          // PR_SET_PDEATHSIG); `lab down` stops them by PID

  int node_count() const { return cluster ? masters * (1 + replicas_per_master) : 1; }
};

// Throws std::invalid_argument with a message that names the offending setting.
void validate_lab_config(const LabConfig& config);

// The redis.conf text for one node listening on 127.0.0.1:port with its files in dir, requiring `password` from
// clients (requirepass) and giving it to its master (masterauth). The text holds the secret: write it 0600.
std::string render_redis_conf(const LabConfig& config, int port, const std::string& dir, const std::string& password);

}  // namespace cachelab::live
