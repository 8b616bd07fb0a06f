#include "cachelab/analytic/estimate.hpp"

#include <algorithm>
#include <chrono>
#include <functional>
#include <limits>
#include <cmath>
#include <stdexcept>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/io/number_format.hpp"
#include "cachelab/core/dist.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/workload/arrivals.hpp"

namespace cachelab::analytic {

using nlohmann::json;

namespace {

size_t decimal_digits(uint64_t v) { return std::to_string(v).size(); }

struct ModelChoice {
  CacheModel model;
  std::string doc;
};

ModelChoice model_for(const Scenario& s) {
  const std::string& p = s.cluster.store.policy;
  const bool ttl = !s.workload.ttl_s.is_null();
  if (p == "lru" || p == "allkeys-lru" || (p == "volatile-lru" && ttl))
    return {CacheModel::Lru, "Che's approximation (LRU; Redis samples 5 keys, so it sits slightly below)"};
  if (p == "fifo" || p == "random" || p == "allkeys-random" || (p == "volatile-random" && ttl))
    return {CacheModel::FifoRandom, "characteristic-time approximation for FIFO/RANDOM (Martina et al.)"};
  if (p == "volatile-ttl" && ttl)
    return {CacheModel::FifoRandom, "FIFO approximation (nearest expiry ~ oldest fill with one TTL law)"};
  if (p == "allkeys-lfu" || (p == "volatile-lfu" && ttl))
    return {CacheModel::PerfectLfu, "perfect-LFU top-C mass (an upper bound for Redis's approximate LFU)"};
  // noeviction, or volatile-* without volatile keys (which Redis treats as noeviction): the cache keeps the first C
  // distinct keys requested, and key i is among them with probability 1 - e^{-p_i tau}: Che's equation again.
  return {CacheModel::Lru, "first C distinct keys (noeviction): Che's equation, no eviction"};
}

// Bytes one more key costs: per-key allocation (key name of `key_len` bytes, the mean value size).
uint64_t fit(const Scenario& s, uint64_t maxmemory, size_t key_len, double* bytes_per_key) {
  const bool cluster = s.cluster.mode == "cluster";
  const bool ttl = !s.workload.ttl_s.is_null();
  const auto value = make_dist(s.workload.value_bytes);
  const size_t value_len = static_cast<size_t>(std::llround(std::max(0.0, value->mean())));
  const HashObjects& hash = s.workload.hash_objects;
  memory::HashShape shape;
  shape.fields = hash.fields;
  shape.name_len = hash.name_bytes;
  shape.value_len = static_cast<uint32_t>(value_len);
  shape.long_value_len = hash.long_value_bytes;
  // An object as one hash (workload.hash_objects, docs/redis-reference.md §7.9) or as one string.
  const uint64_t per_key = hash.fields > 0 ? memory::per_hash_key_bytes(key_len, shape, ttl, cluster)
                                           : memory::per_key_bytes(key_len, value_len, ttl, cluster);
  if (bytes_per_key) *bytes_per_key = static_cast<double>(per_key);
  // What an empty node already holds, as the Store counts it: startup memory, one connection per client instance
  // (per pooled connection), the replication backlog on a master with replicas, the other cluster nodes and the
  // commands' latency histograms (the loader's StoreConfig, store.cpp).
  const uint64_t startup = memory::fixed_bytes(s.cluster.store);
  auto used = [&](uint64_t c) {
    return startup + c * per_key + memory::dict_table_bytes(c) + (ttl ? memory::dict_table_bytes(c) : 0);
  };
  if (maxmemory <= startup) return 0;
  uint64_t lo = 0, hi = (maxmemory - startup) / per_key + 1;  // used(hi) > maxmemory
  while (hi - lo > 1) {
    const uint64_t mid = lo + (hi - lo) / 2;
    (used(mid) <= maxmemory ? lo : hi) = mid;
  }
  return lo;
}

double quantile_of(const std::function<double(double)>& tail, double q) {
  double lo = 0, hi = 1e-4;
  while (tail(hi) > 1 - q) {
    hi *= 2;
    if (hi > 1e6) return std::numeric_limits<double>::infinity();
  }
  for (int i = 0; i < 30; ++i) {  // 2^-30 of the bracket: far finer than the model's own accuracy
    const double mid = 0.5 * (lo + hi);
    (tail(mid) > 1 - q ? lo : hi) = mid;
  }
  return 0.5 * (lo + hi);
}

}  // namespace

uint64_t keys_that_fit(const Scenario& s, uint64_t maxmemory, double* bytes_per_key) {
  // Key names are prefix + decimal key number; the cached ones are mostly the popular, low-numbered keys. Size with
  // the longest name first, then with a typical name among the keys that fit across the cluster.
  const uint64_t n = s.workload.keys;
  const uint64_t c0 = fit(s, maxmemory, s.workload.key_prefix.size() + decimal_digits(n - 1), nullptr);
  const uint64_t typical = std::min<uint64_t>(n, c0 * static_cast<uint64_t>(s.cluster.masters)) / 2;
  return fit(s, maxmemory, s.workload.key_prefix.size() + decimal_digits(typical), bytes_per_key);
}

Estimate estimate(const Scenario& s, const EstimateOptions& opt) {
  const auto wall0 = std::chrono::steady_clock::now();
  // Che's approximation here takes one popularity law; mixed streams would need the mixture (not modelled yet).
  if (!s.streams.empty())
    throw std::invalid_argument(
        "/workload/streams: the analytic estimate models one request stream; run the scenario, or estimate it with "
        "--set /workload/streams=[]");
  Estimate e;
  const bool standalone = s.cluster.mode == "standalone";
  const int masters = standalone ? 1 : s.cluster.masters;
  const ModelChoice mc = model_for(s);
  e.model = mc.model;
  e.model_doc = mc.doc;

  // Hit ratio (reads). Time in Che is counted in reads.
  const auto classes = workload_classes(s);  // throws where the popularity has no stationary law
  e.unlimited_memory = s.cluster.store.maxmemory_bytes == 0;
  double capacity = static_cast<double>(s.workload.keys);
  if (!e.unlimited_memory) {
    e.capacity_keys_per_node = keys_that_fit(s, s.cluster.store.maxmemory_bytes, &e.bytes_per_key);
    capacity = static_cast<double>(e.capacity_keys_per_node);
  } else {
    e.caveats.push_back("maxmemory 0: every key fits; the hit ratio counts no cold-start misses");
  }
  e.hit = cluster_hit(classes, s.workload.key_prefix, masters, standalone, capacity, mc.model);
  const double h = e.hit.hit_ratio;

  // Rates over the measured period; the shape is cut into slices for the queues.
  const RateShape shape(s.workload.rate_per_s, s.workload.shape);
  const double t0 = s.warmup_s, t1 = s.duration_s;
  e.mean_rate_per_s = shape.integral(t0, t1) / (t1 - t0);
  const int slices = s.workload.shape.empty() ? 1 : 48;
  const double rf = s.workload.read_fraction;
  const double origin_share = rf * (1 - h) + (1 - rf);  // misses + writes go to the origin
  e.origin_mean_per_s = e.mean_rate_per_s * origin_share;
  double busiest_share = 0, busiest_tc = 0;
  for (const auto& n : e.hit.nodes)
    if (n.request_share > busiest_share) {
      busiest_share = n.request_share;
      busiest_tc = n.characteristic_time;
    }
  const double reads_per_s = e.mean_rate_per_s * rf;
  e.characteristic_time_s = reads_per_s > 0 ? busiest_tc / reads_per_s : 0;

  const double origin_mean_ms = make_dist(s.origin.service_ms)->mean();
  const double node_service_s = make_dist(s.cluster.service_us)->mean() * 1e-6;
  const double mu = 1000.0 / origin_mean_ms;
  // Cache round trips, sampled once from the scenario's distribution (deterministic stream).
  const auto rtt = make_dist(s.network.rtt_us);
  Rng rng = Rng::stream(s.seed, "estimate/rtt");
  std::vector<double> rtt_s(512);
  for (double& x : rtt_s) x = rtt->sample(rng) * 1e-6;

  struct Slice {
    double weight;  // share of the measured requests
    Mmc origin;
    double node_wait_s;
  };
  std::vector<Slice> sl;
  bool unstable = false;
  double total = 0;
  for (int i = 0; i < slices; ++i) {
    const double a = t0 + (t1 - t0) * i / slices, b = t0 + (t1 - t0) * (i + 1) / slices;
    const double mass = shape.integral(a, b), rate = mass / (b - a);
    const double peak_rate = std::max(shape.rate_at(a), shape.rate_at(b));
    e.peak_rate_per_s = std::max(e.peak_rate_per_s, peak_rate);
    const Mmc q = mmc(rate * origin_share, mu, s.origin.servers);
    // Busiest node: GET per read, SET per read miss, DEL/SET per write; fixed service time -> M/D/1 mean wait.
    const double rho_node = rate * busiest_share * (1 + rf * (1 - h)) * node_service_s;
    e.node_utilization_peak = std::max(e.node_utilization_peak, rho_node);
    const double node_wait = rho_node < 1 ? rho_node * node_service_s / (2 * (1 - rho_node)) : INFINITY;
    if (!q.stable || rho_node >= 1) unstable = true;
    sl.push_back({mass, q, node_wait});
    total += mass;
  }
  for (auto& x : sl) x.weight /= total;
  e.origin_peak_per_s = e.peak_rate_per_s * origin_share;
  e.origin_at_peak = mmc(e.origin_peak_per_s, mu, s.origin.servers);

  // Failed requests: a miss or write whose origin response exceeds the timeout.
  const double timeout_s = s.origin.timeout_ms / 1000.0;
  if (unstable) {
    e.error_rate = origin_share;  // an overloaded queue times out (nearly) every origin query
  } else {
    for (const auto& x : sl) e.error_rate += x.weight * origin_share * x.origin.p_response_exceeds(timeout_s);
  }
  if (!unstable) {
    const double m = origin_share;
    auto tail = [&](double t) {
      double p = 0;
      for (const auto& x : sl) {
        double sum = 0;
        for (double r : rtt_s) {
          const double base = r + node_service_s + x.node_wait_s;
          sum += (1 - m) * (base > t ? 1.0 : 0.0) + m * x.origin.p_response_exceeds(t - base);
        }
        p += x.weight * sum / static_cast<double>(rtt_s.size());
      }
      return p;
    };
    e.latency_p50_ms = 1000 * quantile_of(tail, 0.5);
    e.latency_p99_ms = 1000 * quantile_of(tail, 0.99);
    e.latency_p999_ms = 1000 * quantile_of(tail, 0.999);
  } else {
    e.caveats.push_back("a queue is unstable (origin or busiest node at utilisation >= 1): no finite latency");
  }

  e.availability_inputs = opt.availability;
  e.availability_inputs.replicas = opt.replicas_override.value_or(s.cluster.replicas_per_master);
  e.availability = shard_availability(e.availability_inputs, masters);

  // SLOs, with summary.json's names and margin convention.
  auto add = [&](const char* name, const std::optional<double>& target, std::optional<double> value, bool at_most) {
    if (!target) return;
    SloPrediction p{name, *target, value, false, std::nullopt};
    if (value) {
      p.margin = at_most ? *target - *value : *value - *target;
      p.pass = *p.margin >= 0;
    }
    e.slo.push_back(p);
  };
  add("latency_p50_ms", s.slo.latency_p50_ms, e.latency_p50_ms, true);
  add("latency_p99_ms", s.slo.latency_p99_ms, e.latency_p99_ms, true);
  add("latency_p999_ms", s.slo.latency_p999_ms, e.latency_p999_ms, true);
  add("hit_ratio_min", s.slo.hit_ratio_min, h, false);
  add("error_rate_max", s.slo.error_rate_max, e.error_rate, true);
  add("origin_requests_per_s_max", s.slo.origin_requests_per_s_max, e.origin_mean_per_s, true);

  if (!s.workload.ttl_s.is_null()) {
    const double ttl_mean = make_dist(s.workload.ttl_s)->mean();
    if (ttl_mean < 3 * e.characteristic_time_s || e.unlimited_memory)
      e.caveats.push_back("TTL expiry is not in the hit-ratio model and the mean TTL (" + fmt::duration_s(ttl_mean) +
                          ") is not long against the characteristic time: the estimate is optimistic");
  }
  // Cold start: Che is the steady state. If the warm-up cannot even touch as many keys as the cluster holds, the
  // measured period still fills the cache and its hit ratio comes out lower.
  const double warm_reads = shape.integral(0, t0) * rf;
  const double held = e.unlimited_memory ? static_cast<double>(s.workload.keys)
                                         : std::min<double>(static_cast<double>(s.workload.keys),
                                                            capacity * static_cast<double>(masters));
  if (warm_reads < 3 * held)
    e.caveats.push_back("the warm-up (" + fmt::count(warm_reads) + " reads) is short against the " + fmt::count(held) +
                        " keys the cluster holds: the cache is still filling when measuring starts, so a run "
                        "measures a lower hit ratio than this steady-state estimate");
  if (rf < 1 && s.clients.on_write == WriteMode::Invalidate)
    e.caveats.push_back(
        "writes invalidate keys; the hit-ratio model ignores this (optimistic by up to the write share)");
  if (s.origin.service_ms.value("dist", "") != "exponential")
    e.caveats.push_back("origin service time is not exponential; M/M/c uses its mean only");
  e.wall_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - wall0).count();
  return e;
}

