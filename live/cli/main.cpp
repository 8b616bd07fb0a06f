// cachelab-live: the live-mode back-end. `cachelab live ...` (sim/) execs this binary, which sits next to it,
// because sim/ must not link hiredis.
#include <vector>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cachelab-live: run cachelab against real Redis servers"};
  app.require_subcommand(1);
  const std::vector<cachelab::live::cli::Command> commands = {
      cachelab::live::cli::add_spawn_check(app),
      cachelab::live::cli::add_ping(app),
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors exit 2, like a bad address
  }
  for (const auto& c : commands)
    if (c.app->parsed()) return c.run();
  return 2;
}
