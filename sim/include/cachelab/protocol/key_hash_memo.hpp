#pragma once
#include <algorithm>
#include <cstdint>
#include <string_view>

#include "cachelab/core/huge_pages.hpp"
#include "cachelab/core/prefetch.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

// A key's hash slot (and, for client-side sharding, its 32-bit ketama hash) never changes, so each is computed
// once per key number and memoised (2 + 4 bytes per key up to kKeys keys; beyond that recomputed). Shared by the
// router and the hot-slot counters (metrics/hotspots.hpp), so a key is hashed once per run.
class KeyHashMemo {
 public:
  static constexpr uint64_t kKeys = uint64_t{1} << 24;
  // A client-side sharding ring's hash of a key name (client/sharding.hpp: ketama_hash).
  using RingHash = uint32_t (*)(std::string_view key);
  // `ring_hash` null: no ring hashes (cluster routing).
  KeyHashMemo(const KeyNamer& namer, uint64_t keys, RingHash ring_hash)
      : namer_(namer),
        ring_hash_(ring_hash),
        slot_of_(std::min(keys, kKeys), kUnknownSlot),
        hash_of_(ring_hash ? std::min(keys, kKeys) : 0, kUnknownHash) {}
  uint16_t slot(uint64_t key) {
    if (key >= slot_of_.size()) return static_cast<uint16_t>(namer_.slot(key));
    uint16_t& s = slot_of_[key];
    if (s == kUnknownSlot) s = static_cast<uint16_t>(namer_.slot(key));
    return s;
  }
  uint32_t ring_hash(uint64_t key) {
    if (key >= hash_of_.size()) return compute_hash(key);
    uint32_t& h = hash_of_[key];
    if (h == kUnknownHash) h = compute_hash(key);  // a key whose hash is the sentinel is just recomputed each time
    return h;
  }
  void prefetch(uint64_t key) const {
    if (key < slot_of_.size()) prefetch_line(&slot_of_[key]);
    if (key < hash_of_.size()) prefetch_line(&hash_of_[key]);
  }

 private:
  static constexpr uint16_t kUnknownSlot = 0xFFFF;
  static constexpr uint32_t kUnknownHash = 0xFFFFFFFF;
  uint32_t compute_hash(uint64_t key) const {
    char buf[96];
    return ring_hash_(std::string_view(buf, namer_.format(key, buf)));
  }
  const KeyNamer& namer_;
  RingHash ring_hash_;
  HugeVector<uint16_t> slot_of_;
  HugeVector<uint32_t> hash_of_;
};

}  // namespace cachelab
