#pragma once
// Runs the cachelab-live binary with arguments and collects its exit code and output (stdout + stderr).
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace cachelab::live {

struct CliRun {
  int exit_code = -1;
  std::string output;  // stdout + stderr
};

inline CliRun run_live(const std::string& args) {
  CliRun r;
  const std::string cmd = std::string(CACHELAB_LIVE_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  return r;
}

}  // namespace cachelab::live
