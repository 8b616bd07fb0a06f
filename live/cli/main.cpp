// cachelab-live: the live-mode back-end. `cachelab live ...` (sim/) execs this binary, which sits next to it,
// because sim/ must not link hiredis.
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cachelab-live: run cachelab against real Redis servers"};
  app.require_subcommand(1);
  const std::vector<cachelab::live::cli::Command> commands = {
      cachelab::live::cli::add_spawn_check(app),
      cachelab::live::cli::add_ping(app),
      cachelab::live::cli::add_live(app),
      cachelab::live::cli::add_lab(app),
      cachelab::live::cli::add_failover_timing(app),
      cachelab::live::cli::add_memgrid(app),
      cachelab::live::cli::add_keys_cost(app),
      cachelab::live::cli::add_calibrate(app),
  };
  // `cachelab-live FILE --spawn` (what `cachelab live FILE --spawn` execs) means `cachelab-live live FILE --spawn`:
  // a first argument that is no subcommand and no option is a scenario file.
  if (argc > 1 && std::strcmp(argv[1], "compare") == 0) {  // the one comparison lives in the cachelab command
    std::cerr << "cachelab-live: runs are compared with `cachelab compare RUN_A RUN_B` (live and simulated alike)\n";
    return 2;
  }
  std::vector<char*> args(argv, argv + argc);
  std::string live_word = "live";
  if (argc > 1 && argv[1][0] != '-') {
    bool known = false;
    for (const auto& c : commands) known |= c.app->get_name() == argv[1];
    if (!known) args.insert(args.begin() + 1, live_word.data());
  }
  try {
    app.parse(static_cast<int>(args.size()), args.data());
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, like a bad address
  }
  for (const auto& c : commands)
    if (c.app->parsed()) return c.run();
  return 2;
}
