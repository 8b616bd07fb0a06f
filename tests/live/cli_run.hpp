#pragma once
// Runs the cachelab-live binary (or the cachelab one) with arguments and collects its exit code and output
// (stdout + stderr).
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace cachelab::live {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout + stderr
};

inline CliRun run_binary(const std::string& binary, const std::string& args) {
  CliRun r;
  const std::string cmd = binary + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

inline CliRun run_live(const std::string& args) { return run_binary(CACHELAB_LIVE_BINARY, args); }

// `cachelab compare` compares live and simulated runs alike (cachelab-live has no compare of its own).
inline CliRun run_cachelab(const std::string& args) { return run_binary(CACHELAB_BINARY, args); }

}  // namespace cachelab::live
