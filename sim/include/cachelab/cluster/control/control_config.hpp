#pragma once
// The Redis settings the control plane reads, apart from control_plane.hpp so that the typed scenario
// (scenario/scenario.hpp) can hold one without the control plane. Scenario::from_resolved fills it from the resolved
// `cluster` knobs (the cron period from hz); the simulated control plane and the live lab's redis.conf
// (live/lab/lab_config.hpp) take it as is.
#include <cstdint>

namespace cachelab::control {

// Redis settings the control plane reads (defaults = Redis 7.0, ref. §0).
struct ControlConfig {
  int masters = 3;                              // REQUIRES >= 1
  int replicas_per_master = 1;                  // R
  int64_t node_timeout_ms = 15000;              // cluster-node-timeout
  int replica_validity_factor = 10;             // cluster-replica-validity-factor (0 = never refuse for data age)
  int migration_barrier = 1;                    // cluster-migration-barrier
  bool require_full_coverage = true;            // cluster-require-full-coverage
  bool allow_replica_migration = true;          // cluster-allow-replica-migration
  bool replica_no_failover = false;             // cluster-replica-no-failover
  int64_t repl_ping_replica_period_ms = 10000;  // repl-ping-replica-period
  int64_t repl_timeout_ms = 60000;              // repl-timeout
  int64_t cron_period_ms = 100;                 // clusterCron period: cluster_cron_period_ms(hz) (§3.2)

  bool operator==(const ControlConfig&) const = default;
};

// serverCron runs every 1000/hz ms (integer ms: the timer returns 1000/server.hz) and calls clusterCron under
// run_with_period(100), which is true when 100 <= 1000/hz or on every (100/(1000/hz))-th loop (server.h:620,
// docs/redis-reference.md §3.2). So clusterCron runs every 100 ms at hz 10, 20, 50 or 500, every second at hz 1,
// every 66 ms at hz 15 (100/66 = 1: every loop) and every 99 ms at hz 30 (every third 33 ms loop).
constexpr int64_t cluster_cron_period_ms(int hz) {
  const int64_t tick_ms = 1000 / hz;
  return tick_ms >= 100 ? tick_ms : tick_ms * (100 / tick_ms);
}

}  // namespace cachelab::control
