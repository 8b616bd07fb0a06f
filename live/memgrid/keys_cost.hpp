#pragma once
// The node time of KEYS and SCAN against the keys they walk (issue 16 part 8): a standalone redis-server of our own
// lab is filled with K keys, then KEYS * and a full SCAN ... COUNT c iteration run, and the server's own accounting
// is read per command: INFO commandstats (usec per call, the command's execution time without the socket write) and
// INFO cpu (the server's CPU time over the calls, the reply's write included; what the simulator's node time is).
// The CPU time per key at each size is what the simulator interpolates as its default (cluster/walk_cost.cpp;
// docs/measurements/keys-scan-cost-redis-7.0.csv); the line through the KEYS points is printed as a summary.
#include <cstdint>
#include <string>
#include <vector>

namespace cachelab::live {

struct KeysCostRow {
  std::string command;         // "keys" or "scan"
  uint32_t name_bytes = 0;     // the keys' name length (name_prefix + "key:" + 8 digits)
  bool match = false;          // KEYS <name_prefix>* / SCAN ... MATCH <name_prefix>* instead of KEYS * / no MATCH
  bool ttl = false;            // the keys have a TTL
  uint64_t keys = 0;           // keys in the database
  uint64_t count = 0;          // SCAN's COUNT (0 for KEYS)
  uint64_t calls = 0;          // commands the server ran (a full SCAN iteration is many)
  double usec_per_call = 0;    // INFO commandstats
  double ns_per_key = 0;       // usec x calls / keys walked (every key once: KEYS each call, SCAN over the iteration)
  double wall_ms_median = 0;   // the client's round trip of one KEYS, or of the whole SCAN iteration
  double cpu_us_per_call = 0;  // the server's CPU time (INFO cpu, user + sys) over the calls, per call
  double cpu_ns_per_key = 0;   // that CPU time per key walked
};

struct KeysCostFit {
  double base_us = 0, ns_per_key = 0;  // KEYS: cpu_us_per_call = base_us + ns_per_key x keys / 1000
  double r2 = 0;
};

// What the keys are named and which pattern walks them. Redis 7.0's keysCommand (db.c) skips the match for the
// pattern "*" alone (allkeys) and calls stringmatchlen on every key otherwise; every key it returns is copied into
// the reply, so both the pattern and the name's length may cost per key (docs/redis-reference.md §13).
struct KeysCostShape {
  std::string name_prefix;  // keys are name_prefix + "key:%08d"
  bool match = false;       // KEYS name_prefix* and SCAN MATCH name_prefix* (every key matches)
  bool ttl = false;         // every key is SET with EX 3600: keyIsExpired then looks each key up in db->expires
};

std::vector<KeysCostRow> keys_cost_run(const std::vector<uint64_t>& sizes, int runs, uint64_t scan_count,
                                       const KeysCostShape& shape = {});
KeysCostFit keys_cost_fit(const std::vector<KeysCostRow>& rows, const std::string& command);
std::string keys_cost_csv(const std::vector<KeysCostRow>& rows);

}  // namespace cachelab::live
