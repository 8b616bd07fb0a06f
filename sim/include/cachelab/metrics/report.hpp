#pragma once
// Turning the Recorder into the results files (results/README.md), shared by the simulator and live mode so both
// write the same columns, the same keys and the same number formatting.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/metrics/recorder.hpp"

namespace cachelab {

// Fixed-point text with trailing zeros trimmed; "" for NaN/inf. The same double always prints the same way.
std::string format_fixed(double v, int decimals);
// {p50, p90, p99, p999, max, mean} in microseconds from a histogram of nanoseconds; null when empty.
nlohmann::json latency_json(const LogHistogram& h);

// What one node reports at the end of an interval. Counters are cumulative; the writer takes differences.
struct NodeSample {
  std::string role;  // master, replica, down
  uint64_t used_memory_bytes = 0, keys = 0, ops = 0, evicted_keys = 0, expired_keys = 0;
  uint64_t expired_stale_keys = 0, expired_stale_bytes = 0;  // expired but not yet collected (Store::expired_stale)
  uint64_t keyspace_hits = 0, keyspace_misses = 0;           // cumulative, as INFO stats reports them
};

class SeriesWriter {
 public:
  explicit SeriesWriter(const std::vector<std::string>& node_names);
  const std::vector<std::string>& columns() const { return columns_; }
  // The row for an interval of `secs` seconds ending at `t_end_s`.
  std::vector<std::string> row(double t_end_s, bool warmup, double secs, const Recorder::Interval& iv,
                               const std::vector<NodeSample>& nodes);

 private:
  std::vector<std::string> columns_;
  std::vector<NodeSample> last_;
};

// The request-side part of summary.json (requests, hits, latency, errors, origin, writes acknowledged).
nlohmann::json summary_from_recorder(const Recorder& rec, const std::string& mode, uint64_t seed, double measured_s);

}  // namespace cachelab
