// Every scenario knob, declared once: name, type, unit, default, range, one-line doc.
// `cachelab knobs` prints this table; validation, defaults and error messages all come from it.
// Redis defaults and constants cite docs/redis-reference.md (§0 lists them with their Redis 7.0.15 source lines).
#include <algorithm>
#include <functional>
#include <regex>

#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/cache/value_cost.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/faults/fault.hpp"
#include "cachelab/net/node_names.hpp"
#include "cachelab/results/compare.hpp"
#include "cachelab/scenario/loader.hpp"
#include "plan_knobs.hpp"
#include "topology_knobs.hpp"
#include "workload_knobs.hpp"

namespace cachelab {

using nlohmann::json;
using schema::FieldSpec;
using schema::ObjectSpec;

namespace {

std::shared_ptr<const ObjectSpec> cluster_spec() {
  auto o = schema::object_spec("the cache cluster");
  o->fields.push_back(
      schema::enumeration("mode", {"cluster", "standalone"})
          .dflt("cluster")
          .about("cluster: Redis Cluster (cluster-enabled yes, 16384 hash slots); standalone: one plain server"));
  o->fields.push_back(schema::integer("masters").dflt(3).min(1).max(1000).about(
      "master nodes; slots are split among them as redis-cli --cluster create does (ref. 1.4)"));
  o->fields.push_back(
      schema::integer("replicas_per_master")
          .dflt(0)
          .min(0)
          .max(5)
          .about(
              "replicas per master, fed by asynchronous replication (ref. 6); failover needs the control-plane model"));
  o->fields.push_back(schema::size("maxmemory").dflt(0).about("per-node memory limit, redis.conf syntax; 0 = none"));
  std::vector<std::string> policies;
  for (const auto& k : PolicyRegistry::instance().all()) policies.push_back(k.name);
  o->fields.push_back(schema::enumeration("maxmemory_policy", policies)
                          .dflt("noeviction")
                          .about("Redis's eight policies with their sampling (ref. 7), or the exact reference "
                                 "policies (not Redis; for validation and teaching, the same code as cachelab "
                                 "replay): lru, fifo, random, lfu, clock, sieve, s3fifo, arc; belady is replay only"));
  o->fields.push_back(schema::integer("maxmemory_samples")
                          .dflt(5)
                          .min(1)
                          .max(64)
                          .about("keys sampled per eviction-pool refill (maxmemory-samples, ref. 7.5)"));
  o->fields.push_back(
      schema::enumeration("sampling", {"uniform", "buckets"})
          .dflt("uniform")
          .about(
              "how the eviction pool samples: uniform over keys, or Redis's dictGetSomeKeys walk over consecutive hash "
              "buckets (ref. 7.5); the walk measured at most 0.002 lower hit ratios, so uniform is the default"));
  o->fields.push_back(
      schema::integer("lfu_log_factor").dflt(10).min(0).max(255).about("LFU counter log factor (ref. 7.7)"));
  o->fields.push_back(schema::integer("lfu_decay_time_min")
                          .dflt(1)
                          .min(0)
                          .max(65535)
                          .in("min")
                          .about("LFU counter decrement period in minutes; 0 = never decay (ref. 7.7)"));
  o->fields.push_back(
      schema::integer("node_timeout_ms")
          .dflt(15000)
          .min(100)
          .max(3600000)
          .in("ms")
          .about("cluster-node-timeout: PFAIL after this long without a pong; drives failover timing (ref. 4, 5)"));
  o->fields.push_back(schema::integer("replica_validity_factor")
                          .dflt(10)
                          .min(0)
                          .max(1000)
                          .about("cluster-replica-validity-factor: a replica with older data does not fail over; 0 = "
                                 "always may (ref. 5.1)"));
  o->fields.push_back(
      schema::integer("migration_barrier")
          .dflt(1)
          .min(0)
          .max(100)
          .about("cluster-migration-barrier: replicas a master keeps before one migrates to an orphan (ref. 5.5)"));
  o->fields.push_back(
      schema::boolean("require_full_coverage")
          .dflt(true)
          .about(
              "cluster-require-full-coverage: the cluster stops serving when any slot has no live master (ref. 4.5)"));
  o->fields.push_back(
      schema::boolean("allow_replica_migration").dflt(true).about("cluster-allow-replica-migration (ref. 5.5)"));
  o->fields.push_back(
      schema::boolean("replica_no_failover")
          .dflt(false)
          .about("cluster-replica-no-failover: replicas never start an election on their own (ref. 5.1)"));
  o->fields.push_back(
      schema::integer("min_replicas_to_write")
          .dflt(0)
          .min(0)
          .max(5)
          .about(
              "min-replicas-to-write: a master refuses writes (-NOREPLICAS) unless this many replicas acknowledged the "
              "stream within min_replicas_max_lag_s; 0 = off (ref. 0, 6.1)"));
  o->fields.push_back(schema::integer("min_replicas_max_lag_s")
                          .dflt(10)
                          .min(0)
                          .max(3600)
                          .in("s")
                          .about("min-replicas-max-lag: a replica is good while its last REPLCONF ACK (sent every "
                                 "second) is at most this old; "
                                 "0 = off (ref. 0, 6)"));
  o->fields.push_back(
      schema::number("full_sync_mb_per_s")
          .dflt(100)
          .min(0, true)
          .in("MB/s")
          .about(
              "rate of a full resync (RDB transfer and load) when a node (re)joins as a replica; an assumption, not a "
              "Redis constant: measure yours"));
  o->fields.push_back(
      schema::number("keys_ns_per_key")
          .dflt(json())
          .null_ok()
          .min(0)
          .max(1e9)
          .in("ns")
          .about("KEYS *: node time per key of the node, on top of service_us; null (default): Redis 7.0's CPU time "
                 "per key measured at 10k, 100k and 1M keys with names of 12, 32 and 72 bytes, with and without "
                 "TTLs (it grows as the walk leaves the CPU caches, with the names' length and with the expires "
                 "dict's lookup), interpolated for the node (docs/redis-reference.md §13)"));
  o->fields.push_back(
      schema::number("scan_ns_per_key")
          .dflt(json())
          .null_ok()
          .min(0)
          .max(1e9)
          .in("ns")
          .about("SCAN COUNT c: node time per key walked (about c per call), on top of service_us; null (default): "
                 "Redis 7.0's SCAN COUNT 1000, measured and interpolated as KEYS' (docs/redis-reference.md §13)"));
  o->fields.push_back(
      schema::number("get_ns_per_reply_byte")
          .dflt(kFitGetNsPerReplyByte)
          .min(0)
          .max(1e6)
          .in("ns")
          .about("GET and MGET: node time per byte of the values replied, on top of service_us (copying the reply "
                 "into the socket); default: Redis 7.0's fitted on this lab, 100 B to 1 MB (ref. 12, docs/measurements/"
                 "value-size-cost-redis-7.0.csv)"));
  o->fields.push_back(
      schema::number("set_ns_per_request_byte")
          .dflt(kFitSetNsPerRequestByte)
          .min(0)
          .max(1e6)
          .in("ns")
          .about("SET and MSET: node time per byte of the values sent, on top of service_us (reading and parsing "
                 "the request, storing the value); default: Redis 7.0's fitted on this lab, 100 B to 1 MB (ref. 12, "
                 "docs/measurements/value-size-cost-redis-7.0.csv)"));
  o->fields.push_back(schema::integer("hz").dflt(10).min(1).max(500).in("1/s").about(
      "serverCron frequency: the active expire cycle runs every 1000/hz ms, clusterCron (failure detection, gossip) "
      "every 100 ms, or every 1000/hz ms below hz 10 (ref. 3.2, 8.2)"));
  o->fields.push_back(
      schema::integer("active_expire_effort")
          .dflt(1)
          .min(1)
          .max(10)
          .about("active-expire-effort: keys per loop, CPU share and stale threshold of the expire cycle (ref. 8.2)"));
  o->fields.push_back(
      dist_field("service_us", {{"dist", "fixed"}, {"value", 8}})
          .in("us")
          .max(1e7)
          .about("service time of one command on a node's single thread (ref. 9: about 7-10 us at saturation)"));
  o->fields.push_back(
      schema::enumeration("sharding", {"redis-cluster", "ketama", "modulo"})
          .dflt("redis-cluster")
          .about(
              "how keys map to nodes: redis-cluster (hash slots, needs mode cluster); ketama (client-side consistent "
              "hashing, libketama/twemproxy points) or modulo (hash mod N), both over `masters` standalone servers "
              "(mode standalone, no replicas)"));
  o->fields.push_back(schema::integer("ketama_points_per_server")
                          .dflt(160)
                          .min(4)
                          .max(4000)
                          .about("ketama points (virtual nodes) per server, a multiple of 4 (4 per MD5 digest); 160 as "
                                 "libketama/twemproxy "
                                 "with weight 1"));
  o->cross_check = [](const json& j, const auto& report) {
    // An offline policy (belady) is listed, so that naming it gets this explanation rather than "unknown".
    if (const PolicyKind* k = PolicyRegistry::instance().find(j.at("maxmemory_policy").get<std::string>());
        k && !k->refusal.empty())
      report("/maxmemory_policy", "an online policy (" + k->refusal + ")", j.at("maxmemory_policy").dump());
    const bool client_sharding = j.at("sharding") != "redis-cluster";
    if (client_sharding && j.at("mode") != "standalone")
      report("/mode",
             "\"standalone\" with sharding " + j.at("sharding").dump() + " (client-side sharding over plain servers)",
             j.at("mode").dump());
    if (client_sharding && j.at("replicas_per_master").get<int64_t>() != 0)
      report("/replicas_per_master", "0 with client-side sharding", j.at("replicas_per_master").dump());
    if (j.at("ketama_points_per_server").get<int64_t>() % 4 != 0)
      report("/ketama_points_per_server", "a multiple of 4 (each MD5 digest gives 4 points)",
             j.at("ketama_points_per_server").dump());
    if (j.at("mode") == "standalone" && !client_sharding && j.at("masters").get<int64_t>() != 1)
      report("/masters", "1 in standalone mode (or cluster.sharding ketama/modulo for several servers)",
             j.at("masters").dump());
    if (j.at("masters").get<int64_t>() * (1 + j.at("replicas_per_master").get<int64_t>()) > 1000)
      report("/replicas_per_master", "at most 1000 nodes in all", j.at("replicas_per_master").dump());
  };
  return o;
}

std::shared_ptr<const ObjectSpec> network_spec() {
  auto o = schema::object_spec("the network between clients and nodes");
  o->fields.push_back(
      dist_field("rtt_us", {{"dist", "lognormal"}, {"median", 250}, {"p99", 900}})
          .in("us")
          .max(1e7)
          .about(
              "round-trip time client <-> node, sampled per command; half each way (also the replication link); unused "
              "with topology layout zones"));
  o->fields.push_back(
      dist_field("node_link_us", {{"dist", "lognormal"}, {"median", 100}, {"p99", 400}})
          .in("us")
          .max(1e7)
          .about("one-way delay between two nodes on the cluster bus (a flat topology: every pair linked); unused with "
                 "topology layout zones"));
  o->fields.push_back(
      schema::number("nic_gbps")
          .dflt(10)
          .min(0, true)
          .max(1e5)
          .in("Gbit/s")
          .about(
              "every host's NIC (nodes and client instances; network.topology.host_link_gbps overrides it in zones): "
              "a command's value bytes take bytes x 8 / speed on each leg (over 64 KB in slices that overlap the "
              "node's work, ref. 12.3), and a node's NIC sends one reply at a time (a FIFO queue); default 10, a "
              "common cloud instance's NIC (an assumption: set yours; ref. 12)"));
  o->fields.push_back(
      schema::number("bus_loss").dflt(0).min(0).max(1, true).about("probability that a cluster-bus message is lost"));
  o->fields.push_back(
      schema::object("topology", topology_spec())
          .dflt(json())
          .null_ok()
          .about("hosts, racks, zones and links (net/placement.hpp); null = flat (rtt_us, node_link_us)"));
  return o;
}

// arrival_spec() and workload_spec(): scenario/workload_knobs.cpp (the workload section is long enough for a file).

std::shared_ptr<const ObjectSpec> stampede_spec() {
  auto o =
      schema::object_spec("what happens when many readers miss the same key at once (sim/src/client/stampede.cpp)");
  o->fields.push_back(
      schema::enumeration("mode", choices_of(kProtectionNames))
          .dflt("none")
          .about("none; single-flight: one origin load per key per client instance, others wait for it; lock: SET "
                 "{key}:lock NX "
                 "PX lease_ms, one loader cluster-wide; xfetch: probabilistic early recompute (Vattani et al., delta "
                 "stored with "
                 "the value); swr: stale-while-revalidate (serve the stale value, refresh in the background)"));
  o->fields.push_back(schema::number("beta").dflt(1.0).min(0, true).max(100).about(
      "XFetch's beta: > 1 recomputes earlier, < 1 later (docs/validation.md §1.5)"));
  o->fields.push_back(
      schema::integer("lease_ms")
          .dflt(1000)
          .min(1)
          .max(3600000)
          .in("ms")
          .about("lock: the lease (PX) of the lock key; a crashed holder blocks the key at most this long"));
  o->fields.push_back(schema::integer("poll_ms").dflt(20).min(1).max(600000).in("ms").about(
      "lock: a waiter that finds the lock taken GETs the key again after this long"));
  o->fields.push_back(
      schema::enumeration("lock_wait", choices_of(kLockWaitNames))
          .dflt("poll")
          .about(
              "lock: waiters poll until the value appears, or serve the stale value when one is kept (stale_ms > 0)"));
  o->fields.push_back(
      schema::integer("stale_ms")
          .dflt(0)
          .min(0)
          .max(86400000)
          .in("ms")
          .about("soft vs hard TTL: the key is SET with PX ttl + stale_ms and counts as stale (not fresh) for its last "
                 "stale_ms; swr and lock_wait=stale serve it meanwhile"));
  o->fields.push_back(schema::number("ttl_jitter")
                          .dflt(0)
                          .min(0)
                          .max(1, true)
                          .about("each fill's TTL is multiplied by a uniform factor in [1 - j, 1 + j] (clients "
                                 "stream), spreading expiries"));
  o->cross_check = [](const json& j, const auto& report) {
    if (j.at("mode") == "swr" && j.at("stale_ms").get<int64_t>() == 0)
      report("/stale_ms", "> 0 with mode swr (the stale window)", "0");
    if (j.at("mode") == "lock" && j.at("lock_wait") == "stale" && j.at("stale_ms").get<int64_t>() == 0)
      report("/stale_ms", "> 0 with lock_wait stale (a stale value to serve)", "0");
  };
  return o;
}

std::shared_ptr<const ObjectSpec> write_behind_spec() {
  auto o = schema::object_spec(
      "write-behind: writes go to the cache and a client-side buffer flushed to the origin in batches");
  o->fields.push_back(
      schema::integer("batch_size")
          .dflt(100)
          .min(1)
          .max(100000)
          .about("a batch is written to the origin (one write query) when this many writes are buffered"));
  o->fields.push_back(schema::integer("flush_interval_ms")
                          .dflt(100)
                          .min(1)
                          .max(3600000)
                          .in("ms")
                          .about("or this long after the first buffered write, whichever comes first"));
  o->fields.push_back(schema::integer("buffer_limit")
                          .dflt(10000)
                          .min(1)
                          .max(100000000)
                          .about("buffered writes per client instance at most; a write beyond it fails (buffer full)"));
  return o;
}

std::shared_ptr<const ObjectSpec> l1_spec() {
  auto o =
      schema::object_spec("an in-process cache in each client instance, in front of the cluster (multi-level caching)");
  o->fields.push_back(schema::integer("keys").dflt(0).min(0).max(10000000).about(
      "entries per client instance (FIFO replacement); 0 = no L1"));
  o->fields.push_back(
      schema::integer("ttl_ms").dflt(1000).min(1).max(86400000).in("ms").about("how long an L1 entry serves reads"));
  o->fields.push_back(
      schema::integer("invalidation_lag_ms")
          .dflt(0)
          .min(0)
          .max(3600000)
          .in("ms")
          .about(
              "a write drops the key from the other instances' L1 this much later (the invalidation message's delay); "
              "meanwhile they serve the old value"));
  return o;
}

std::shared_ptr<const ObjectSpec> retries_spec() {
  auto o = schema::object_spec("retries of a failed cache command (timeout, connection, CLUSTERDOWN, TRYAGAIN)");
  o->fields.push_back(schema::integer("max").dflt(0).min(0).max(100).about("retries per command; 0 = none"));
  o->fields.push_back(schema::integer("backoff_ms")
                          .dflt(10)
                          .min(0)
                          .max(600000)
                          .in("ms")
                          .about("delay before the first retry, doubling each time"));
  return o;
}

// Pipelining as batching (client/batch.cpp): what redis-py's pipeline(), Jedis' Pipeline and hiredis'
// redisAppendCommand + redisGetReply do: N commands written at once, N replies read back.
std::shared_ptr<const ObjectSpec> batch_spec() {
  auto o = schema::object_spec("pipelining as batching: commands to one node collected and written in one write");
  o->fields.push_back(schema::integer("size").dflt(1).min(1).max(10000).about(
      "commands per batch: an instance collects up to this many commands for one node and writes them together; the "
      "node reads them in one read and runs them back to back, and the replies come back together; 1 = every "
      "command is written alone (no batching)"));
  o->fields.push_back(schema::number("max_wait_us")
                          .dflt(100)
                          .min(0)
                          .max(1e7)
                          .in("us")
                          .about("the longest a command waits for its batch to fill before the batch is written "
                                 "anyway (counts in latency, not in timeout_ms)"));
  return o;
}

std::shared_ptr<const ObjectSpec> breaker_spec() {
  auto o = schema::object_spec("a circuit breaker per client instance and node");
  o->fields.push_back(schema::integer("failures")
                          .dflt(0)
                          .min(0)
                          .max(1000000)
                          .about("consecutive failed commands to a node that open its breaker; 0 = no breaker"));
  o->fields.push_back(schema::integer("open_ms").dflt(1000).min(1).max(3600000).in("ms").about(
      "while open, commands to the node fail at once (reads go to the origin); then one probe is let through"));
  return o;
}

std::shared_ptr<const ObjectSpec> warm_spec() {
  auto o = schema::object_spec("cache warming at start (sim/src/client/warm.cpp)");
  o->fields.push_back(schema::integer("top_keys")
                          .dflt(0)
                          .min(0)
                          .max(100000000)
                          .about("at t = 0, load this many of the most popular keys (by the workload's popularity) "
                                 "from the origin and SET "
                                 "them, alongside the traffic; 0 = no warming"));
  o->fields.push_back(schema::integer("concurrency")
                          .dflt(16)
                          .min(1)
                          .max(1000000)
                          .about("warming loads in flight at once (most popular first)"));
  return o;
}

// clients.seeds: node names of this cluster, in cluster mode with Redis Cluster's own sharding (a standalone server
// or a client-side ring has no slot map to fetch).
void check_seeds(const json& j,
                 const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const json& seeds = j.at("clients").at("seeds");
  if (seeds.is_null()) return;
  if (j.at("cluster").at("mode") != "cluster" || j.at("cluster").at("sharding") != "redis-cluster") {
    report("/clients/seeds",
           "null unless cluster.mode is \"cluster\" with sharding \"redis-cluster\" (only a cluster "
           "client fetches a slot map)",
           seeds.dump());
    return;
  }
  const auto names = node_names(j);
  const auto list = split_node_list(seeds.get<std::string>());
  if (list.empty())
    report("/clients/seeds", "one or more node names (" + names.front() + " ...), or null", seeds.dump());
  for (const auto& n : list)
    if (std::find(names.begin(), names.end(), n) == names.end()) {
      report("/clients/seeds", "node names of this cluster (" + names.front() + " .. " + names.back() + ")",
             "\"" + n + "\"");
      break;
    }
}

std::shared_ptr<const ObjectSpec> clients_spec() {
  auto o = schema::object_spec("the application instances that use the cache");
  o->fields.push_back(schema::integer("instances").dflt(16).min(1).max(100000).about("client instances"));
  o->fields.push_back(
      schema::enumeration("pattern", choices_of(kPatternNames))
          .dflt("cache-aside")
          .about("cache-aside: read the cache, on a miss load from the origin and SET it; "
                 "read-through: the same, but the read returns after the fill; write-through: a write "
                 "goes to the origin, then SETs the cache, before returning; write-behind: a write "
                 "SETs the cache and is buffered for the origin; no-cache: every request goes to the origin (a "
                 "baseline)"));
  o->fields.push_back(schema::object("stampede", stampede_spec()).about("stampede protection"));
  o->fields.push_back(schema::object("write_behind", write_behind_spec()).about("write-behind buffering"));
  o->fields.push_back(schema::object("l1", l1_spec()).about("local L1 cache"));
  o->fields.push_back(schema::object("retries", retries_spec()).about("retries with backoff"));
  o->fields.push_back(schema::object("breaker", breaker_spec()).about("circuit breaker"));
  o->fields.push_back(
      schema::integer("pool_size")
          .dflt(0)
          .min(0)
          .max(10000)
          .about("connections per node in each instance's pool (at most 10,000: Redis' default maxclients): at most "
                 "pool_size x pipeline commands in flight per node and instance, the rest wait in FIFO order at the "
                 "client (the wait counts in latency, not in timeout_ms); 0 = no limit (no pool modelled)"));
  o->fields.push_back(
      schema::integer("pipeline")
          .dflt(1)
          .min(1)
          .max(100000)
          .about(
              "commands in flight per pooled connection: 1 = borrow and return per command (Jedis, redis-py); more = a "
              "multiplexed connection (Lettuce: pool_size 1, a deep pipeline)"));
  o->fields.push_back(schema::object("batch", batch_spec()).about("pipelining as batching"));
  o->fields.push_back(schema::object("warm", warm_spec()).about("cache warming at start"));
  o->fields.push_back(schema::enumeration("on_write", choices_of(kWriteModeNames))
                          .dflt("invalidate")
                          .about("after a write to the origin: DEL the key, or SET the new value"));
  o->fields.push_back(schema::number("timeout_ms")
                          .dflt(1000)
                          .min(0, true)
                          .in("ms")
                          .about("per-command timeout to the cache; a late reply is a timeout error"));
  o->fields.push_back(schema::string("zone").dflt(json()).null_ok().about(
      "network.topology layout zones: comma-separated zone names, instance i in the (i mod k)-th of the k names (one "
      "name: all there; one per instance: each its own); null = spread over every zone"));
  o->fields.push_back(
      schema::enumeration("read_from", choices_of(kReadFromNames))
          .dflt("master")
          .about("where reads (GET, MGET) go, as Lettuce's ReadFrom names it: master; replica (a replica of the slot's "
                 "master, "
                 "on a READONLY connection: it serves its copy, behind the master by the replication lag, ref. "
                 "docs/redis-reference.md §2.2 step 9); replica_preferred (a replica, and the master when the replica "
                 "does not "
                 "answer). Without replicas reads go to the master. Writes, fills and locks always go to the master"));
  o->fields.push_back(
      schema::enumeration("script_mode", choices_of(kScriptModeNames))
          .dflt("evalsha")
          .about("how a workload ops script request runs its workload.script.calls INCR: evalsha = one EVALSHA of a "
                 "script loaded with SCRIPT LOAD (one round trip; the node runs every call back to back, nothing "
                 "interleaves, docs/redis-reference.md §11); round_trips = one INCR per round trip, each sent when the "
                 "previous reply is in (other clients' commands run in between)"));
  o->fields.push_back(schema::string("seeds").dflt(json()).null_ok().about(
      "the seed list each instance starts from (go-redis ClusterOptions.Addrs, redis-py startup_nodes, Lettuce's "
      "initial URIs): comma-separated node names (\"master-1,master-2\"), asked in turn for CLUSTER SLOTS at t = 0; "
      "an instance none of whose seeds answers (down, frozen, cut off) cannot start: its requests wait for the round "
      "of seeds under way and fail (failed_by_cause client_not_started) when it fails, and it asks again after "
      "seed_backoff_ms; null = every instance starts with the slot map at t = 0"));
  o->fields.push_back(schema::integer("seed_backoff_ms")
                          .dflt(100)
                          .min(1)
                          .in("ms")
                          .about("seeds: the wait after a round where no seed answered, doubled per failed round"));
  o->fields.push_back(schema::integer("seed_backoff_max_ms")
                          .dflt(10000)
                          .min(1)
                          .in("ms")
                          .about("seeds: the longest wait between rounds"));
  return o;
}

std::shared_ptr<const ObjectSpec> origin_spec() {
  auto o = schema::object_spec("the backing database");
  o->fields.push_back(schema::integer("servers").dflt(32).min(1).max(1000000).about("servers working in parallel"));
  o->fields.push_back(dist_field("service_ms", {{"dist", "exponential"}, {"mean", 4}})
                          .in("ms")
                          .max(3.6e6)
                          .about("service time of one read query"));
  o->fields.push_back(
      dist_field("write_service_ms", json())
          .in("ms")
          .max(3.6e6)
          .null_ok()
          .about("service time of one write query (a write-behind batch is one); null = as service_ms"));
  o->fields.push_back(schema::number("timeout_ms")
                          .dflt(1000)
                          .min(0, true)
                          .in("ms")
                          .about("the client gives up after this long (queue + service)"));
  o->fields.push_back(schema::integer("queue_limit")
                          .dflt(0)
                          .min(0)
                          .about("FIFO queue bound; beyond it queries are rejected; 0 = unbounded"));
  return o;
}

// The SLO targets; a stream's (slo.streams) have no availability_min and writes_lost_max (not counted per stream).
static void add_slo_targets(schema::ObjectSpec* o, bool stream) {
  o->fields.push_back(
      schema::number("latency_p50_ms").dflt(json()).null_ok().min(0, true).in("ms").about("p50 at most"));
  o->fields.push_back(
      schema::number("latency_p99_ms").dflt(json()).null_ok().min(0, true).in("ms").about("p99 at most"));
  o->fields.push_back(
      schema::number("latency_p999_ms").dflt(json()).null_ok().min(0, true).in("ms").about("p99.9 at most"));
  o->fields.push_back(schema::number("hit_ratio_min").dflt(json()).null_ok().min(0).max(1).about("hit ratio at least"));
  o->fields.push_back(schema::number("error_rate_max")
                          .dflt(json())
                          .null_ok()
                          .min(0)
                          .max(1)
                          .about("requests that failed for the application (the database timed out or refused, or the "
                                 "cache failed with no "
                                 "database fallback) / requests, at most (summary error_rate)"));
  o->fields.push_back(schema::number("cache_error_rate_max")
                          .dflt(json())
                          .null_ok()
                          .min(0)
                          .max(1)
                          .about("requests whose cache command ended in an error of any kind (after redirections and "
                                 "retries; the database may "
                                 "still have answered them) / requests, at most (summary cache_error_rate)"));
  if (!stream)
    o->fields.push_back(schema::number("availability_min")
                            .dflt(json())
                            .null_ok()
                            .min(0)
                            .max(1)
                            .about("share of requests the cache answered (no connection error, CLUSTERDOWN or timeout) "
                                   "at least; with a fault on "
                                   "the timeline this is availability during the failover"));
  if (!stream)
    o->fields.push_back(
        schema::integer("writes_lost_max")
            .dflt(json())
            .null_ok()
            .min(0)
            .about(
                "acknowledged writes lost at most, every kind: failover, deposed master, write-behind buffer lost in "
                "a crash (summary writes_lost_by_kind.total)"));
  o->fields.push_back(schema::number("origin_requests_per_s_max")
                          .dflt(json())
                          .null_ok()
                          .min(0)
                          .in("1/s")
                          .about("origin queries per second (measured-period mean) at most"));
}

std::shared_ptr<const ObjectSpec> slo_spec() {
  auto o = schema::object_spec("service-level objectives, each reported pass/fail in summary.json");
  add_slo_targets(o.get(), false);
  auto one = schema::object_spec("SLOs of one stream, evaluated from its figures (summary.json streams.<name>)");
  one->fields.push_back(schema::string("stream").req().about(
      "the stream: \"main\" (the main workload) or the name of one of workload.streams"));
  add_slo_targets(one.get(), true);
  auto streams = schema::array("streams", one);
  streams.max_items = 65;
  o->fields.push_back(streams.about(
      "SLOs per stream (workload.streams): each reported in summary.json slo with its stream named; [] = none"));
  return o;
}

// What a validation scenario validates when it is run live with --compare (docs/design.md §8): its own
// tolerances replace compare's defaults, so `cachelab live FILE --spawn --compare` passes or fails on exactly them.
std::shared_ptr<const ObjectSpec> compare_spec() {
  auto check = schema::object_spec("one validated metric");
  auto metric = schema::string("metric").req().about(
      "a summary metric as compare names it (hit_ratio, errors.moved, "
      "failovers.promotion_s, ...)");
  metric.check = [](const std::string& m) { return m.size() <= 128 && compare::known_metric(m); };
  metric.check_doc =
      "a metric compare reports: hit_ratio, latency_us.p99, errors.moved, failovers.<node>.promotion_s, "
      "...";
  check->fields.push_back(metric);
  check->fields.push_back(
      schema::number("tolerance")
          .req()
          .min(0)
          .about("largest accepted difference: absolute, or a fraction of the first run's value when relative"));
  check->fields.push_back(schema::boolean("relative").dflt(false).about("tolerance is relative (0.03 = 3%)"));
  auto o = schema::object_spec("sim vs live comparison (cachelab live --compare)");
  o->fields.push_back(
      schema::array("validates", check)
          .about("the metrics this scenario validates and their tolerances; empty = compare's defaults"));
  return o;
}

std::shared_ptr<const ObjectSpec> cost_spec() {
  auto o =
      schema::object_spec("what a configuration costs, for cachelab plan (cost = masters x (node + GiB x maxmemory))");
  o->fields.push_back(schema::number("price_per_node").dflt(0).min(0).about("cost of one node"));
  o->fields.push_back(schema::number("price_per_gb")
                          .dflt(1)
                          .min(0)
                          .about("cost of one GiB of maxmemory per node (the defaults make cost = nodes x GiB)"));
  return o;
}

constexpr double kMaxDiurnalCycles = 2000;

std::shared_ptr<const ObjectSpec> root_spec() {
  auto o = schema::object_spec("a cachelab scenario");
  o->fields.push_back(schema::integer("cachelab").req().min(1).max(1).about("scenario format version: 1"));
  auto name = schema::string("name").req().about("short name; results go to results/<name>/");
  name.check = [](const std::string& s) {
    static const std::regex re("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    return std::regex_match(s, re);
  };
  name.check_doc = "1-64 of letters, digits, '.', '_', '-', not starting with '.', '_' or '-'";
  o->fields.push_back(name);
  o->fields.push_back(schema::string("title").dflt("").about("one line for people"));
  o->fields.push_back(schema::string("description").dflt("").about("what to look at (lessons show it in the GUI)"));
  o->fields.push_back(schema::integer("seed")
                          .dflt(1)
                          .min(0)
                          .max(9007199254740991.0)
                          .about("master seed; every random stream is derived from it"));
  o->fields.push_back(schema::number("duration_s").req().min(0, true).max(1e7).in("s").about("simulated time"));
  o->fields.push_back(
      schema::number("warmup_s").dflt(0).min(0).in("s").about("not counted in summary.json (series.csv marks it)"));
  o->fields.push_back(schema::integer("metrics_interval_ms").dflt(1000).min(1).in("ms").about("series.csv row period"));
  o->fields.push_back(schema::object("cluster", cluster_spec()).about("the cache cluster"));
  o->fields.push_back(schema::object("network", network_spec()).about("the network"));
  o->fields.push_back(schema::object("workload", workload_spec()).req().about("the request stream"));
  o->fields.push_back(schema::object("clients", clients_spec()).about("the application"));
  o->fields.push_back(schema::object("origin", origin_spec()).about("the backing database"));
  o->fields.push_back(schema::object("slo", slo_spec()).about("objectives"));
  o->fields.push_back(faults_field());
  o->fields.push_back(schema::object("cost", cost_spec()).about("prices for cachelab plan"));
  o->fields.push_back(schema::object("compare", compare_spec()).about("what live --compare validates"));
  o->fields.push_back(schema::object("plan", plan_spec()).about("what cachelab plan searches (no flags needed)"));
  o->cross_check = [](const json& j, const auto& report) {
    const double d = j.at("duration_s").get<double>(), w = j.at("warmup_s").get<double>();
    if (w >= d) report("/warmup_s", "a time < duration_s (" + json(d).dump() + ")", json(w).dump());
    const double intervals = d * 1000.0 / static_cast<double>(j.at("metrics_interval_ms").get<int64_t>());
    const auto& faults = j.at("faults");
    bool control = j.at("cluster").at("replicas_per_master").get<int64_t>() > 0;
    for (const auto& f : faults) control = control || fault_needs_control_plane(f.at("action").get<std::string>());
    for (size_t i = 0; i < faults.size(); ++i) {
      if (control && j.at("cluster").at("mode") == "cluster" &&
          (faults[i].at("action") == "add_node" || faults[i].at("action") == "remove_node"))
        report("/faults/" + std::to_string(i) + "/action",
               "no add_node/remove_node in a cluster with replicas or node faults (slot moves under the control "
               "plane are not modelled yet)",
               faults[i].at("action").dump());
      if (control && faults[i].at("action") == "reshard")
        report("/faults/" + std::to_string(i) + "/action",
               "no reshard in a scenario with replicas or node faults (slot moves under the control plane are not "
               "modelled yet)",
               "\"reshard\"");
      const std::string base = "/faults/" + std::to_string(i);
      const FaultKind* kind = FaultRegistry::instance().find(faults[i].at("action"));
      if (kind && kind->check)
        kind->check(faults[i], j, [&](const std::string& rel, const std::string& e, const std::string& f) {
          report(base + rel, e, f);
        });
      if (faults[i].at("at_s").get<double>() >= d)
        report(base + "/at_s", "a time < duration_s (" + json(d).dump() + ")", faults[i].at("at_s").dump());
    }
    if (j.at("clients").at("warm").at("top_keys").get<int64_t>() > 0 && !j.at("workload").at("trace").is_null())
      report("/clients/warm/top_keys", "0 with a trace workload (a trace has no popularity to rank keys by)",
             j.at("clients").at("warm").at("top_keys").dump());
    if (j.at("clients").at("batch").at("size").get<int64_t>() > 1 && j.at("clients").at("pool_size").get<int64_t>() > 0)
      report("/clients/batch/size",
             "1 with clients.pool_size > 0 (a batch holding a pooled connection is not modelled)",
             j.at("clients").at("batch").at("size").dump());
    check_topology(j, report);
    check_seeds(j, report);
    // The diurnal factor is sampled at 512 knots per period over the run and each knot evaluates every step of the
    // shape (workload/rate_modulation.cpp): bound both, or a tiny period never finishes building the shape.
    check_streams(j, report);
    std::vector<std::pair<std::string, const json*>> arrivals{{"/workload", &j.at("workload").at("arrival")}};
    if (j.at("workload").contains("streams"))
      for (size_t i = 0; i < j.at("workload").at("streams").size(); ++i)
        arrivals.emplace_back("/workload/streams/" + std::to_string(i),
                              &j.at("workload").at("streams")[i].at("arrival"));
    for (const auto& [where, arrival_ptr] : arrivals) {
      const json& arrival = *arrival_ptr;
      if (!arrival.at("diurnal").is_null() && arrival.at("diurnal").at("amplitude").get<double>() > 0) {
        const double cycles = d / arrival.at("diurnal").at("period_s").get<double>();
        if (cycles > kMaxDiurnalCycles)
          report(where + "/arrival/diurnal/period_s",
                 "a period of at least duration_s / " + std::to_string(static_cast<int>(kMaxDiurnalCycles)) + " (" +
                     json(d / kMaxDiurnalCycles).dump() + " s; at most " +
                     std::to_string(static_cast<int>(kMaxDiurnalCycles)) + " cycles per run)",
                 arrival.at("diurnal").at("period_s").dump() + " (" + json(cycles).dump() + " cycles)");
      }
    }
    if (intervals > 1e6)
      report("/metrics_interval_ms", "at most 1,000,000 intervals over duration_s",
             json(j.at("metrics_interval_ms")).dump() + " (" + json(intervals).dump() + " intervals)");
  };
  return o;
}

}  // namespace

const schema::ObjectSpec& scenario_spec() {
  static const std::shared_ptr<const ObjectSpec> spec = root_spec();
  return *spec;
}

}  // namespace cachelab
