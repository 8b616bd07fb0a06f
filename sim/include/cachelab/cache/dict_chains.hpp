#pragma once
// The bucket layout of one Redis dict, kept so eviction can sample keys the way Redis does (dict.c, 7.0,
// dictGetSomeKeys; ref. redis-cluster.md §7.5): a key sits in bucket hash(key) & (size - 1) of a power-of-two
// table, each bucket a singly linked chain with the newest key first (dictAddRaw links new entries at the head).
// Compact: one 4-byte chain head per bucket here, and the chain's next link is 4 bytes in the key's own entry
// (passed in as `next`, a callable returning a reference to an entry's link), so walking consecutive buckets
// touches a small contiguous array plus the entries the walk returns.
//
// What is not modelled: while Redis rehashes it has two tables and the walk visits index i in both; here the
// chains always follow the newer table's size (the store rebuilds them when the DictTable changes size). The model
// rehashes within one or a few crons, so the difference lasts briefly after each doubling or shrink.
#include <cstdint>
#include <vector>

#include "cachelab/core/rng.hpp"

namespace cachelab {

class DictChains {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  // Redis hashes the key bytes with SipHash; the simulator's keys are numbers, often dense (0..N-1 in replay), so
  // they are scrambled by a strong 64-bit finalizer (MurmurHash3 fmix64 constants, unlike FlatMap's, so the two
  // layouts are unrelated).
  static uint64_t hash(uint64_t key) {
    key ^= key >> 30;
    key *= 0xbf58476d1ce4e5b9ull;
    key ^= key >> 27;
    key *= 0x94d049bb133111ebull;
    return key ^ (key >> 31);
  }

  // Empties the table and sizes it to `buckets` (a power of two, or 0). A fresh vector, so a shrink frees memory as
  // Redis frees the old table.
  void reset(uint64_t buckets) {
    head_ = std::vector<uint32_t>(buckets, kNone);
    mask_ = buckets ? buckets - 1 : 0;
  }
  uint64_t buckets() const { return head_.size(); }
  uint64_t bucket_of(uint64_t key) const { return hash(key) & mask_; }
  uint32_t head(uint64_t bucket) const { return head_[bucket]; }
  size_t bytes() const { return head_.capacity() * sizeof(uint32_t); }

  // dictAddRaw: the new entry goes to the head of its bucket's chain. REQUIRES: buckets() > 0.
  template <class Next>
  void link(uint64_t key, uint32_t idx, Next&& next) {
    uint32_t& h = head_[bucket_of(key)];
    next(idx) = h;
    h = idx;
  }
  // REQUIRES: idx is linked under key.
  template <class Next>
  void unlink(uint64_t key, uint32_t idx, Next&& next) {
    uint32_t* p = &head_[bucket_of(key)];
    while (*p != idx) p = &next(*p);
    *p = next(idx);
  }

  // What one walk did, for tests: the bucket index of every step, and the steps after which it jumped.
  struct Trace {
    std::vector<uint64_t> visited;
    std::vector<size_t> jumps;  // step numbers (0-based) whose empty run triggered a jump
  };

  // dictGetSomeKeys (dict.c, Redis 7.0), on one table: start at a random bucket, walk consecutive buckets taking
  // every key of each chain in chain order until `count` keys are taken (the last chain may be cut short), for at
  // most count*10 steps; a run of empty buckets with emptylen >= 5 && emptylen > count jumps to a new random
  // index (then, as in Redis, the index still advances by one). `count` must already be min(count, dict size), as
  // dictGetSomeKeys clamps it. Appends to out; returns the keys taken (may be < count on a sparse table, and a
  // walk that wraps around may take a key twice, as Redis's can).
  template <class Next>
  size_t get_some(size_t count, Rng& rng, Next&& next, std::vector<uint32_t>& out, Trace* trace = nullptr) const {
    if (count == 0 || head_.empty()) return 0;
    size_t stored = 0, emptylen = 0;
    uint64_t maxsteps = static_cast<uint64_t>(count) * 10;
    uint64_t i = rng.next_u64() & mask_;
    for (size_t step = 0; stored < count && maxsteps-- > 0; ++step) {
      if (trace) trace->visited.push_back(i);
      uint32_t e = head_[i];
      if (e == kNone) {
        ++emptylen;
        if (emptylen >= 5 && emptylen > count) {
          i = rng.next_u64() & mask_;
          emptylen = 0;
          if (trace) trace->jumps.push_back(step);
        }
      } else {
        emptylen = 0;
        for (; e != kNone; e = next(e)) {
          out.push_back(e);
          if (++stored == count) return stored;
        }
      }
      i = (i + 1) & mask_;
    }
    return stored;
  }

 private:
  std::vector<uint32_t> head_;
  uint64_t mask_ = 0;
};

}  // namespace cachelab
