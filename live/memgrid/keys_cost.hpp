#pragma once
// The node time of KEYS and SCAN against the keys they walk (issue 16 part 8): a standalone redis-server of our own
// lab is filled with K keys, then KEYS * and a full SCAN ... COUNT c iteration run, and the server's own accounting
// (INFO commandstats: usec per call, the command's execution time without the socket write) is read per command.
// A line time = a + b x keys through the KEYS points gives the per-key cost the simulator takes as its default
// (cluster.scan_ns_per_key; docs/measurements/keys-scan-cost-redis-7.0.csv).
#include <cstdint>
#include <string>
#include <vector>

namespace cachelab::live {

struct KeysCostRow {
  std::string command;        // "keys" or "scan"
  uint64_t keys = 0;          // keys in the database
  uint64_t count = 0;         // SCAN's COUNT (0 for KEYS)
  uint64_t calls = 0;         // commands the server ran (a full SCAN iteration is many)
  double usec_per_call = 0;   // INFO commandstats
  double ns_per_key = 0;      // usec x calls / keys walked (every key once: KEYS each call, SCAN over the iteration)
  double wall_ms_median = 0;  // the client's round trip of one KEYS, or of the whole SCAN iteration
};

struct KeysCostFit {
  double base_us = 0, ns_per_key = 0;  // KEYS: usec_per_call = base_us + ns_per_key x keys / 1000
  double r2 = 0;
};

std::vector<KeysCostRow> keys_cost_run(const std::vector<uint64_t>& sizes, int runs, uint64_t scan_count);
KeysCostFit keys_cost_fit(const std::vector<KeysCostRow>& rows, const std::string& command);
std::string keys_cost_csv(const std::vector<KeysCostRow>& rows);

}  // namespace cachelab::live
