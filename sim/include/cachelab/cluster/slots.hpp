#pragma once
// Hash slots exactly as Redis 7.0 (docs/redis-reference.md §1): a key's slot (protocol/slot_hash.hpp) and the slot
// split of `redis-cli --cluster create` (§1.4), float arithmetic included.
#include <utility>
#include <vector>

#include "cachelab/protocol/slot_hash.hpp"

namespace cachelab {

// The slot ranges redis-cli assigns to `masters` masters, [first, last] inclusive, in master order.
// REQUIRES: masters >= 1 (redis-cli itself refuses fewer than 3; the simulator allows 1 and 2).
std::vector<std::pair<int, int>> redis_cli_slot_ranges(int masters);

}  // namespace cachelab
