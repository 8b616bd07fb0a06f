#pragma once
// The application's side of a scenario (the `clients` knobs), typed once: Scenario::from_resolved fills it from the
// resolved scenario, the client logic takes it as it is (ClientOptions in client_logic.hpp adds only what the run
// knows: the cluster's layout and whether per-key counters are kept), and live mode's connections read it too.
// Each enumeration's names are the knob's choices (scenario/knobs.cpp builds the schema's list from the same table),
// in the order of the enumerators, so a name and its value cannot drift apart. Plain types and standard headers only:
// this header sits in the config module, below core (sim/cmake/modules.cmake).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cachelab {

// clients.pattern: how the application uses the cache (client_logic.cpp).
enum class Pattern : uint8_t { CacheAside, ReadThrough, WriteThrough, WriteBehind, NoCache };
inline constexpr std::array<std::string_view, 5> kPatternNames = {"cache-aside", "read-through", "write-through",
                                                                  "write-behind", "no-cache"};
// clients.on_write: what a cache-aside write does to the cached copy.
enum class WriteMode : uint8_t { Invalidate, Update };
inline constexpr std::array<std::string_view, 2> kWriteModeNames = {"invalidate", "update"};
// clients.stampede.mode (stampede.cpp, xfetch.cpp).
enum class Protection : uint8_t { None, SingleFlight, Lock, XFetch, Swr };
inline constexpr std::array<std::string_view, 5> kProtectionNames = {"none", "single-flight", "lock", "xfetch", "swr"};
// clients.stampede.lock_wait: what a request that finds the lock taken does (poll the cache, or serve the stale copy).
enum class LockWait : uint8_t { Poll, Stale };
inline constexpr std::array<std::string_view, 2> kLockWaitNames = {"poll", "stale"};
// Where reads go (clients.read_from), named after Lettuce's ReadFrom: MASTER, REPLICA, REPLICA_PREFERRED (go-redis:
// ReadOnly routes reads to replicas). A replica read is sent on a READONLY connection and served by the replica from
// its copy (docs/redis-reference.md §2.2 step 9), which lags its master by the replication stream's delay (§6).
// ReplicaPreferred falls back to the master when the replica does not answer (connection refused, timeout,
// CLUSTERDOWN); Replica does not.
enum class ReadFrom : uint8_t { Master, Replica, ReplicaPreferred };
inline constexpr std::array<std::string_view, 3> kReadFromNames = {"master", "replica", "replica_preferred"};
// clients.script_mode (script.cpp): how an ops script request runs its K redis.call: as one EVALSHA (one round trip,
// atomic on the node, docs/redis-reference.md §11), or as K commands, each sent when the previous one's reply is in.
enum class ScriptMode : uint8_t { EvalSha, RoundTrips };
inline constexpr std::array<std::string_view, 2> kScriptModeNames = {"evalsha", "round_trips"};

// The enumerator a knob's name stands for; nullopt for a name the table does not hold (validation refuses those
// before any typed struct is filled).
template <class E, size_t N>
std::optional<E> enum_named(const std::array<std::string_view, N>& names, std::string_view name) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == name) return static_cast<E>(i);
  return std::nullopt;
}
template <class E, size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, E value) {
  return names[static_cast<size_t>(value)];
}
template <size_t N>
std::vector<std::string> choices_of(const std::array<std::string_view, N>& names) {
  return {names.begin(), names.end()};
}

// clients.stampede (the knobs' docs: scenario/knobs.cpp stampede_spec).
struct StampedeConfig {
  Protection mode = Protection::None;
  double beta = 1.0;                                    // XFetch's beta
  int64_t lease_ms = 1000, poll_ms = 20, stale_ms = 0;  // lock lease, lock waiters' poll period, SWR/stale window
  LockWait lock_wait = LockWait::Poll;
  double ttl_jitter = 0;  // a fill's TTL is scaled by 1 + uniform(-j, +j)

  bool operator==(const StampedeConfig&) const = default;
};

// clients: the defaults are the schema's (scenario/knobs.cpp clients_spec); from_resolved sets every field.
struct ClientsConfig {
  int instances = 16;
  Pattern pattern = Pattern::CacheAside;
  WriteMode on_write = WriteMode::Invalidate;
  double timeout_ms = 1000;  // per cache command
  StampedeConfig stampede;
  // Counts are bounded by their knobs' ranges (scenario/knobs.cpp), all within 32 bits.
  uint32_t wb_batch_size = 100, wb_buffer_limit = 10000;  // write_behind
  int64_t wb_flush_interval_ms = 100;
  uint32_t l1_keys = 0;  // l1: entries per instance (0: no L1)
  int64_t l1_ttl_ms = 1000, l1_invalidation_lag_ms = 0;
  int retries_max = 0;  // retries
  int64_t retries_backoff_ms = 10;
  int breaker_failures = 0;  // breaker (0: none)
  int64_t breaker_open_ms = 1000;
  // Connection pool (pool.cpp): commands in flight per (instance, node) at most pool_size x pipeline; the rest wait
  // in FIFO order at the client. pool_size 0 = no pool modelled (unbounded).
  uint32_t pool_size = 0, pipeline = 1;
  // Batching (batch.cpp): an instance collects up to batch_size commands for one node, or waits at most
  // batch_max_wait_us after the first, and writes them in one write; 1 = every command goes out alone (as before).
  uint32_t batch_size = 1;
  double batch_max_wait_us = 100;
  int64_t warm_top_keys = 0;       // warm: the most popular keys loaded before the run,
  uint32_t warm_concurrency = 16;  // with this many loads at once
  std::string zone;                // clients.zone: "" (null) or comma-separated zone names (net/placement.hpp)
  ReadFrom read_from = ReadFrom::Master;
  ScriptMode script_mode = ScriptMode::EvalSha;
  // clients.seeds (seeds.cpp): the seed list each instance starts from, as node indices in node_names order
  // (net/node_names.hpp: master-1..N, then replica-m-r). Empty (the knob null): every instance starts with the slot
  // map at t = 0, as before. Otherwise an instance asks the seeds in turn for CLUSTER SLOTS and cannot serve a
  // request until one answers; after a round where none did it waits seed_backoff_ms, doubled per failed round up to
  // seed_backoff_max_ms, and asks again.
  std::vector<uint32_t> seeds;
  int64_t seed_backoff_ms = 100, seed_backoff_max_ms = 10000;

  bool operator==(const ClientsConfig&) const = default;
};

}  // namespace cachelab
