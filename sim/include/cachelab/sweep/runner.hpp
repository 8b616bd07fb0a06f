#pragma once
// Running a sweep: every (point, seed) of the shard is one independent Simulation, run on `jobs` threads. Each
// run's directory is written as soon as it finishes and only its metrics are kept, so memory is bounded by the
// runs in flight. Scenarios of every run are loaded (and so validated) before anything runs.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/scenario/scenario.hpp"
#include "cachelab/sweep/grid.hpp"

namespace cachelab::sweep {

// Calls fn(i) for i in [0, n) on min(jobs, n) threads (each takes the next index). on_done(done) is called after
// each item under a lock. The first exception thrown by fn is rethrown after all threads stop taking work.
void parallel_for(size_t n, int jobs, const std::function<void(size_t)>& fn,
                  const std::function<void(size_t done)>& on_done = {});

int default_jobs();  // hardware threads, at least 1

struct SweepSpec {
  std::string file;
  std::vector<std::string> base_overrides;  // --set, applied before the axes
  CalibrationUse calibration;               // --calibration: its knobs lead base_overrides (recorded in run.json)
  std::vector<Axis> axes;
  int seeds = 1;
  Shard shard;
};

struct SweepResult {
  nlohmann::json sweep;  // sweep_json(...)
  size_t runs = 0;
  double wall_s = 0;
};

// Throws ScenarioError (a point's scenario is invalid: its message names the override) before running anything.
// `progress` (may be empty) gets (runs done, runs total, elapsed seconds).
SweepResult run_sweep(const SweepSpec& spec, const std::filesystem::path& out, int jobs,
                      const std::function<void(size_t, size_t, double)>& progress = {});

// The scenario name and seed of the file (with base overrides), for default paths and the seed list.
struct ScenarioHead {
  std::string name;
  uint64_t seed;
};
ScenarioHead scenario_head(const std::string& file, const std::vector<std::string>& base_overrides);

}  // namespace cachelab::sweep
