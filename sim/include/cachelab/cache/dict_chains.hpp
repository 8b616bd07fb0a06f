#pragma once
// The bucket layout of one Redis dict, kept so eviction can sample keys the way Redis does (dict.c, 7.0;
// docs/redis-reference.md §7.5): a key sits in bucket hash(key) & (size - 1) of a power-of-two table, each bucket a
// singly linked chain with the newest key first (dictAddRaw links new entries at the head). While the dict
// rehashes there are two tables, as in Redis: ht[0] (the old one) keeps the buckets from rehashidx on, ht[1] (the
// new one) receives the moved buckets and every key added meanwhile; each rehash step moves the next non-empty
// bucket of ht[0] (dictRehash). dictGetSomeKeys and dictGetRandomKey read both tables.
// Compact: one 4-byte chain head per bucket here (both tables while rehashing), and the chain's next link is 4
// bytes in the key's own entry (passed in as `next`, a callable returning a reference to an entry's link), so
// walking consecutive buckets touches a small contiguous array plus the entries the walk returns.
// Which buckets are moved when follows Redis's rule (dictRehash: one non-empty bucket per _dictRehashStep, at most
// 10 empty buckets visited per step); how many steps happen is the Store's DictTable's to say (the Store replays
// them here before each chain operation, and ends the chains' rehash when the DictTable's ends).
#include <cstdint>
#include <utility>
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

  // Empties the dict and sizes it to `buckets` (a power of two, or 0), with no rehash in progress. Fresh vectors,
  // so a shrink frees memory as Redis frees the old table.
  void reset(uint64_t buckets) {
    ht_[0] = std::vector<uint32_t>(buckets, kNone);
    ht_[1] = std::vector<uint32_t>();
    used_[0] = used_[1] = 0;
    rehashidx_ = -1;
  }
  // The table new keys go to: the new one while rehashing (what DictTable::buckets() reports).
  uint64_t buckets() const { return ht_[rehashing() ? 1 : 0].size(); }
  bool rehashing() const { return rehashidx_ >= 0; }
  int64_t rehash_index() const { return rehashidx_; }
  // Table 0 (the old one while rehashing) or 1.
  uint64_t table_size(int table) const { return ht_[table].size(); }
  uint32_t head(int table, uint64_t bucket) const { return ht_[table][bucket]; }
  uint64_t used(int table) const { return used_[table]; }
  // The bucket of `key` in the table new keys go to.
  uint64_t bucket_of(uint64_t key) const { return hash(key) & (buckets() - 1); }
  uint32_t head(uint64_t bucket) const { return ht_[rehashing() ? 1 : 0][bucket]; }
  size_t bytes() const { return (ht_[0].capacity() + ht_[1].capacity()) * sizeof(uint32_t); }

  // _dictExpand to `buckets` (a power of two): a rehash from the current table, or, when the current table holds
  // nothing, a plain replacement (dict.c: "it's not really a rehashing"). REQUIRES: not rehashing.
  void start_rehash(uint64_t buckets) {
    if (used_[0] == 0) return reset(buckets);
    ht_[1] = std::vector<uint32_t>(buckets, kNone);
    used_[1] = 0;
    rehashidx_ = 0;
  }

  // dictAddRaw: the new entry goes to the head of its bucket's chain, in the new table while rehashing.
  // REQUIRES: buckets() > 0.
  template <class Next>
  void link(uint64_t key, uint32_t idx, Next&& next) {
    const int t = rehashing() ? 1 : 0;
    uint32_t& h = ht_[t][hash(key) & (ht_[t].size() - 1)];
    next(idx) = h;
    h = idx;
    ++used_[t];
  }
  // dictGenericDelete: looks in ht[0], then in ht[1] while rehashing. REQUIRES: idx is linked under key.
  template <class Next>
  void unlink(uint64_t key, uint32_t idx, Next&& next) {
    for (int t = 0; t <= (rehashing() ? 1 : 0); ++t) {
      if (ht_[t].empty()) continue;
      uint32_t* p = &ht_[t][hash(key) & (ht_[t].size() - 1)];
      while (*p != kNone && *p != idx) p = &next(*p);
      if (*p == idx) {
        *p = next(idx);
        --used_[t];
        return;
      }
    }
  }

  // dictRehash(d, n) (dict.c, 7.0): moves up to n non-empty buckets of ht[0] to ht[1], visiting at most n*10 empty
  // ones; each entry goes to the head of its new bucket (so a moved chain's order reverses). When ht[0] holds no
  // more entries, ht[1] becomes ht[0].
  // `key_of(idx)` gives an entry's key (to find its bucket in the new table).
  template <class Next, class KeyOf>
  void rehash(int n, Next&& next, KeyOf&& key_of) {
    if (!rehashing()) return;
    int empty_visits = n * 10;
    const uint64_t mask1 = ht_[1].size() - 1;
    while (n-- && used_[0] != 0) {
      while (ht_[0][static_cast<uint64_t>(rehashidx_)] == kNone) {
        ++rehashidx_;
        if (--empty_visits == 0) return;
      }
      uint32_t e = ht_[0][static_cast<uint64_t>(rehashidx_)];
      while (e != kNone) {
        const uint32_t nxt = next(e);
        uint32_t& h = ht_[1][hash(key_of(e)) & mask1];
        next(e) = h;
        h = e;
        --used_[0];
        ++used_[1];
        e = nxt;
      }
      ht_[0][static_cast<uint64_t>(rehashidx_)] = kNone;
      ++rehashidx_;
    }
    if (used_[0] == 0) {
      ht_[0] = std::move(ht_[1]);
      ht_[1] = std::vector<uint32_t>();
      used_[0] = used_[1];
      used_[1] = 0;
      rehashidx_ = -1;
    }
  }
  // `steps` calls of _dictRehashStep (dictRehash(d, 1) each), stopping when the rehash completes.
  template <class Next, class KeyOf>
  void rehash_steps(uint64_t steps, Next&& next, KeyOf&& key_of) {
    for (; steps > 0 && rehashing(); --steps) rehash(1, next, key_of);
  }
  template <class Next, class KeyOf>
  void finish_rehash(Next&& next, KeyOf&& key_of) {
    while (rehashing()) rehash(1 << 20, next, key_of);
  }

  // What one walk did, for tests: the index at the start of every step, the steps after which it jumped, and every
  // (table, bucket) it read.
  struct Trace {
    std::vector<uint64_t> visited;
    std::vector<size_t> jumps;  // step numbers (0-based) whose empty run triggered a jump
    std::vector<std::pair<int, uint64_t>> probes;
  };

  // dictGetSomeKeys (dict.c, Redis 7.0): start at a random index of the larger table, walk consecutive indexes,
  // and at each index read ht[0] (skipped below rehashidx, where it is empty; when that index is beyond the
  // smaller new table of a shrink, the walk jumps to rehashidx) and then ht[1] while rehashing, taking every key of
  // each chain in chain order until `count` keys are taken (the last chain may be cut short), for at most
  // count*10 steps; a run of empty buckets with emptylen >= 5 && emptylen > count jumps to a new random index
  // (then, as in Redis, the index still advances by one). `count` must already be min(count, dict size), as
  // dictGetSomeKeys clamps it, and the caller has done its rehash steps. Appends to out; returns the keys taken
  // (may be < count on a sparse table, and a walk that wraps around may take a key twice, as Redis's can).
  // 7.0.0-7.0.11 return as soon as `count` keys are taken, as this does; 7.0.12 and later (7.0.15 included,
  // redis/redis 25f610fc2) read the rest of that chain with reservoir sampling (docs/redis-reference.md §7.5): not
  // modelled here.
  template <class Next>
  size_t get_some(size_t count, Rng& rng, Next&& next, std::vector<uint32_t>& out, Trace* trace = nullptr) const {
    if (count == 0 || ht_[0].empty()) return 0;
    const int tables = rehashing() ? 2 : 1;
    uint64_t maxsizemask = ht_[0].size() - 1;
    if (tables > 1 && maxsizemask < ht_[1].size() - 1) maxsizemask = ht_[1].size() - 1;
    size_t stored = 0, emptylen = 0;
    uint64_t maxsteps = static_cast<uint64_t>(count) * 10;
    uint64_t i = rng.next_u64() & maxsizemask;
    for (size_t step = 0; stored < count && maxsteps-- > 0; ++step) {
      if (trace) trace->visited.push_back(i);
      for (int j = 0; j < tables; ++j) {
        if (tables == 2 && j == 0 && i < static_cast<uint64_t>(rehashidx_)) {
          if (i >= ht_[1].size())
            i = static_cast<uint64_t>(rehashidx_);
          else
            continue;
        }
        if (i >= ht_[j].size()) continue;
        if (trace) trace->probes.emplace_back(j, i);
        uint32_t e = ht_[j][i];
        if (e == kNone) {
          ++emptylen;
          if (emptylen >= 5 && emptylen > count) {
            i = rng.next_u64() & maxsizemask;
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
      }
      i = (i + 1) & maxsizemask;
    }
    return stored;
  }

  // dictGetRandomKey (dict.c, Redis 7.0): a random non-empty bucket (while rehashing, an index drawn over
  // [rehashidx, |ht0| + |ht1|), mapped to ht[0] below |ht0| and to ht[1] above), then a random entry of its chain.
  // A key's chance is 1 / (non-empty buckets x its chain's length), not 1 / keys. REQUIRES: at least one entry,
  // and the caller has done its rehash step.
  template <class Next>
  uint32_t get_random(Rng& rng, Next&& next) const {
    uint32_t he;
    if (rehashing()) {
      const uint64_t s0 = ht_[0].size();
      const uint64_t span = s0 + ht_[1].size() - static_cast<uint64_t>(rehashidx_);
      do {
        const uint64_t h = static_cast<uint64_t>(rehashidx_) + rng.next_u64() % span;
        he = h >= s0 ? ht_[1][h - s0] : ht_[0][h];
      } while (he == kNone);
    } else {
      const uint64_t m = ht_[0].size() - 1;
      do {
        he = ht_[0][rng.next_u64() & m];
      } while (he == kNone);
    }
    uint64_t listlen = 0;
    for (uint32_t e = he; e != kNone; e = next(e)) ++listlen;
    for (uint64_t k = rng.next_u64() % listlen; k > 0; --k) he = next(he);
    return he;
  }

 private:
  std::vector<uint32_t> ht_[2];
  uint64_t used_[2] = {0, 0};
  int64_t rehashidx_ = -1;
};

}  // namespace cachelab
