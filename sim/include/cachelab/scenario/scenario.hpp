#pragma once
// A scenario: the typed view of a validated, fully resolved scenario file. Loading (parse, --set overrides,
// validation against the knob declarations, default filling) is in loader.hpp; the knobs are declared once in
// sim/src/scenario/knobs.cpp.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/cache/store_config.hpp"
#include "cachelab/client/client_config.hpp"
#include "cachelab/cluster/control/control_config.hpp"

namespace cachelab {

// The `cluster` section. The knobs a node's keyspace reads are `store` and those the control plane reads are
// `control`: typed once here, by Scenario::from_resolved, and taken as they are by the simulated nodes, the control
// plane and the live lab (no component copies them field by field). A new store or control-plane knob is declared
// in knobs.cpp, added to StoreConfig or ControlConfig, and read in from_resolved.
struct ClusterConfig {
  std::string mode;                        // "cluster" (cluster-enabled yes) or "standalone"
  std::string sharding = "redis-cluster";  // or "ketama" / "modulo": client-side, over standalone servers
  int ketama_points_per_server = 160;
  int masters = 3;
  int replicas_per_master = 0;
  // maxmemory (0 = no limit, as in redis.conf), maxmemory_policy, maxmemory_samples, sampling, lfu_log_factor,
  // lfu_decay_time_min, hz, active_expire_effort; and, from the rest of the scenario, cluster_mode, the client
  // connections each node holds buffers for (clients.instances x pool_size) and whether masters keep a backlog.
  StoreConfig store;
  // node_timeout_ms, replica_validity_factor, migration_barrier, require_full_coverage, allow_replica_migration,
  // replica_no_failover, masters and replicas_per_master; the clusterCron period follows hz (§3.2).
  control::ControlConfig control;
  int min_replicas_to_write = 0;    // min-replicas-to-write (0 = off)
  int min_replicas_max_lag_s = 10;  // min-replicas-max-lag
  double full_sync_mb_per_s = 100;
  nlohmann::json service_us;  // distribution of one command's service time on a node

  bool operator==(const ClusterConfig&) const = default;
};

struct NetworkConfig {
  nlohmann::json rtt_us;        // client <-> node round trip
  nlohmann::json node_link_us;  // node <-> node one way (cluster bus)
  double bus_loss = 0;
  double nic_gbps = 10;     // every host's NIC (net/network.hpp: value bytes x 8 / speed per leg)
  nlohmann::json topology;  // network.topology (null = flat); net/placement.hpp reads it

  bool operator==(const NetworkConfig&) const = default;
};

struct RateStep {
  double at_s = 0, rate_per_s = 0, ramp_s = 0;
};

struct FlashSpike {
  double at_s = 0, multiplier = 1, rise_s = 0, hold_s = 0, decay_s = 0;
};

struct WorkloadConfig {
  uint64_t keys = 0;
  std::string key_prefix;
  std::string popularity;  // a registered kind (workload/popularity.hpp): "zipf", "uniform", "scrambled_zipfian", ...
  double zipf_alpha = 0;
  nlohmann::json value_bytes;
  double read_fraction = 1;
  double rate_per_s = 0;
  std::vector<RateStep> shape;
  nlohmann::json ttl_s;  // null = no TTL
  // Rate modulation (workload/arrivals.hpp): diurnal sine (amplitude 0 = none) and flash spikes.
  double diurnal_amplitude = 0, diurnal_period_s = 86400, diurnal_peak_at_s = 0;
  std::vector<FlashSpike> spikes;
  HashObjects hash_objects;  // workload.hash_objects; fields 0 = objects are strings
  bool closed_loop = false;  // arrival.dist = "closed": sessions with think time instead of a rate
  nlohmann::json section;    // the whole resolved workload object: the generator reads the rest from it
  // A stream of workload.streams (issue 16 part 4); the main workload is the stream "main" with these defaults.
  std::string stream_name = "main";
  uint64_t key_offset = 0;                 // the stream's key numbers are key_offset .. key_offset + keys - 1
  double start_s = 0;                      // no arrivals before; the arrival section's times count from here
  std::vector<uint32_t> client_instances;  // the instances that issue its requests; empty = every instance
};

struct OriginConfig {
  int servers = 1;
  nlohmann::json service_ms;        // a read's service time
  nlohmann::json write_service_ms;  // a write's; null = the same distribution as a read's
  double timeout_ms = 1000;
  uint64_t queue_limit = 0;  // 0 = unbounded

  bool operator==(const OriginConfig&) const = default;
};

struct SloTargets {
  std::optional<double> latency_p50_ms, latency_p99_ms, latency_p999_ms, hit_ratio_min, error_rate_max,
      origin_requests_per_s_max, writes_lost_max, availability_min, cache_error_rate_max;

  bool any() const {
    return latency_p50_ms || latency_p99_ms || latency_p999_ms || hit_ratio_min || error_rate_max ||
           origin_requests_per_s_max || writes_lost_max || availability_min || cache_error_rate_max;
  }
  bool operator==(const SloTargets&) const = default;
};

// slo.streams: one stream's targets (no availability_min, writes_lost_max), evaluated from summary.json streams.<name>.
struct StreamSlo {
  std::string stream;
  SloTargets targets;

  bool operator==(const StreamSlo&) const = default;
};

struct SloConfig : SloTargets {
  std::vector<StreamSlo> streams;

  bool operator==(const SloConfig&) const = default;
};

// The host calibration a run applied (`--calibration FILE`, scenario/calibration.hpp): the file as given, and how
// many of the scenario's first overrides are its knobs. run.json records it; knobs == 0: none.
struct CalibrationUse {
  std::string file;
  size_t knobs = 0;

  bool operator==(const CalibrationUse&) const = default;
};

struct Scenario {
  std::string file;                    // where it came from ("" when built in code)
  std::vector<std::string> overrides;  // --set arguments, in order
  CalibrationUse calibration;          // set by the command that applied one (its knobs lead `overrides`)
  // The overrides that came from that calibration, as run.json's `calibration` names them; empty without one.
  std::vector<std::string> calibration_overrides() const {
    if (calibration.knobs == 0 || calibration.knobs > overrides.size()) return {};
    return {overrides.begin(), overrides.begin() + static_cast<std::ptrdiff_t>(calibration.knobs)};
  }
  nlohmann::json resolved;  // every default filled in: written to run.json
  std::string name, title, description;
  uint64_t seed = 1;
  double duration_s = 0, warmup_s = 0;
  int64_t metrics_interval_ms = 1000;
  ClusterConfig cluster;
  NetworkConfig network;
  WorkloadConfig workload;
  std::vector<WorkloadConfig> streams;  // workload.streams, in order (the main stream is `workload`)
  ClientsConfig clients;
  OriginConfig origin;
  SloConfig slo;

  // REQUIRES: `resolved` passed validation (loader.hpp guarantees it).
  static Scenario from_resolved(const nlohmann::json& resolved);
  // Key numbers of every stream: 0 .. key_space() - 1 (workload.keys without streams).
  uint64_t key_space() const {
    uint64_t n = workload.keys;
    for (const auto& st : streams) n = std::max(n, st.key_offset + st.keys);
    return n;
  }
};

}  // namespace cachelab
