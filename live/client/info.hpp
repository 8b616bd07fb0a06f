#pragma once
// Per-node snapshots read from INFO: what live mode records per metrics interval (series.csv) and what the lab
// uses for readiness (role, master_link_status).
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

namespace cachelab::live {

// "field:value" lines of an INFO reply; section headers and blank lines skipped.
std::map<std::string, std::string> parse_info_fields(std::string_view info_text);

// The server's CPU time so far in microseconds: INFO cpu's used_cpu_user + used_cpu_sys (getrusage of the process:
// the replies' writes included, the time waiting for a CPU not). Throws std::out_of_range when the fields are absent.
double server_cpu_us(const std::map<std::string, std::string>& info_fields);

struct NodeSnapshot {
  std::string role;  // "master" or "slave" (Redis' word)
  uint64_t used_memory_bytes = 0;
  uint64_t maxmemory_bytes = 0;
  uint64_t keys = 0;     // db0 keys (a cluster node only has db0)
  uint64_t expires = 0;  // db0 keys with a TTL
  uint64_t evicted_keys = 0;
  uint64_t expired_keys = 0;
  uint64_t keyspace_hits = 0;
  uint64_t keyspace_misses = 0;
  uint64_t total_commands_processed = 0;
  // The main thread's CPU time so far (used_cpu_user_main_thread + used_cpu_sys_main_thread, getrusage
  // RUSAGE_THREAD, Redis 7.0 src/server.c genRedisInfoString): the thread that runs the commands, writes the replies
  // and runs the cron; not the background threads (lazy free, AOF fsync). Negative when INFO has no such fields.
  double main_thread_cpu_us = -1;
  std::string master_link_status;  // replicas only: "up" / "down"
  std::string redis_version;
};

// Fields missing from the text stay at their defaults.
NodeSnapshot parse_node_snapshot(std::string_view info_text);

}  // namespace cachelab::live
