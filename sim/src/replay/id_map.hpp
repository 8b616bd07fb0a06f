#pragma once
// The replay engine's index of resident objects: object id (uint64: the trace's own id, or a dense index) -> handle
// (uint32), private to sim/src/replay. Open addressing with linear probing over 12-byte buckets, sized for a load of
// at most 1/2 of the expected population (the capacity need not be a power of two: a bucket is picked by
// multiplying a 32-bit hash by the capacity, Lemire's fastrange), deletion by backward shift (no tombstones).
// It also remembers each handle's bucket, so the engine erases an evicted handle without knowing its id (no id per
// handle to store, and no probe: the victim's entry is found in one step). ~28 bytes per cached object at the
// expected population, so replay's memory follows the cache, not the trace.
#include <cstdint>
#include <vector>

#include "cachelab/core/prefetch.hpp"

namespace cachelab::replay {

class IdMap {
 public:
  static constexpr uint32_t kEmpty = UINT32_MAX;  // never a handle: marks a free bucket, and what find() misses with

  explicit IdMap(uint64_t expected) {
    rebuild(capacity_for(expected));
    where_.reserve(expected);
  }

  uint32_t find(uint64_t id) const {
    for (uint64_t i = home(id);; i = step(i)) {
      const Bucket& b = buckets_[i];
      if (b.value == kEmpty) return kEmpty;
      if (b.id() == id) return b.value;
    }
  }
  // REQUIRES: id absent, handle not in the map.
  void insert(uint64_t id, uint32_t handle) {
    if (size_ + 1 > limit_) rebuild(cap_ * 2);
    if (handle >= where_.size()) where_.resize(static_cast<size_t>(handle) + 1, 0);
    place(id, handle);
    ++size_;
  }
  // REQUIRES: handle in the map.
  void erase_handle(uint32_t handle) {
    uint64_t hole = where_[handle];
    // Backward shift: move later members of the probe run into the hole so lookups never stop early.
    for (uint64_t j = step(hole);; j = step(j)) {
      if (buckets_[j].value == kEmpty) break;
      const uint64_t h = home(buckets_[j].id());
      // j's entry may move to the hole only if the hole lies cyclically in [h, j).
      const bool movable = j > hole ? (h <= hole || h > j) : (h <= hole && h > j);
      if (movable) {
        buckets_[hole] = buckets_[j];
        where_[buckets_[hole].value] = static_cast<uint32_t>(hole);
        hole = j;
      }
    }
    buckets_[hole].value = kEmpty;
    --size_;
  }
  // Hints ahead of a lookup a few requests later, and ahead of erasing a handle (in two steps: its bucket number,
  // then, once that has arrived, its bucket).
  void prefetch(uint64_t id) const { prefetch_line(&buckets_[home(id)]); }
  void prefetch_where(uint32_t handle) const {
    if (handle < where_.size()) prefetch_line(&where_[handle]);
  }
  void prefetch_bucket_of(uint32_t handle) const {
    if (handle < where_.size()) prefetch_line(&buckets_[where_[handle]]);
  }
  uint64_t size() const { return size_; }
  uint64_t bytes() const { return buckets_.capacity() * sizeof(Bucket) + where_.capacity() * sizeof(uint32_t); }

 private:
  // 12 bytes: the id in two halves keeps the bucket 4-byte aligned without padding.
  struct Bucket {
    uint32_t lo = 0, hi = 0;
    uint32_t value = kEmpty;
    uint64_t id() const { return uint64_t{hi} << 32 | lo; }
  };
  static uint64_t capacity_for(uint64_t n) { return n < 4 ? 8 : n * 2 + 1; }
  // Fibonacci hashing (Knuth's multiplicative method) after folding the high half in: dense indices spread evenly
  // over the high bits that fastrange uses, and ids that differ only above bit 32 still land apart. One multiply.
  static uint32_t mix(uint64_t id) { return static_cast<uint32_t>(((id ^ (id >> 32)) * 0x9e3779b97f4a7c15ull) >> 32); }
  uint64_t home(uint64_t id) const { return (static_cast<uint64_t>(mix(id)) * cap_) >> 32; }
  uint64_t step(uint64_t i) const { return i + 1 == cap_ ? 0 : i + 1; }
  void place(uint64_t id, uint32_t handle) {
    uint64_t i = home(id);
    while (buckets_[i].value != kEmpty) i = step(i);
    buckets_[i] = Bucket{static_cast<uint32_t>(id), static_cast<uint32_t>(id >> 32), handle};
    where_[handle] = static_cast<uint32_t>(i);
  }
  void rebuild(uint64_t cap) {
    std::vector<Bucket> old;
    old.swap(buckets_);
    cap_ = cap;
    limit_ = cap / 2;
    buckets_.assign(cap, Bucket{});
    for (const Bucket& b : old)
      if (b.value != kEmpty) place(b.id(), b.value);
  }

  std::vector<Bucket> buckets_;
  std::vector<uint32_t> where_;  // handle -> its bucket
  uint64_t cap_ = 0, limit_ = 0, size_ = 0;
};

}  // namespace cachelab::replay
