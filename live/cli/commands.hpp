#pragma once
// The subcommands of cachelab-live. Each registers itself on the CLI11 app; its runner returns the exit code:
// 0 success, 1 failure while running, 2 bad usage or a bad/unreachable address.
#include <CLI/CLI.hpp>

#include <functional>

namespace cachelab::live::cli {

struct Command {
  CLI::App* app;
  std::function<int()> run;
};

Command add_spawn_check(CLI::App& app);
Command add_ping(CLI::App& app);
Command add_live(CLI::App& app);
Command add_lab(CLI::App& app);
Command add_failover_timing(CLI::App& app);
Command add_memgrid(CLI::App& app);
Command add_keys_cost(CLI::App& app);
Command add_calibrate(CLI::App& app);

}  // namespace cachelab::live::cli
