#include "live/lab/lab_config.hpp"

#include <set>
#include <sstream>
#include <stdexcept>

namespace cachelab::live {
namespace {

// redis.conf accepts "double quoted" strings with backslash escapes: quote paths (a TMPDIR may hold spaces).
std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

}  // namespace

void validate_lab_config(const LabConfig& c) {
  auto fail = [](const std::string& msg) { throw std::invalid_argument("lab: " + msg); };
  if (c.cluster) {
    // redis-cli --cluster create refuses fewer than 3 masters (docs/redis-reference.md §1.4).
    if (c.masters < 3)
      fail("a cluster needs at least 3 masters (redis-cli --cluster create), got " + std::to_string(c.masters) +
           "; use standalone mode for one node");
    if (c.replicas_per_master < 0) fail("replicas_per_master must be >= 0");
    if (c.node_count() > 200) fail("at most 200 nodes in a local lab, got " + std::to_string(c.node_count()));
  } else if (c.masters != 1 || c.replicas_per_master != 0) {
    fail("standalone mode runs exactly one server (masters 1, replicas 0)");
  }
  static const std::set<std::string> policies = {"noeviction",   "allkeys-lru",  "allkeys-lfu",     "allkeys-random",
                                                 "volatile-lru", "volatile-lfu", "volatile-random", "volatile-ttl"};
  if (!policies.count(c.store.policy)) fail("unknown maxmemory-policy '" + c.store.policy + "'");
  if (c.control.node_timeout_ms < 100) fail("cluster-node-timeout must be >= 100 ms");
  if (c.store.hz < 1 || c.store.hz > 500) fail("hz must be 1..500");
  if (c.store.maxmemory_samples < 1 || c.store.maxmemory_samples > 64) fail("maxmemory-samples must be 1..64");
}

std::string render_redis_conf(const LabConfig& c, int port, const std::string& dir, const std::string& password) {
  std::ostringstream o;
  o << "# written by cachelab-live for a private lab node; removed at teardown\n"
    << "bind 127.0.0.1\n"  // loopback only: the lab is never reachable from outside this machine
    << "port " << port << "\n"
    << "daemonize no\n"  // we must be the parent, to signal and reap by PID
    << "dir " << quoted(dir) << "\n"
    << "logfile \"\"\n"  // stdout, which spawn_process sends to the node's redis.log
    << "save \"\"\n"
    << "appendonly no\n"
    << "repl-diskless-sync-delay 0\n"  // otherwise a restarted node waits 5 s before it resyncs (docs/toolchain.md §3)
    // A master that gets SIGTERM waits up to shutdown-timeout (10 s) for lagging replicas; the lab tears down
    // every node at once, so that wait would only slow the teardown down.
    << "shutdown-on-sigterm now\n"
    << "shutdown-on-sigint now\n"
    // Other local users can reach loopback too: every client must authenticate (replicas with masterauth). The
    // DEBUG command stays disabled (the default): a pause is SIGSTOP, nothing here needs DEBUG.
    << "requirepass " << quoted(password) << "\n"
    << "masterauth " << quoted(password) << "\n"
    << "maxmemory " << c.store.maxmemory_bytes << "\n"
    << "maxmemory-policy " << c.store.policy << "\n"
    << "maxmemory-samples " << c.store.maxmemory_samples << "\n"
    << "lfu-log-factor " << c.store.lfu_log_factor << "\n"
    << "lfu-decay-time " << c.store.lfu_decay_time_min << "\n"
    << "hz " << c.store.hz << "\n"
    << "active-expire-effort " << c.store.active_expire_effort << "\n";
  if (c.cluster) {
    // The failover settings too: a live run must fail over with the timings the scenario (and the simulation) uses.
    auto yes_no = [](bool b) { return b ? "yes" : "no"; };
    o << "cluster-enabled yes\n"
      << "cluster-config-file nodes.conf\n"  // relative to dir: kept across restarts of the node
      << "cluster-node-timeout " << c.control.node_timeout_ms << "\n"
      << "cluster-replica-validity-factor " << c.control.replica_validity_factor << "\n"
      << "cluster-migration-barrier " << c.control.migration_barrier << "\n"
      << "cluster-require-full-coverage " << yes_no(c.control.require_full_coverage) << "\n"
      << "cluster-allow-replica-migration " << yes_no(c.control.allow_replica_migration) << "\n"
      << "cluster-replica-no-failover " << yes_no(c.control.replica_no_failover) << "\n";
  } else {
    o << "cluster-enabled no\n";
  }
  for (const auto& [name, value] : c.extra_config) o << name << " " << value << "\n";
  return o.str();
}

}  // namespace cachelab::live
