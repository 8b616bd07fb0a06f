#pragma once
// The memory grid (issue 16 part 6): how many keys one node keeps under allkeys-lru, on real Redis 7.0 and in the
// simulator's Store, over a grid of key shapes (value size and encoding, key length, TTL or not) and maxmemory.
// Each point fills one node of a lab we started (a cluster-mode master, or a standalone server) with more keys than
// fit, through one connection, and reads DBSIZE once eviction has settled; the simulated Store takes the same SETs
// in the same order with the same connection count (docs/redis-reference.md §7.8).
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace cachelab::live {

struct MemGridPoint {
  uint32_t value_len = 16;  // bytes of the value's string form
  bool integer = false;     // the value is a decimal integer (OBJ_ENCODING_INT), e.g. "7" for value_len 1
  uint32_t key_len = 10;
  bool ttl = false;  // every key is SET with EX (the expires dict holds it too)
  uint64_t maxmemory = 2 << 20;
  std::string label() const;  // "v16 k10 ttl 2mb"
};

// Cluster mode: tails of SETs tried before a point's count is taken from a tail that began with a cluster-bus send
// buffer held or during which the node sent a bus message anyway (memgrid_run; docs/redis-reference.md §7.8.1).
inline constexpr int kMemGridMaxBusRetries = 20;
// Cluster mode: 100-ms waits for the bus mesh (a link to and from every other master) before the first point; a peer
// pings at least every node_timeout / 2, 7.5 s in the grid's labs (memgrid_run).
inline constexpr int kMemGridMeshWaits = 300;
// Cluster mode: fills of a point whose simulated dict expansion had less room than the bus can hold for a moment,
// tried before the count is taken from a fill during which the node sent a bus message anyway (memgrid_run).
inline constexpr int kMemGridMaxFillAttempts = 8;

struct MemGridResult {
  MemGridPoint point;
  uint64_t filled = 0;            // SETs sent
  uint64_t live_kept = 0;         // DBSIZE after the fill
  uint64_t sim_kept = 0;          // the Store's keys after the same fill
  uint64_t live_used_memory = 0;  // INFO memory after the fill (for diagnosis)
  uint64_t live_clients_normal = 0;
  uint64_t live_empty_used_memory = 0;  // used_memory after FLUSHALL, before the fill
  int commands = 0;                     // distinct commands the node had run by the end of the fill (INFO commandstats)
  // Cluster mode: tails of SETs sent again because one began with a cluster-bus send buffer held or the node sent a
  // bus message during it.
  int bus_retries = 0;
  uint64_t sim_used_memory = 0;
  // The room maxmemory left over the closest dict expansion the simulated fill made (UINT64_MAX: none was decided by
  // maxmemory). Below what the cluster bus can hold for a moment the live fill must run with no bus message sent.
  uint64_t sim_expand_margin = UINT64_MAX;
  int fill_attempts = 1;     // fills run for this point (more than one: a bus message came during a close one)
  bool fill_quiet = true;    // no cluster-bus message was sent during the fill that counted (cluster mode)
  double error_pct() const;  // (sim - live) / live x 100
};

// The grid: values 1 B integer, 16, 44, 45, 100, 1024, 16384 B; keys of 10 and 40 bytes; with and without
// TTL; maxmemory 2mb, 16mb, 64mb, 256mb (112 points).
std::vector<MemGridPoint> memgrid_full();
// A subset for CI (~1 minute): every value shape and both TTL settings at 2mb and 16mb, one 64mb point.
std::vector<MemGridPoint> memgrid_ci();

// Points written as "v16,k10,ttl,2mb;int1,k40,16mb": each point one value part (vN: N bytes, 1 to 1,048,576; or
// intN: an integer of N digits, 1 to 18), one key part (kN: 10 to 1,024 bytes), one maxmemory part (Nmb: 1 to 1,024)
// and ttl at most once. Throws std::invalid_argument naming the point, the part, what was expected and what was found.
std::vector<MemGridPoint> memgrid_parse(const std::string& spec);

// The simulated side of one point: a Store with the point's maxmemory, allkeys-lru, `cluster_mode`, one client
// connection, `cluster_peers` other nodes and `commands` distinct commands run (latency histograms), filled with
// `filled` SETs as the live side sends them.
MemGridResult memgrid_simulate(const MemGridPoint& p, bool cluster_mode, int cluster_peers, int commands,
                               uint64_t filled);

// Runs every point on one lab (cluster mode: 3 masters, the points fill master-1; standalone: one server), started
// and stopped here. Before the first point the node's command tables are rehashed (COMMAND INFO of every subcommand)
// and its latency histograms freed (CONFIG RESETSTAT): the state the model's baseline is, the same in every lab
// (docs/redis-reference.md §7.8.2). `progress` is told each result as it comes.
std::vector<MemGridResult> memgrid_run(const std::vector<MemGridPoint>& points, bool cluster_mode,
                                       const std::function<void(const MemGridResult&)>& progress = {});

// "shape,maxmemory,...": one header line, then one line per result.
std::string memgrid_csv(const std::vector<MemGridResult>& results, bool cluster_mode);

}  // namespace cachelab::live
