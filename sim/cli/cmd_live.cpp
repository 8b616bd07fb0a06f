// cachelab live ...: live mode lives in the cachelab-live program (it links hiredis, which sim/ must not), built
// next to this one; this subcommand hands its arguments over with execv.
#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "commands.hpp"

namespace cachelab::cli {

static void add_live(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  const std::string argv0 = ctx.argv0;
  auto* cmd = app.add_subcommand("live", "replay a scenario on real Redis (runs cachelab-live)");
  cmd->allow_extras();
  cmd->prefix_command();
  const std::string self = argv0;
  cmd->callback([code_ptr, cmd, self] {
    std::filesystem::path exe = std::filesystem::path(self).parent_path() / "cachelab-live";
    std::error_code ec;
    const auto real = std::filesystem::canonical("/proc/self/exe", ec);
    if (!ec) exe = real.parent_path() / "cachelab-live";
    if (!std::filesystem::exists(exe)) {
      std::cerr << "cachelab live: " << exe.string()
                << " is not there (live mode was not built: configure with -DCACHELAB_LIVE=ON and libhiredis-dev)\n";
      *code_ptr = kExitBadInput;
      return;
    }
    std::vector<std::string> args = cmd->remaining();
    std::vector<char*> argv;
    std::string name = exe.string();
    argv.push_back(name.data());
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(exe.c_str(), argv.data());
    std::cerr << "cachelab live: cannot run " << exe.string() << "\n";
    *code_ptr = kExitFailure;
  });
}

static const Command live_command("live", add_live);

}  // namespace cachelab::cli
