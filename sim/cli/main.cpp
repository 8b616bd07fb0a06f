// cachelab: the command line (docs/design.md §6). Subcommands live in cmd_*.cpp and register themselves.
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cachelab/io/text.hpp"
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
  } catch (const std::bad_alloc&) {
    std::cerr << "cachelab: out of memory\n";
    return kExitFailure;
  } catch (const std::exception& e) {
    // A bug (every input error has its own message and exit 2), but a message beats an abort and a core dump.
    std::cerr << "cachelab: internal error: " << cachelab::io::printable(e.what(), 2000) << "\n";
    return kExitFailure;
  }
  // A result printed to a full disk or a closed pipe is a result lost: say so and fail (issue 21: /dev/full).
  std::cout.flush();
  const bool stdout_failed = !std::cout || std::fflush(stdout) != 0 || std::ferror(stdout);
  if (stdout_failed) {
    std::cerr << "cachelab: error writing the standard output\n";
    if (code == kExitOk || code == kExitSloFailed || code == kExitNoPlan) return kExitFailure;
  }
  return code;
}
