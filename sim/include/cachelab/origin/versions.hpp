#pragma once
// The database's version of each key, for counting stale reads (issue 16 part 2). Every write the database applies
// takes the next number of one sequence (a global write counter) as the version of the keys it writes, and the time
// it did; a key never written is at version 0, changed at time 0. A cached value carries the version it was read or
// written at (the simulated Store keeps it per key, live mode writes it into the value's header), so a read can tell
// whether it was served a value older than the database's: `version < current(key)`.
// One sequence rather than a counter per key: an MSET writes one version into all its keys' values, and a value's
// version still orders it against every later write of its key. 32 bits: 4e9 writes per run.
// Only written keys have an entry (a flat map, no allocation per lookup): a read-mostly workload stays cheap.
#include <cstdint>
#include <vector>

#include "cachelab/cache/flat_map.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

class KeyVersions {
 public:
  // The version the database holds for `key` now (0: never written).
  uint32_t current(uint64_t key) const {
    const uint32_t i = index_.find(key);
    return i == FlatMap::kNone ? 0 : recs_[i].version;
  }
  // When the database last changed `key` (time 0 when never written).
  Time changed_at(uint64_t key) const {
    const uint32_t i = index_.find(key);
    return i == FlatMap::kNone ? Time::ns(0) : recs_[i].changed_at;
  }
  // A write of `key_count` consecutive keys from `key` applied at `now`: returns the version they now hold.
  uint32_t write(uint64_t key, uint32_t key_count, Time now) {
    const uint32_t v = ++seq_;
    for (uint32_t k = 0; k < key_count; ++k) {
      uint32_t i = index_.find(key + k);
      if (i == FlatMap::kNone) {
        i = static_cast<uint32_t>(recs_.size());
        recs_.push_back({});
        index_.insert(key + k, i);
      }
      recs_[i] = Rec{v, now};
    }
    return v;
  }
  // The version a read of `key` sees now (the value returned to the application, then filled into the cache).
  uint32_t read(uint64_t key) const { return seq_ == 0 ? 0 : current(key); }
  // Nothing was ever written: no read can be stale (a fast path for read-only runs).
  bool untouched() const { return seq_ == 0; }
  uint32_t writes() const { return seq_; }

 private:
  struct Rec {
    uint32_t version;
    Time changed_at;
  };
  FlatMap index_;
  std::vector<Rec> recs_;
  uint32_t seq_ = 0;
};

}  // namespace cachelab
