#pragma once
// Writes a run directory (results/README.md): run.json, summary.json, series.csv, events.jsonl. The files are
// written into a temporary sibling directory which is renamed into place, so no reader ever sees half a run, and
// an existing directory is never overwritten.
#include <filesystem>
#include <stdexcept>
#include <string>

#include <nlohmann/json.hpp>

#include "cachelab/results/run_output.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

// A location a command cannot write: taken, unwritable, inside a run directory. The message names the path.
struct OutputError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Reserves a run directory before the work starts (issue 21): creates `dir` (and its parents) empty with mkdir,
// which is atomic, so two concurrent runs never pick one name, and a taken or unwritable location fails before
// anything is simulated. "DIR/" is DIR. Refuses a directory inside a run directory. Also removes hidden
// `.NAME.tmp-PID` directories of killed writers next to it. write_run_dir fills it. Returns the normalized path.
// Throws OutputError. Live mode calls it for `cachelab live --out`.
std::filesystem::path reserve_run_dir(const std::filesystem::path& dir);
// Removes a reserved directory if it is still empty (the run failed before writing).
void release_run_dir(const std::filesystem::path& dir) noexcept;

// results/<name>/<UTC time>-<mode> under `root`, made unique with -2, -3... if taken, and reserved (reserve_run_dir).
std::filesystem::path default_run_dir(const std::filesystem::path& root, const std::string& name,
                                      const std::string& mode);

// Checks, before the work starts, that a command may write the file `path` (replay --mrc, workload dump --out):
// "" when it may, else why not (a directory, a missing parent, no permission, a file inside a run directory, whose
// files are never replaced). Special files (/dev/null, /dev/stdout) pass: writing them is checked as it happens.
std::string check_output_file(const std::filesystem::path& path);
// The same for a directory a command creates or writes files into (replay --out DIR): "" or why not.
std::string check_output_dir(const std::filesystem::path& dir);
std::string utc_now_iso();

// The run.json object for a simulated run.
nlohmann::json make_run_json(const Scenario& s, const RunOutput& out, const std::string& mode,
                             const std::string& started_utc);

std::string format_series_csv(const SeriesTable& t);
std::string format_events_jsonl(const std::vector<nlohmann::json>& events);
std::string format_json(const nlohmann::json& j);  // 2-space indent, trailing newline

// Throws OutputError (with the path) if `dir` exists (other than empty, as reserved) or cannot be written, and on
// any write error (a full disk).
// `requests` (not null): requests.jsonl too, in the same atomic rename.
void write_run_dir(const std::filesystem::path& dir, const nlohmann::json& run, const nlohmann::json& summary,
                   const SeriesTable& series, const std::vector<nlohmann::json>& events,
                   const results::RequestTraceFile* requests = nullptr);

}  // namespace cachelab
