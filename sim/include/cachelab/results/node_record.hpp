#pragma once
// One entry of summary.json `nodes` (results/README.md), as both modes write it: the run session serialises these
// (run/session.cpp), so the simulator and live mode cannot drift apart in names or types.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab::results {

struct NodeRecord {
  std::string name, role;  // role: master, replica or down
  int slots = 0;
  std::vector<std::pair<int, int>> slot_ranges;  // inclusive [first, last]
  uint64_t keys = 0, used_memory_bytes = 0, maxmemory_bytes = 0, ops = 0, evicted_keys = 0, expired_keys = 0;
  std::optional<double> utilization;                // null when unknown (a real server's busy time is not in INFO)
  nlohmann::json extra = nlohmann::json::object();  // the mode's own fields (sim: repl_offset...; live: redis_version)
};

nlohmann::json to_json(const NodeRecord& n);

// Inclusive ranges of the slots for which `owned(slot)` holds, in slot order.
template <class Owned>
std::vector<std::pair<int, int>> slot_ranges_of(Owned&& owned, int slots = 16384) {
  std::vector<std::pair<int, int>> out;
  int first = -1;
  for (int slot = 0; slot <= slots; ++slot) {
    const bool mine = slot < slots && owned(slot);
    if (mine && first < 0) first = slot;
    if (!mine && first >= 0) {
      out.emplace_back(first, slot - 1);
      first = -1;
    }
  }
  return out;
}

}  // namespace cachelab::results
