#pragma once
// `cachelab estimate`: what the analytic models predict for a scenario, in milliseconds of CPU, without simulating.
//   capacity   keys per node from maxmemory and the memory model (cache/memory_model.hpp)
//   hit ratio  Che (LRU-like policies, noeviction), the FIFO/RANDOM characteristic-time approximation, or the
//              perfect-LFU top-C mass, per node with keys spread by hash slot (cluster_hit.hpp)
//   origin     misses + writes per second; M/M/c (Erlang C) response with the origin's mean service time
//   latency    application percentiles: cache round trip (the scenario's RTT distribution, sampled) plus, for a
//              miss, the M/M/c response; the traffic shape is cut into slices, each with its own queue
//   failures   a CTMC of node failures, failovers and repairs (availability.hpp)
// Each SLO of the scenario gets a predicted value and verdict. Known blind spots are listed in `caveats`.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/analytic/availability.hpp"
#include "cachelab/analytic/cluster_hit.hpp"
#include "cachelab/analytic/erlang.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab::analytic {

// The scenario's key popularity as classes for the hit-ratio models (analytic/workload_classes.cpp). Throws
// std::invalid_argument, naming /workload/popularity/dist, where no stationary law exists (sequential, latest with
// inserts) or the kind is too large to fold (scrambled_zipfian over more than 10^7 keys).
std::vector<PopClass> workload_classes(const Scenario& s);

struct EstimateOptions {
  AvailabilityInputs availability;  // replicas taken from the scenario unless replicas_override is set
  // The scenario cannot have replicas until the failover model exists (knob max 0); this lets the CTMC answer
  // "what would r replicas buy" meanwhile.
  std::optional<int> replicas_override;
};

struct SloPrediction {
  std::string name;
  double target;
  std::optional<double> value;  // none: the model cannot say (e.g. an unstable queue gives no finite latency)
  bool pass;
  std::optional<double> margin;  // as summary.json: positive = room left
};

struct Estimate {
  uint64_t capacity_keys_per_node = 0;  // 0 with maxmemory 0 means "unlimited" (see unlimited_memory)
  bool unlimited_memory = false;
  double bytes_per_key = 0;
  CacheModel model = CacheModel::Lru;
  std::string model_doc;
  ClusterHit hit;
  double characteristic_time_s = 0;  // of the busiest node, at the mean measured rate
  double mean_rate_per_s = 0, peak_rate_per_s = 0;
  double origin_mean_per_s = 0, origin_peak_per_s = 0;
  Mmc origin_at_peak{};
  double node_utilization_peak = 0;                                       // busiest node, at the peak rate
  std::optional<double> latency_p50_ms, latency_p99_ms, latency_p999_ms;  // none when a queue is unstable
  double error_rate = 0;  // origin timeouts predicted from the M/M/c response tail
  Availability availability{};
  AvailabilityInputs availability_inputs;
  std::vector<SloPrediction> slo;
  std::vector<std::string> caveats;
  double wall_ms = 0;

  nlohmann::json to_json() const;
};

// Keys of this scenario that fit in `maxmemory_bytes` on one node (startup memory, per-key bytes as Redis counts
// them, the dict bucket arrays). Also returns the bytes per key used.
uint64_t keys_that_fit(const Scenario& s, uint64_t maxmemory_bytes, double* bytes_per_key = nullptr);

Estimate estimate(const Scenario& s, const EstimateOptions& opt = {});

}  // namespace cachelab::analytic
