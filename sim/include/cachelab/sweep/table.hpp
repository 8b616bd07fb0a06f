#pragma once
// sweep.json and sweep.csv: one row per grid point with the knob values, key metrics (mean and sample standard
// deviation over seeds) and SLO verdicts (a point passes an SLO when every seed passes it). sweep.csv is a pure
// function of the points, so a merged set of shards gives the same file as an unsharded sweep.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/sweep/grid.hpp"

namespace cachelab::sweep {

// The metrics a row reports, in column order, with how to read each from summary.json.
const std::vector<std::string>& metric_names();
nlohmann::json metrics_of(const nlohmann::json& summary);  // name -> number or null

struct RunRecord {
  uint64_t seed = 0;
  std::string dir;         // run directory name (relative to the sweep directory)
  nlohmann::json metrics;  // metrics_of(summary)
  nlohmann::json slo;      // summary["slo"]
};

// One point: {"index", "knobs": {pointer: value text}, "runs": [...], "metrics": {name: {mean, sd, min, max, n}},
// "slo": [{name, (stream,) target, runs, passes, pass, margin_min, value_mean}], "slo_pass"}; an SLO of slo.streams
// keeps its stream (and is told apart by it: results::slo_id; sweep.csv column slo_streams.<stream>.<name>).
nlohmann::json point_json(const std::vector<Axis>& axes, const GridPoint& p, const std::vector<RunRecord>& runs);

// The whole sweep: header (scenario, axes, seeds, shard, points_total) and points sorted by index.
nlohmann::json sweep_json(const std::string& scenario_file, const std::string& name, const std::vector<Axis>& axes,
                          const std::vector<uint64_t>& seeds, const Shard& shard, std::vector<nlohmann::json> points);

std::string format_sweep_csv(const nlohmann::json& sweep);

// Merges shard outputs (each a sweep.json): same scenario name, axes and seeds, no point twice.
// Throws SpecError on a mismatch. "complete" says whether every grid point is present.
nlohmann::json merge_sweeps(const std::vector<nlohmann::json>& parts, const std::vector<std::string>& part_dirs);

// Writes sweep.json and sweep.csv into dir, each via a temporary file and a rename.
void write_sweep_files(const std::filesystem::path& dir, const nlohmann::json& sweep);

}  // namespace cachelab::sweep
