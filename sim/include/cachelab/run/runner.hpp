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

RunOutput simulate(const Scenario& s, RunObserver* observer = nullptr);

// The SLO verdicts for a summary (used by simulate, and by live mode on its own summary).
nlohmann::json evaluate_slos(const SloConfig& slo, const nlohmann::json& summary);

}  // namespace cachelab
