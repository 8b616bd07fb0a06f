#pragma once
// The slots a node owns as summary.json's `slot_ranges` hold them (results/README.md), for both modes.
#include <utility>
#include <vector>

namespace cachelab::results {

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
