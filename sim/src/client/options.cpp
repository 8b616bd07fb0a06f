// When the client logic needs timers, and the client counters as summary.json's "clients" object
// (results/README.md).
#include "cachelab/client/client_logic.hpp"

namespace cachelab {

bool ClientOptions::needs_timers() const {
  return stampede.mode == Protection::Lock || pattern == Pattern::WriteBehind ||
         (l1_keys > 0 && l1_invalidation_lag_ms > 0) || retries_max > 0 || breaker_failures > 0 || !seeds.empty() ||
         batch_size > 1;
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
  if (o.batch_size > 1)
    j["batch"] = {
        {"batches", batches},
        {"commands", batched_commands},
        {"mean_size", batches ? json(static_cast<double>(batched_commands) / static_cast<double>(batches)) : json()},
        {"timer_flushes", batch_timer_flushes}};
  if (warm_loads > 0) j["warm"] = {{"loads", warm_loads}, {"filled", warm_filled}, {"failed", warm_failed}};
  // stale_reads: reads the L1 served with a value older than the database's (as summary stale_reads.l1.reads).
  if (o.l1_keys > 0) j["l1"] = {{"hits", l1_hits}, {"stale_reads", l1_stale_reads}};
  if (mget_fills > 0) j["mget_fills"] = mget_fills;
  if (!o.seeds.empty())
    j["start"] = {{"seeds", o.seeds.size()},
                  {"instances_started", instances_started},
                  {"last_started_s", instances_started ? json(last_started.seconds()) : json()},
                  {"seed_fetches", seed_fetches},
                  {"seed_failures", seed_failures},
                  {"failed_rounds", seed_rounds_failed},
                  {"failed_requests", not_started_failed}};
  if (o.read_from != ReadFrom::Master)
    j["read_from"] = {{"replica_reads", replica_reads}, {"replica_fallbacks", replica_fallbacks}};
  return j;
}

}  // namespace cachelab
