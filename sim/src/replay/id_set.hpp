#pragma once
// Private to sim/src/replay: the set of object ids seen so far, for the working-set pass (scan_trace). Keys only
// (8-byte buckets: half DenseIds' footprint, so fewer cache misses on a table as large as the trace's objects),
// open addressing with linear probing, power-of-two capacity, load <= 1/2, in huge pages. Bucket value 0 marks a
// free bucket; id 0 itself is remembered by a flag.
#include <cstdint>

#include "cachelab/core/huge_pages.hpp"
#include "cachelab/core/prefetch.hpp"
#include "id_hash.hpp"

namespace cachelab::replay {

class IdSet {
 public:
  explicit IdSet(uint64_t expected = 1 << 16) { rebuild(id_table_capacity(expected)); }

  // True when id was not in the set (it is now).
  bool insert(uint64_t id) {
    if (id == 0) {
      const bool fresh = !has_zero_;
      has_zero_ = true;
      size_ += fresh;
      return fresh;
    }
    for (uint64_t i = home(id);; i = (i + 1) & mask_) {
      if (keys_[i] == id) return false;
      if (keys_[i] == 0) {
        if ((size_ + 1) * 2 > keys_.size()) {
          rebuild(keys_.size() * 2);
          return insert(id);
        }
        keys_[i] = id;
        ++size_;
        return true;
      }
    }
  }
  void prefetch(uint64_t id) const { prefetch_line(&keys_[home(id)]); }
  uint64_t size() const { return size_; }

 private:
  uint64_t home(uint64_t id) const { return mix_id(id) & mask_; }
  void rebuild(uint64_t cap) {
    HugeVector<uint64_t> old;
    old.swap(keys_);
    keys_.assign(cap, 0);
    mask_ = cap - 1;
    for (const uint64_t k : old) {
      if (k == 0) continue;
      uint64_t i = home(k);
      while (keys_[i] != 0) i = (i + 1) & mask_;
      keys_[i] = k;
    }
  }

  HugeVector<uint64_t> keys_;
  uint64_t mask_ = 0, size_ = 0;
  bool has_zero_ = false;
};

}  // namespace cachelab::replay
