#pragma once
// The `cachelab` subcommands. Each cmd_*.cpp adds one to the CLI11 app through a self-registering Command, and
// reports its exit code through `code`; adding a subcommand touches no shared file.
// Exit codes: 0 success, 1 a failure while running, 2 bad input (scenario, arguments), 3 an SLO failed (--check-slo),
// 4 `plan` found no candidate meeting every SLO (it says which SLO stops them and what to widen).
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <iostream>

#include "cachelab/scenario/calibration.hpp"
#include "cachelab/scenario/loader.hpp"
#include "validators.hpp"

namespace cachelab::cli {

constexpr int kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitSloFailed = 3, kExitNoPlan = 4;

struct Context {
  int& code;          // the process exit code
  std::string argv0;  // how cachelab was invoked
};

using AddCommand = std::function<void(CLI::App& app, Context& ctx)>;

// Subcommands in registration order are listed by --help sorted by name, so order does not matter.
std::vector<std::pair<std::string, AddCommand>>& commands();

struct Command {
  Command(std::string name, AddCommand add) { commands().emplace_back(std::move(name), std::move(add)); }
};

}  // namespace cachelab::cli

namespace cachelab::cli {

// --calibration FILE (a host calibration, `cachelab-live calibrate`; scenario/calibration.hpp): its knobs go before
// `sets` (the command line's own --set win); `use` (when given) records it for run.json (Scenario::calibration).
// False, with the file's problem on stderr, when it cannot be used.
inline bool add_calibration_overrides(const std::string& command, const std::string& path,
                                      std::vector<std::string>& sets, CalibrationUse* use = nullptr) {
  try {
    sets = with_calibration(path, sets, use);
    return true;
  } catch (const ScenarioError& e) {
    std::cerr << e.what() << "\ncachelab " << command << ": --calibration: nothing was run\n";
    return false;
  }
}

// The option's help text, one for every command that takes it.
inline constexpr const char* kCalibrationHelp =
    "apply a host calibration written by cachelab-live calibrate (its knobs as --set, before yours)";

}  // namespace cachelab::cli
