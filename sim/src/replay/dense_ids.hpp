#pragma once
// Private to sim/src/replay: numbers a trace's 64-bit object ids 0, 1, 2, ... in order of first appearance, with one
// probe per request. Open addressing (linear probing, power-of-two capacity, load <= 1/2, 16-byte buckets in huge
// pages), sized to the trace's distinct objects: ~32 bytes per object. Used by the working-set pass (scan_trace) and
// by the policies whose results depend on id values (replay_file: Belady's tie-break, the Redis policies' dict).
#include <cstdint>

#include "cachelab/core/huge_pages.hpp"
#include "cachelab/core/prefetch.hpp"
#include "id_hash.hpp"

namespace cachelab::replay {

class DenseIds {
 public:
  explicit DenseIds(uint64_t expected = 1 << 16) { rebuild(id_table_capacity(expected)); }

  // The id's number; `fresh` tells whether it was seen now for the first time.
  uint32_t number(uint64_t id, bool& fresh) {
    for (uint64_t i = home(id);; i = (i + 1) & mask_) {
      Bucket& b = buckets_[i];
      if (b.value == kNone) {
        if ((size_ + 1) * 2 > buckets_.size()) {
          rebuild(buckets_.size() * 2);
          return number(id, fresh);
        }
        b = Bucket{id, static_cast<uint32_t>(size_++)};
        fresh = true;
        return b.value;
      }
      if (b.key == id) {
        fresh = false;
        return b.value;
      }
    }
  }
  // A hint a few requests ahead of number(id).
  void prefetch(uint64_t id) const { prefetch_line(&buckets_[home(id)]); }
  uint64_t size() const { return size_; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  struct Bucket {
    uint64_t key = 0;
    uint32_t value = kNone;
  };
  uint64_t home(uint64_t id) const { return mix_id(id) & mask_; }
  void rebuild(uint64_t cap) {
    HugeVector<Bucket> old;
    old.swap(buckets_);
    buckets_.assign(cap, Bucket{});
    mask_ = cap - 1;
    for (const Bucket& b : old) {
      if (b.value == kNone) continue;
      uint64_t i = home(b.key);
      while (buckets_[i].value != kNone) i = (i + 1) & mask_;
      buckets_[i] = b;
    }
  }

  HugeVector<Bucket> buckets_;
  uint64_t mask_ = 0, size_ = 0;
};

}  // namespace cachelab::replay
