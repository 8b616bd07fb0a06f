#pragma once
// Shared by the fuzz targets: the readers under test take a path, so each input is written to a file of the
// process's own (in TMPDIR), with the suffix the reader dispatches on (".zst"), removed when the process exits.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "../unit/remove_at_exit.hpp"

namespace cachelab::fuzz {

inline std::string input_file(const uint8_t* data, size_t size, const char* suffix) {
  const char* dir = std::getenv("TMPDIR");
  const std::string path =
      std::string(dir && *dir ? dir : "/tmp") + "/cachelab-fuzz-" + std::to_string(getpid()) + suffix;
  test::remove_at_exit(path);
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) std::abort();  // the harness, not the code under test, failed
  if (size && std::fwrite(data, 1, size, f) != size) std::abort();
  std::fclose(f);
  return path;
}

}  // namespace cachelab::fuzz
