#pragma once
// A key's hash slot exactly as Redis 7.0 (docs/redis-reference.md §1): CRC16/XMODEM of the key, or of its hash tag,
// mod 16384. Part of the protocol: every cluster client and node computes it alike.
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace cachelab {

constexpr int kClusterSlots = 16384;  // CLUSTER_SLOTS, cluster.h:8

// CRC16/XMODEM (poly 0x1021, init 0, no reflection): crc16.c:82. crc16("123456789") = 0x31C3.
uint16_t crc16(const char* buf, size_t len);

// keyHashSlot (cluster.c:939): only the first '{' counts; the tag ends at the first '}' after it; an empty tag
// hashes the whole key. Binary-safe.
int key_hash_slot(std::string_view key);

}  // namespace cachelab
