#pragma once
// Paths a test or fuzz process made for itself (temporary folders, fuzz input files), removed when it exits: each
// test and each fuzz target runs in a process of its own, and a CI machine should not collect one folder or file
// per process per run (stop 31 found ~900 left in /tmp). Header-only: the fuzz targets include it without the unit
// tests' helpers.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <system_error>
#include <vector>

namespace cachelab::test {

inline std::vector<std::filesystem::path>& paths_to_remove_at_exit() {
  static std::vector<std::filesystem::path> paths;
  return paths;
}

inline void remove_paths_at_exit() {
  std::error_code ec;  // a path already gone, or not removable, is no reason to fail the process's exit
  for (const auto& p : paths_to_remove_at_exit()) std::filesystem::remove_all(p, ec);
}

// Registers `p` (a file or a folder, removed with all it holds) once; the handler is registered on the first call.
inline void remove_at_exit(const std::filesystem::path& p) {
  auto& paths = paths_to_remove_at_exit();  // constructed before the handler is registered, so destroyed after it
  static const bool registered = std::atexit(remove_paths_at_exit) == 0;
  (void)registered;
  if (std::find(paths.begin(), paths.end(), p) == paths.end()) paths.push_back(p);
}

}  // namespace cachelab::test
