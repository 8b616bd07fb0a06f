#pragma once
// Running a scenario in the simulator: builds the simulated world (nodes, network, origin, clients, workload),
// runs it in virtual time interval by interval, and returns what results/README.md describes. Pure: the same
// scenario gives the same output, byte for byte (tests/unit/determinism_test.cpp). Writing files is results/writer.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/results/run_output.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

class RunObserver {
 public:
  virtual ~RunObserver() = default;
  // After each metrics interval: virtual-time fraction done and requests issued so far.
  virtual void on_progress(double /*fraction*/, uint64_t /*requests*/) {}
  // Each series.csv row as soon as its interval closes (the GUI fills charts with these).
  virtual void on_interval(const SeriesTable& /*so_far*/) {}
  // Polled between intervals; true stops the run (the output then covers the intervals done).
  virtual bool cancelled() { return false; }
};

// Following requests hop by hop (`cachelab run --trace-requests N [--trace-window FROM:TO]`): a uniform sample of
// `limit` requests due in [from_s, to_s) (to_s < 0: until the end) into RunOutput::requests (requests.jsonl).
// Nothing else in the output changes.
struct TraceOptions {
  uint64_t limit = 0;  // 0: none
  double from_s = 0, to_s = -1;
};

// The command-line options `--trace-requests N` (1..RequestTracer::kMaxLimit) and `--trace-window FROM:TO` (seconds,
// TO may be empty), as `cachelab run` and `cachelab live` take them (either may be ""): "" when good, else why not,
// naming the option, what was expected and what was found.
std::string parse_trace_options(const std::string& requests, const std::string& window, TraceOptions& out);

RunOutput simulate(const Scenario& s, RunObserver* observer = nullptr, const TraceOptions& trace = {});

// The SLO verdicts for a summary (used by simulate, and by live mode on its own summary): the whole run's, then
// each of slo.streams from the summary's `streams` (rows naming their `stream`; no value when it has none).
nlohmann::json evaluate_slos(const SloConfig& slo, const nlohmann::json& summary);

}  // namespace cachelab
