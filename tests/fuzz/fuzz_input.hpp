#pragma once
// Shared by the fuzz targets: the readers under test take a path, so each input is written to a file of the
// process's own (in TMPDIR), with the suffix the reader dispatches on (".zst"), removed when the process exits.
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace cachelab::fuzz {

// The input files this process wrote (one per suffix), removed when it exits.
inline std::vector<std::string>& input_files_made() {
  static std::vector<std::string> paths;
  return paths;
}

inline void remove_input_files_made() {
  for (const auto& p : input_files_made()) std::remove(p.c_str());
}

inline std::string input_file(const uint8_t* data, size_t size, const char* suffix) {
  const char* dir = std::getenv("TMPDIR");
  const std::string path =
      std::string(dir && *dir ? dir : "/tmp") + "/cachelab-fuzz-" + std::to_string(getpid()) + suffix;
  auto& made = input_files_made();  // constructed before the handler is registered, so destroyed after it runs
  static const bool registered = std::atexit(remove_input_files_made) == 0;
  (void)registered;
  if (std::find(made.begin(), made.end(), path) == made.end()) made.push_back(path);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();  // the harness, not the code under test, failed
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace cachelab::fuzz
