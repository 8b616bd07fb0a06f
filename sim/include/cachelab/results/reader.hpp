#pragma once
// The public, read-only view of one results directory (results/README.md is the schema).
// Plain structs, no Qt: the GUI, `cachelab compare` and tests all read runs through this one reader,
// so a schema change is made in one place. A value the files mark as non-existent (JSON null, an empty
// CSV cell) is NaN here, never a made-up number. Fields a later schema version adds are kept in `raw`.
#include <cstdint>
#include <filesystem>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab {

// Every problem with a results directory: the message names the file, the line or JSON path,
// what was expected and what was found ("summary.json: /latency_us/p99: expected a number, found a string").
class ResultsError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

namespace results {

inline constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct LatencyUs {
  double p50 = kMissing, p90 = kMissing, p99 = kMissing, p999 = kMissing, max = kMissing, mean = kMissing;
};

// run.json
struct RunInfo {
  std::string cachelab_version;
  std::string mode;  // "sim" or "live"
  std::uint64_t seed = 0;
  std::string scenario_file;
  std::vector<std::string> overrides;
  // The host calibration the run applied (run.json `calibration`; empty in runs without one and in older runs):
  // its file, and the overrides that came from it (the first of `overrides`).
  std::string calibration_file;
  std::vector<std::string> calibration_overrides;
  nlohmann::json scenario;               // the fully resolved scenario
  std::string name, title, description;  // taken from the scenario (empty when absent)
  std::string started_utc;
  double wall_s = kMissing;
  nlohmann::json raw;  // the whole file, for fields this reader does not name
};

struct Failover {
  std::string node;
  double t_kill_s = kMissing, t_pfail_s = kMissing, t_fail_s = kMissing, t_promoted_s = kMissing, t_ok_s = kMissing;
  std::string new_master;  // empty when null
};

// A list of inclusive slot ranges: {{0, 5460}}.
using SlotRanges = std::vector<std::pair<int, int>>;

struct NodeSummary {
  std::string name, role;
  // summary.json `slots`: the slot count (the size of the ranges when only ranges are given).
  // Not named `slots`, which is a macro in every Qt program.
  double slot_count = kMissing;
  SlotRanges slot_ranges;  // summary.json `slot_ranges` (or `slots` given as ranges); empty when absent
  double keys = kMissing, used_memory_bytes = kMissing, maxmemory_bytes = kMissing, ops = kMissing,
         evicted_keys = kMissing, expired_keys = kMissing, utilization = kMissing;
  // The entry's other keys (the simulator's repl_offset, expired_stale_*, ...; live mode's redis_version).
  nlohmann::json extra = nlohmann::json::object();
};

struct Slo {
  std::string name;
  double target = kMissing, value = kMissing, margin = kMissing;
  bool pass = false;
  std::string measures;  // what the value is, in words (empty in older summaries)
  std::string stream;    // a stream's SLO (slo.streams): its stream; empty for the whole run's
};

struct Errors {
  double moved = kMissing, ask = kMissing, tryagain = kMissing, clusterdown = kMissing, oom = kMissing,
         timeout = kMissing, connection = kMissing, crossslot = kMissing, noreplicas = kMissing, reply = kMissing;
};

struct Origin {
  double requests = kMissing, reads = kMissing, writes = kMissing, rejected = kMissing, timeouts = kMissing,
         requests_per_s = kMissing, concurrency_max = kMissing, queue_max = kMissing;
  LatencyUs latency_us;
};

// summary.json `failed_by_cause`: failed_requests by why the application saw the failure.
struct FailedByCause {
  double origin = kMissing;              // the database timed out or rejected the query
  double cache = kMissing;               // the cache answered an error the request has no database fallback for
  double write_buffer_full = kMissing;   // the write-behind buffer of the client instance was full
  double client_not_started = kMissing;  // no seed of the client instance answered yet (clients.seeds)
};

// summary.json `degraded_by_error`: degraded_requests by the error that made the cache unavailable to them.
struct DegradedByError {
  double connection = kMissing, clusterdown = kMissing, timeout = kMissing;
};

// summary.json `writes_lost_by_kind`: acknowledged writes lost, by how (results/README.md).
struct WritesLost {
  double failover = kMissing;        // acknowledged by a master, not yet on the replica promoted in its place
  double deposed_master = kMissing;  // acknowledged by a master after a replica had replaced it (partition, pause)
  double write_behind = kMissing;    // buffered by a client instance that crashed before flushing them
  double total = kMissing;
};

// summary.json. The request-side core (mode ... writes_acknowledged, the fields up to `origin`) is written by both
// modes and read back by the same code (results/summary_core.hpp).
// summary.json stale_reads.<source> (issue 16): reads served a value older than the database's, and their age.
struct StaleSummary {
  double reads = kMissing, age_ms_mean = kMissing, age_ms_max = kMissing;
};
struct StaleReads {
  StaleSummary cache, l1, replica;
};

struct Summary {
  std::string mode;
  std::uint64_t seed = 0;
  double measured_s = kMissing;
  double requests = kMissing, reads = kMissing, writes = kMissing, hits = kMissing, misses = kMissing,
         hit_ratio = kMissing;
  double offered = kMissing, failed_requests = kMissing, throughput_per_s = kMissing, degraded_requests = kMissing,
         availability = kMissing;
  double error_rate = kMissing;             // failed_requests / requests: what the application saw fail
  double cache_failed_requests = kMissing;  // requests whose cache answer ended in an error (after retries)
  double cache_error_rate = kMissing;       // cache_failed_requests / requests
  FailedByCause failed_by_cause;
  DegradedByError degraded_by_error;
  WritesLost writes_lost_by_kind;
  LatencyUs latency_us;
  Errors errors;
  Origin origin;
  double evicted_keys = kMissing, expired_keys = kMissing, writes_acknowledged = kMissing, writes_lost = kMissing;
  std::vector<Failover> failovers;
  std::vector<NodeSummary> nodes;
  std::vector<Slo> slo;
  nlohmann::json raw;
  double key_hits = kMissing, key_misses = kMissing, key_hit_ratio = kMissing;  // keys of reads (issue 16)
  StaleReads stale_reads;
};

// series.csv: named columns in file order. Numeric columns hold NaN for empty cells; `<node>.role`
// columns (and any other column whose name ends in ".role") hold strings.
struct Series {
  std::vector<std::string> numeric_names;
  std::vector<std::vector<double>> numeric;  // numeric[i] is the column numeric_names[i]
  std::vector<std::string> text_names;
  std::vector<std::vector<std::string>> text;
  std::vector<std::string> header;  // every column, in file order

