// cachelab: the command line (design.md "Command line"). Subcommands live in cmd_*.cpp.
#include <iostream>

#include "commands.hpp"

int main(int argc, char** argv) {
  CLI::App app{"cachelab " CACHELAB_VERSION ": simulate cache clusters, replay on real Redis, compare"};
  app.require_subcommand(1);
  app.set_version_flag("--version", CACHELAB_VERSION);
  int code = 0;
  cachelab::cli::add_run(app, code);
  cachelab::cli::add_validate(app, code);
  cachelab::cli::add_keyslot(app, code);
  cachelab::cli::add_knobs(app, code);
  cachelab::cli::add_live(app, code, argv[0]);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : cachelab::cli::kExitBadInput;
  }
  return code;
}
