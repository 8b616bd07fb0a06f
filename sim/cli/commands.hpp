#pragma once
// The `cachelab` subcommands. Each cmd_*.cpp adds one to the CLI11 app and returns the exit code through `code`.
// Exit codes: 0 success, 1 a failure while running, 2 bad input (scenario, arguments), 3 an SLO failed (--check-slo).
#include <CLI/CLI.hpp>

namespace cachelab::cli {

constexpr int kExitOk = 0, kExitFailure = 1, kExitBadInput = 2, kExitSloFailed = 3;

void add_run(CLI::App& app, int& code);
void add_validate(CLI::App& app, int& code);
void add_keyslot(CLI::App& app, int& code);
void add_knobs(CLI::App& app, int& code);
void add_live(CLI::App& app, int& code, const char* argv0);

}  // namespace cachelab::cli
