#pragma once
// `cachelab live FILE (--spawn | --redis HOST:PORT[,...])`: replays a scenario's request stream on real Redis with
// the simulator's ClientLogic and Recorder (docs/design.md §8) and writes a run directory with mode "live".
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/run/runner.hpp"
#include "live/lab/lab_config.hpp"

namespace cachelab {
struct Scenario;
}

namespace cachelab::live {

struct LiveOptions {
  std::string file;
  std::vector<std::string> sets;  // --set PTR=VALUE, in order
  CalibrationUse calibration;     // --calibration: its knobs lead `sets` (recorded in run.json)
  std::optional<uint64_t> seed;   // --seed (applied as a /seed override, like cachelab run)
  bool spawn = false;
  std::string redis;   // --redis HOST:PORT[,...]
  std::string prefix;  // --redis: key prefix; default "cachelab:<run-id>:"
  bool allow_non_empty = false;
  bool keep_keys = false;  // --redis: leave the run's keys on the servers (default: deleted after it)
  std::string out;         // run directory; default results/<name>/<UTC>-live
  std::string results_root = "results";
  bool json = false;         // print summary.json on stdout
  bool closed_loop = false;  // issue requests as fast as replies come (bench), `concurrency` at a time
  int concurrency = 50;
  TraceOptions trace;  // --trace-requests, --trace-window: requests.jsonl as `cachelab run` writes it
  bool quiet = false;  // no progress lines and no summary (calibrate runs many): only problems are printed
};

// Why live mode cannot run this scenario as written, or "" when it can. `scenario` is the resolved scenario.
std::string live_refusal(const nlohmann::json& scenario, bool spawn);

// The lab --spawn starts for a scenario: its shape (a standalone scenario is one server), and the nodes' settings
// exactly as the simulation takes them (`cluster.store`, `cluster.control`, typed once by Scenario::from_resolved).
LabConfig spawn_lab_config(const Scenario& scenario);

// Runs it all; returns the exit code (0 ok, 1 failure while running, 2 bad input or refused).
int run_live(const LiveOptions& options);

}  // namespace cachelab::live