  std::size_t rows() const;
  const std::vector<double>* column(const std::string& name) const;            // nullptr when absent
  const std::vector<std::string>* text_column(const std::string& name) const;  // nullptr when absent
  // Node names in the order their first column appears ("master-1", "replica-1-1", ...).
  std::vector<std::string> node_names() const;
};

// One line of events.jsonl.
struct Event {
  double t_s = kMissing;
  std::string type;
  std::string node;    // empty when the event names no node
  nlohmann::json raw;  // the whole object (type-specific fields)
  int line = 0;        // 1-based line in events.jsonl, for messages
};

struct Run {
  std::filesystem::path dir;
  RunInfo info;
  Summary summary;
  Series series;
  std::vector<Event> events;
};

// Each loader throws ResultsError naming `file_label` (usually the path) on any problem.
RunInfo parse_run_info(const std::string& text, const std::string& file_label);
Summary parse_summary(const std::string& text, const std::string& file_label);
Series parse_series(const std::string& text, const std::string& file_label);
std::vector<Event> parse_events(const std::string& text, const std::string& file_label);

// Limits on what a run directory may hold (issue 21: a results file with 1M columns hung the GUI): run.json and
// summary.json at most 64 MiB, series.csv and events.jsonl at most 1 GiB (and half the physical memory), series.csv
// at most 50,000 columns (a 1000-node cluster writes under 10,000). Special files are refused.
inline constexpr std::uint64_t kMaxJsonFileBytes = 64ull << 20;
inline constexpr std::uint64_t kMaxTableFileBytes = 1ull << 30;
inline constexpr std::size_t kMaxSeriesColumns = 50000;

// Loads the four files of a run directory. Throws ResultsError when the directory or a file is missing
// or malformed.
Run load_run(const std::filesystem::path& dir);

// True when `dir` holds the files of a run (a cheap check for drag and drop; load_run says what is wrong).
bool looks_like_run_dir(const std::filesystem::path& dir);

}  // namespace results
}  // namespace cachelab
