#pragma once
// Helpers shared by the unit tests: running the cachelab binary, temporary files, statistics.
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "remove_at_exit.hpp"

namespace cachelab::test {

struct CommandResult {
  int exit_code = -1;
  std::string out;  // stdout and stderr together
};

inline CommandResult run_command(const std::string& cmd) {
  CommandResult r;
  FILE* p = popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

inline std::string cachelab() { return CACHELAB_BINARY; }
inline std::string source_dir() { return CACHELAB_SOURCE_DIR; }

// The bundled public trace lives beside the repository, not in it (2.7 MB): $CACHELAB_TRACE_DIR, then
// ../shared/traces next to the source tree, then the workplace's /work/shared/traces. "" when none has it.
inline std::string bundled_trace(const std::string& file = "cloudPhysicsIO.oracleGeneral.bin") {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("CACHELAB_TRACE_DIR")) dirs.push_back(env);
  dirs.push_back(source_dir() + "/../shared/traces");
  dirs.push_back("/work/shared/traces");
  for (const auto& d : dirs)
    if (std::filesystem::exists(d + "/" + file)) return d + "/" + file;
  return "";
}

// A folder of this test process's own, removed when the process exits (remove_at_exit.hpp).
inline std::filesystem::path temp_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("cachelab-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  std::filesystem::create_directories(d);
  remove_at_exit(d);
  return d;
}

inline std::string write_file(const std::filesystem::path& p, const std::string& text) {
  std::ofstream(p) << text;
  return p.string();
}

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// Kolmogorov-Smirnov statistic of a sample against a CDF.
template <class Cdf>
double ks_statistic(std::vector<double> xs, Cdf cdf) {
  std::sort(xs.begin(), xs.end());
  const double n = static_cast<double>(xs.size());
  double d = 0;
  for (size_t i = 0; i < xs.size(); ++i) {
    const double f = cdf(xs[i]);
    d = std::max({d, f - i / n, (i + 1) / n - f});
  }
  return d;
}
// Critical value of D at significance 0.001 for large n: 1.949 / sqrt(n).
inline double ks_critical_0001(size_t n) { return 1.949 / std::sqrt(static_cast<double>(n)); }

}  // namespace cachelab::test
