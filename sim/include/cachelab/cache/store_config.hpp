#pragma once
// A node's keyspace settings (the `cluster` knobs a Store reads), apart from store.hpp so that the typed scenario
// (scenario/scenario.hpp) can hold one without the store's implementation. Scenario::from_resolved fills it from
// the resolved scenario; the simulated nodes and the live lab's redis.conf (live/lab/lab_config.hpp) take it as is.
#include <cstdint>
#include <string>

namespace cachelab {

// workload.hash_objects (docs/redis-reference.md §7.9): every object is one hash of `fields` fields written by one
// HSET, every field name `name_bytes` long, every value the key's value size except, with long_value_bytes > 0, the
// last field's. fields = 0: objects are strings (SET / GET).
struct HashObjects {
  uint32_t fields = 0;
  uint32_t name_bytes = 0;
  uint32_t long_value_bytes = 0;
  bool operator==(const HashObjects&) const = default;
};

struct StoreConfig {
  uint64_t maxmemory_bytes = 0;  // 0 = no limit
  std::string policy = "noeviction";
  bool cluster_mode = true;
  int maxmemory_samples = 5;
  // How the eviction pool's samples are drawn: "uniform" (k distinct keys, all keys equally likely) or "buckets"
  // (Redis's dictGetSomeKeys bucket walk, dict.c; docs/redis-reference.md §7.5). The walk keeps a chain head per
  // bucket of each dict (4 B x the table size) only in "buckets" mode.
  std::string sampling = "uniform";
  int lfu_log_factor = 10;
  int lfu_decay_time_min = 1;
  int hz = 10;                    // serverCron frequency (CONFIG_DEFAULT_HZ)
  int active_expire_effort = 1;   // 1..10 (active-expire-effort)
  bool master = true;             // replicas do not evict or actively expire
  int client_connections = 0;     // normal clients connected to this node: each holds buffers in used_memory
  int described_connections = 0;  // of those, the ones CLIENT INFO / LIST has described (kDescribedClientBytes)
  int monitor_connections = 0;    // more: clients that read INFO periodically (kMonitorConnectionBytes each)
  bool repl_backlog = false;      // a node with replicas holds repl-backlog-size bytes of backlog (§0)
  int cluster_peers = 0;       // cluster mode: the other nodes this node knows (each costs memory, kClusterPeerBytes)
  int latency_histograms = 0;  // distinct commands the node has run: each holds a latency histogram in used_memory
  // Commands of one client connection that wait at a busy node are read together (docs/redis-reference.md §9.1). A
  // connection is (instance, CacheCommand::conn): connections_per_instance is clients.pool_size (1 without a pool).
  // Simulator only; the loader always turns it on (off in unit tests of other costs).
  bool coalesce_client_reads = false;
  uint32_t connections_per_instance = 1;
  // Node time per key walked (cluster.keys_ns_per_key, cluster.scan_ns_per_key; simulator only, no redis.conf line):
  // KEYS walks every key of the node, SCAN COUNT c about c (docs/measurements/keys-scan-cost-redis-7.0.csv). -1: the
  // measured cost for the node's size (cluster/walk_cost.hpp).
  double keys_ns_per_key = -1, scan_ns_per_key = -1;
  // Node time per byte of the values a GET/MGET replies and a SET/MSET sends (simulator only, no redis.conf line;
  // the knobs' defaults are Redis 7.0's fit, cache/value_cost.hpp; 0 here: a bare config has none).
  double get_ns_per_reply_byte = 0, set_ns_per_request_byte = 0;
  HashObjects hash;  // the shape of the hashes a SET marked hash stores (CacheCommand::hash)

  bool operator==(const StoreConfig&) const = default;
};

}  // namespace cachelab
