#pragma once
// Key -> hash slot for routing. One implementation in the project: the simulator's (cachelab/protocol/slot_hash.hpp,
// docs/redis-reference.md §1), so live mode and the simulator can never disagree on where a key lives.
#include <cstdint>
#include <string_view>

#include "cachelab/protocol/slot_hash.hpp"

namespace cachelab::live {

inline constexpr int kClusterSlots = cachelab::kClusterSlots;

inline uint16_t crc16_xmodem(std::string_view bytes) { return cachelab::crc16(bytes.data(), bytes.size()); }
inline int key_hash_slot(std::string_view key) { return cachelab::key_hash_slot(key); }

}  // namespace cachelab::live
