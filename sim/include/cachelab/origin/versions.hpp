#pragma once
// The database's version of each key, for counting stale reads (issue 16 part 2). Every write the database applies
// takes the next number of one sequence (a global write counter) as the version of the keys it writes, and the time
// it did; a key never written is at version 0, changed at time 0. A cached value carries the version it was read or
// written at (the simulated Store keeps it per key, live mode writes it into the value's header), so a read can tell
// whether it was served a value older than the database's: `version < current(key)`.
// One sequence rather than a counter per key: an MSET writes one version into all its keys' values, and a value's
// version still orders it against every later write of its key. 32 bits: 4e9 writes per run.
// Every cache hit asks for its key's current version, so that lookup must be cheap: key numbers below use_dense()'s
// bound (the workload's key space, up to kMaxDense) are plain arrays (version and time of change, 12 bytes per key,
// allocated at the first write: the popular keys are a few cache lines; a hash map of the written keys was 13% of
// the flagship's run time). Other keys are in a flat map of the written keys.
// The arrays come zeroed from calloc rather than std::vector's value-initialisation: a large calloc takes fresh
// pages from the kernel, already zero, so the 12 MB of the flagship's 1M keys are not memset (that fill was 12M
// instructions, 1% of the flagship) and pages of keys never written are never touched.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <new>
#include <vector>

#include "cachelab/cache/flat_map.hpp"
#include "cachelab/core/prefetch.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

class KeyVersions {
 public:
  static constexpr uint64_t kMaxDense = uint64_t{1} << 24;  // 192 MB at most
  // Keys below `n` (at most kMaxDense) get the array. Call before the first write.
  void use_dense(uint64_t n) { dense_n_ = std::min(n, kMaxDense); }
  // The version the database holds for `key` now (0: never written).
  uint32_t current(uint64_t key) const {
    if (key < dense_n_) return dense_ ? dense_[key] : 0;
    const uint32_t i = index_.find(key);
    return i == FlatMap::kNone ? 0 : recs_[i].version;
  }
  // A hint ahead of current(key) (a GET's reply comes a round trip later).
  void prefetch(uint64_t key) const {
    if (key < dense_n_ && dense_) prefetch_line(&dense_[key]);
  }
  // When the database last changed `key` (time 0 when never written).
  Time changed_at(uint64_t key) const {
    if (key < dense_n_) return Time::ns(dense_ ? dense_changed_ns_[key] : 0);
    const uint32_t i = index_.find(key);
    return i == FlatMap::kNone ? Time::ns(0) : recs_[i].changed_at;
  }
  // A write of `key_count` consecutive keys from `key` applied at `now`: returns the version they now hold.
  uint32_t write(uint64_t key, uint32_t key_count, Time now) {
    const uint32_t v = ++seq_;
    if (dense_n_ > 0 && !dense_) {
      dense_changed_ns_ = zeroed<int64_t>(dense_n_);
      dense_ = zeroed<uint32_t>(dense_n_);
    }
    for (uint32_t k = 0; k < key_count; ++k) {
      if (key + k < dense_n_) {
        dense_[key + k] = v;
        dense_changed_ns_[key + k] = now.nanos();
        continue;
      }
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
  struct Free {
    void operator()(void* p) const { std::free(p); }
  };
  template <class T>
  using Zeroed = std::unique_ptr<T[], Free>;
  template <class T>
  static Zeroed<T> zeroed(uint64_t n) {
    void* p = std::calloc(n, sizeof(T));
    if (!p) throw std::bad_alloc();
    return Zeroed<T>(static_cast<T*>(p));
  }
  uint64_t dense_n_ = 0;
  Zeroed<uint32_t> dense_;            // versions of keys below dense_n_ (null until the first write)
  Zeroed<int64_t> dense_changed_ns_;  // and when they changed (Time's nanoseconds)
  FlatMap index_;
  std::vector<Rec> recs_;
  uint32_t seq_ = 0;
};

}  // namespace cachelab
