#pragma once
// Writes a run directory (results/README.md): run.json, summary.json, series.csv, events.jsonl. The files are
// written into a temporary sibling directory which is renamed into place, so no reader ever sees half a run, and
// an existing directory is never overwritten.
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "cachelab/run/runner.hpp"

namespace cachelab {

// results/<name>/<UTC time>-<mode> under `root`, made unique with -2, -3... if taken.
std::filesystem::path default_run_dir(const std::filesystem::path& root, const std::string& name,
                                      const std::string& mode);
std::string utc_now_iso();

// The run.json object for a simulated run.
nlohmann::json make_run_json(const Scenario& s, const RunOutput& out, const std::string& mode,
                             const std::string& started_utc);

std::string format_series_csv(const SeriesTable& t);
std::string format_events_jsonl(const std::vector<nlohmann::json>& events);
std::string format_json(const nlohmann::json& j);  // 2-space indent, trailing newline

// Throws std::runtime_error (with the path) if `dir` exists or cannot be written.
void write_run_dir(const std::filesystem::path& dir, const nlohmann::json& run, const nlohmann::json& summary,
                   const SeriesTable& series, const std::vector<nlohmann::json>& events);

}  // namespace cachelab
