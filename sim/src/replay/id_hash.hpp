#pragma once
// Private to sim/src/replay: what the open-addressing id tables (DenseIds, IdSet) share. Power-of-two capacity at
// load <= 1/2, and murmur3's 64-bit finalizer as the hash: trace ids may be sequential, strided or already random;
// all spread evenly.
#include <cstdint>

namespace cachelab::replay {

inline uint64_t id_table_capacity(uint64_t expected) {
  uint64_t c = 16;
  while (c < expected * 2) c *= 2;
  return c;
}

inline uint64_t mix_id(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdull;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ull;
  return x ^ (x >> 33);
}

}  // namespace cachelab::replay
