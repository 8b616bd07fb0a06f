#include "cachelab/cluster/slots.hpp"

#include <cmath>

namespace cachelab {

std::vector<std::pair<int, int>> redis_cli_slot_ranges(int masters) {
  // redis-cli.c:6205-6223 computes in C float; doing the same in float reproduces its boundaries.
  std::vector<std::pair<int, int>> out;
  const float slots_per_node = static_cast<float>(kClusterSlots) / static_cast<float>(masters);
  long first = 0;
  float cursor = 0.0f;
  for (int i = 0; i < masters; ++i) {
    long last = std::lround(cursor + slots_per_node - 1);
    if (last > kClusterSlots || i == masters - 1) last = kClusterSlots - 1;
    if (last < first) last = first;
    out.emplace_back(static_cast<int>(first), static_cast<int>(last));
    first = last + 1;
    cursor += slots_per_node;
  }
  return out;
}

}  // namespace cachelab
