#pragma once
// Private to sim/src/replay: turns (key, size, time) records into a Trace with dense object indices.
#include <string_view>
#include <unordered_map>

#include "cachelab/core/rng.hpp"
#include "cachelab/replay/trace.hpp"

namespace cachelab::replay {

class TraceBuilder {
 public:
  TraceBuilder(std::string path, TraceFormat f) {
    t_.path = std::move(path);
    t_.format = f;
  }
  void reserve(size_t n) {
    t_.requests.reserve(n);
    ids_.reserve(n / 2);
  }
  void add(uint64_t key, uint32_t size_bytes, uint32_t time_s, int64_t next_access_vtime = kNeverAgain) {
    auto [it, fresh] = ids_.try_emplace(key, static_cast<uint32_t>(ids_.size()));
    if (fresh) t_.working_set_bytes += size_bytes;
    t_.requests.push_back(Request{it->second, size_bytes, time_s, next_access_vtime});
    t_.requested_bytes += size_bytes;
  }
  // Integer keys are used as they are; anything else is hashed once (FNV-1a 64; a collision would merge two keys,
  // which at 2^-64 per pair we accept).
  static uint64_t key_of(std::string_view text) {
    if (text.empty() || text.size() > 19) return fnv1a64(text);
    uint64_t v = 0;
    for (char c : text) {
      if (c < '0' || c > '9') return fnv1a64(text);
      v = v * 10 + static_cast<uint64_t>(c - '0');
    }
    return v;
  }
  Trace finish(bool has_time) {
    t_.objects = static_cast<uint32_t>(ids_.size());
    t_.has_time = has_time;
    return std::move(t_);
  }

 private:
  Trace t_;
  std::unordered_map<uint64_t, uint32_t> ids_;
};

// Reads a whole file into memory. Throws TraceError.
std::string slurp(const std::string& path);

Trace read_oracle_general(const std::string& path);
Trace read_csv_trace(const std::string& path);
Trace read_txt_trace(const std::string& path);

}  // namespace cachelab::replay
