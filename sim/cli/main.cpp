// cachelab: the command line (design.md "Command line"). Subcommands live in cmd_*.cpp and register themselves.
#include <algorithm>
#include <iostream>

#include "commands.hpp"

namespace cachelab::cli {
std::vector<std::pair<std::string, AddCommand>>& commands() {
  static std::vector<std::pair<std::string, AddCommand>> list;
  return list;
}
}  // namespace cachelab::cli

int main(int argc, char** argv) {
  using namespace cachelab::cli;
  CLI::App app{"cachelab " CACHELAB_VERSION ": simulate cache clusters, replay on real Redis, compare"};
  app.require_subcommand(1);
  app.set_version_flag("--version", CACHELAB_VERSION);
  int code = 0;
  Context ctx{code, argv[0]};
  auto list = commands();
  std::sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [name, add] : list) add(app, ctx);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : kExitBadInput;
  }
  return code;
}
