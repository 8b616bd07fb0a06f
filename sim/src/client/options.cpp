// ClientOptions from the scenario's `clients` section, and the client counters as summary.json's "clients" object
// (results/README.md).
#include "cachelab/client/client_logic.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

ClientOptions ClientOptions::from(const ClientsConfig& c) {
  ClientOptions o;
  o.pattern = c.pattern == "read-through"    ? Pattern::ReadThrough
              : c.pattern == "write-through" ? Pattern::WriteThrough
              : c.pattern == "write-behind"  ? Pattern::WriteBehind
              : c.pattern == "no-cache"      ? Pattern::NoCache
                                             : Pattern::CacheAside;
  o.write_mode = c.on_write == "update" ? WriteMode::Update : WriteMode::Invalidate;
  const auto& s = c.stampede;
  o.protection = s.mode == "single-flight" ? Protection::SingleFlight
                 : s.mode == "lock"        ? Protection::Lock
                 : s.mode == "xfetch"      ? Protection::XFetch
                 : s.mode == "swr"         ? Protection::Swr
                                           : Protection::None;
  o.beta = s.beta;
  o.lease_ms = s.lease_ms;
  o.poll_ms = s.poll_ms;
  o.stale_ms = s.stale_ms;
  o.lock_serve_stale = s.lock_wait == "stale";
  o.ttl_jitter = s.ttl_jitter;
  o.wb_batch = static_cast<uint32_t>(c.wb_batch_size);
  o.wb_flush_interval = Time::ms(c.wb_flush_interval_ms);
  o.wb_buffer_limit = static_cast<uint32_t>(c.wb_buffer_limit);
  o.l1_keys = static_cast<uint32_t>(c.l1_keys);
  o.l1_ttl = Time::ms(c.l1_ttl_ms);
  o.l1_lag = Time::ms(c.l1_invalidation_lag_ms);
  o.retries = static_cast<int>(c.retries_max);
  o.retry_backoff = Time::ms(c.retries_backoff_ms);
  o.breaker_failures = static_cast<int>(c.breaker_failures);
  o.breaker_open = Time::ms(c.breaker_open_ms);
  o.instances = c.instances;
  o.pool_size = static_cast<uint32_t>(c.pool_size);
  o.pipeline = static_cast<uint32_t>(c.pipeline);
  o.read_from = c.read_from == "replica"             ? ReadFrom::Replica
                : c.read_from == "replica_preferred" ? ReadFrom::ReplicaPreferred
                                                     : ReadFrom::Master;
  o.warm_concurrency = static_cast<uint32_t>(c.warm_concurrency);
  return o;
}

bool ClientOptions::needs_timers() const {
  return protection == Protection::Lock || pattern == Pattern::WriteBehind || (l1_keys > 0 && l1_lag.nanos() > 0) ||
         retries > 0 || breaker_failures > 0;
}

nlohmann::json ClientStats::to_json(const ClientOptions& o) const {
  using nlohmann::json;
  json j = {{"origin_loads", read_loads},
            {"load_episodes", load_episodes},
            {"recomputations_per_expiry",
             load_episodes ? json(static_cast<double>(read_loads) / static_cast<double>(load_episodes)) : json()},
            {"max_concurrent_loads_per_key", max_loads_per_key},
            {"single_flight_joined", single_flight_joined},
            {"lock_acquired", lock_acquired},
            {"lock_contended", lock_contended},
            {"lock_polls", lock_polls},
            {"xfetch_early", xfetch_early},
            {"stale_served", stale_served},
            {"background_refreshes", background_refreshes},
            {"retries", retries},
            {"breaker_opened", breaker_open},
            {"breaker_rejected", breaker_rejected},
            {"crossslot", crossslot}};
  if (!o.key_metrics) {
    j["load_episodes"] = json();
    j["recomputations_per_expiry"] = json();
    j["max_concurrent_loads_per_key"] = json();
  }
  if (o.pattern == Pattern::WriteBehind)
    j["write_behind"] = {{"buffered", wb_buffered},       {"batches", wb_batches}, {"flushed", wb_flushed},
                         {"buffer_full", wb_buffer_full}, {"lost", wb_lost},       {"batches_failed", wb_failed}};
  if (o.pool_size > 0) j["pool"] = {{"queued", pool_queued}, {"max_waiting", pool_max_waiting}};
  if (warm_loads > 0) j["warm"] = {{"loads", warm_loads}, {"filled", warm_filled}, {"failed", warm_failed}};
  // stale_reads: reads the L1 served with a value older than the database's (as summary stale_reads.l1.reads).
  if (o.l1_keys > 0) j["l1"] = {{"hits", l1_hits}, {"stale_reads", l1_stale_reads}};
  if (mget_fills > 0) j["mget_fills"] = mget_fills;
  if (o.read_from != ReadFrom::Master)
    j["read_from"] = {{"replica_reads", replica_reads}, {"replica_fallbacks", replica_fallbacks}};
  return j;
}

}  // namespace cachelab
