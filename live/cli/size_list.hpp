#pragma once
// A comma-separated list of positive integers on the command line (`--check 1000,100000`, `--keys 10000,100000`):
// digits only (no sign, space or suffix), each in 1..max, at most max_count of them. One parser for every such option.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cachelab::live::cli {

inline std::optional<std::vector<uint64_t>> parse_size_list(const std::string& text, uint64_t max, size_t max_count) {
  std::vector<uint64_t> out;
  uint64_t v = 0;
  bool digits = false;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ',') {
      if (!digits || v == 0 || out.size() == max_count) return std::nullopt;
      out.push_back(v);
      v = 0;
      digits = false;
      continue;
    }
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    v = v * 10 + static_cast<uint64_t>(text[i] - '0');
    if (v > max) return std::nullopt;  // also stops an overflow: max is far below 2^64 / 10
    digits = true;
  }
  return out;
}

}  // namespace cachelab::live::cli