json Estimate::to_json() const {
  auto opt = [](const std::optional<double>& v) { return v ? json(*v) : json(); };
  auto fin = [](double v) { return std::isfinite(v) ? json(v) : json(); };
  json nodes = json::array();
  for (const auto& n : hit.nodes)
    nodes.push_back({{"request_share", n.request_share},
                     {"hit_ratio", n.hit_ratio},
                     {"characteristic_time_requests", fin(n.characteristic_time)}});
  json slos = json::array();
  for (const auto& p : slo)
    slos.push_back(
        {{"name", p.name}, {"target", p.target}, {"value", opt(p.value)}, {"pass", p.pass}, {"margin", opt(p.margin)}});
  return {{"capacity_keys_per_node", unlimited_memory ? json() : json(capacity_keys_per_node)},
          {"bytes_per_key", bytes_per_key},
          {"hit_model", model_doc},
          {"hit_ratio", hit.hit_ratio},
          {"characteristic_time_s", fin(characteristic_time_s)},
          {"nodes", nodes},
          {"rate_per_s", {{"mean", mean_rate_per_s}, {"peak", peak_rate_per_s}}},
          {"origin",
           {{"requests_per_s_mean", origin_mean_per_s},
            {"requests_per_s_peak", origin_peak_per_s},
            {"at_peak",
             {{"utilization", origin_at_peak.utilization},
              {"p_wait", origin_at_peak.p_wait},
              {"wait_ms", fin(origin_at_peak.wait_s * 1000)},
              {"response_ms", fin(origin_at_peak.response_s * 1000)},
              {"response_p99_ms", fin(origin_at_peak.response_quantile(0.99) * 1000)}}}}},
          {"node_utilization_peak", node_utilization_peak},
          {"latency_ms", {{"p50", opt(latency_p50_ms)}, {"p99", opt(latency_p99_ms)}, {"p999", opt(latency_p999_ms)}}},
          {"error_rate", error_rate},
          {"availability",
           {{"replicas_per_master", availability_inputs.replicas},
            {"mtbf_h", availability_inputs.mtbf_h},
            {"mttr_h", availability_inputs.mttr_h},
            {"failover_s", availability_inputs.failover_s},
            {"shard_unavailable", availability.shard_unavailable},
            {"any_shard_unavailable", availability.cluster_any_unavailable},
            {"downtime_min_per_year_per_shard", availability.downtime_min_per_year}}},
          {"slo", slos},
          {"caveats", caveats},
          {"wall_ms", wall_ms}};
}

}  // namespace cachelab::analytic
