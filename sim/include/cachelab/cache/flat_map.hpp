#pragma once
// An open-addressing hash map from 64-bit key numbers to 32-bit entry indices: linear probing, power-of-two
// capacity, load <= 1/2, deletion by backward shift (no tombstones). 16 bytes per bucket and no allocation per
// insert, which keeps per-key state compact (docs/design.md §7).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "cachelab/core/huge_pages.hpp"
#include "cachelab/core/prefetch.hpp"

namespace cachelab {

class FlatMap {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  uint32_t find(uint64_t key) const {
    if (buckets_.empty()) return kNone;
    for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Bucket& b = buckets_[i];
      if (b.value == kNone) return kNone;
      if (b.key == key) return b.value;
    }
  }
  // REQUIRES: key absent.
  void insert(uint64_t key, uint32_t value) {
    if ((size_ + 1) * 2 > buckets_.size()) grow();
    place(key, value);
    ++size_;
  }
  // Returns false when absent.
  bool erase(uint64_t key) {
    if (buckets_.empty()) return false;
    size_t i = slot_of(key);
    for (;; i = (i + 1) & mask_) {
      if (buckets_[i].value == kNone) return false;
      if (buckets_[i].key == key) break;
    }
    // Backward shift: move later members of the probe run into the hole so lookups never stop early.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      if (buckets_[j].value == kNone) break;
      const size_t home = slot_of(buckets_[j].key);
      // j's entry may move to the hole only if the hole lies cyclically in [home, j).
      const bool movable = (j > hole) ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        buckets_[hole] = buckets_[j];
        hole = j;
      }
    }
    buckets_[hole].value = kNone;
    --size_;
    return true;
  }
  // A hint: bring key's home bucket towards the cache ahead of a lookup that comes a little later.
  void prefetch(uint64_t key) const {
    if (!buckets_.empty()) prefetch_line(&buckets_[slot_of(key)]);
  }
  size_t size() const { return size_; }
  size_t bytes() const { return buckets_.size() * sizeof(Bucket); }

 private:
  struct Bucket {
    uint64_t key;
    uint32_t value = kNone;
  };
  static uint64_t mix(uint64_t x) {
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    x *= 0xc4ceb9fe1a85ec53ull;
    return x ^ (x >> 33);
  }
  size_t slot_of(uint64_t key) const { return mix(key) & mask_; }
  void place(uint64_t key, uint32_t value) {
    size_t i = slot_of(key);
    while (buckets_[i].value != kNone) i = (i + 1) & mask_;
    buckets_[i] = Bucket{key, value};
  }
  void grow() {
    HugeVector<Bucket> old;
    old.swap(buckets_);
    buckets_.assign(old.empty() ? 16 : old.size() * 2, Bucket{});
    mask_ = buckets_.size() - 1;
    for (const Bucket& b : old)
      if (b.value != kNone) place(b.key, b.value);
  }

  HugeVector<Bucket> buckets_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace cachelab
