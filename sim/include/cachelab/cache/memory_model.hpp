#pragma once
// used_memory as Redis 7.0 with jemalloc 5.3 accounts it (docs/redis-reference.md §7.8): every allocation counts its
// jemalloc usable size (size class), per key: the dictEntry (+16 B slot-list metadata in cluster mode), the key sds,
// the value object (embstr up to 44 bytes, else robj + raw sds), an expires entry for keys with a TTL, and the
// bucket arrays of the main and expires dicts (8 B x a power of two >= the number of keys).
// Also: a dict's bucket array as state (DictTable): it doubles only when Redis 7.0 allows it (server.c
// dictExpandAllowed: not while the new array would push used_memory over maxmemory, unless the load factor is above
// 1.618), keeps the old array while it rehashes incrementally, and shrinks in the cron below 10 % fill.
// Client connections and the replication backlog are fixed amounts per node (StoreConfig).
#include <cstddef>
#include <cstdint>
#include <utility>

namespace cachelab::memory {

// jemalloc 5.3 small/large size classes on x86-64: 8, then multiples of 16 up to 128, then 4 classes per doubling.
size_t jemalloc_usable(size_t request);

// sds allocation for a string of `len` bytes (sds.c sdsReqType: header 1/3/5/9 bytes, + len + NUL).
size_t sds_bytes(size_t len);

// Bytes one key costs beyond the bucket arrays.
size_t per_key_bytes(size_t key_len, size_t value_len, bool has_ttl, bool cluster_mode);

// The bucket array of a dict holding `used` entries: dictExpand doubles when used >= size, from 4.
size_t dict_table_bytes(size_t used);

// The dictEntry alone (+ cluster metadata), i.e. what a key costs beyond its key sds and value.
size_t dict_entry_bytes(bool cluster_mode);

// used_memory of an empty server: used_memory_startup measured on 7.0.15 (docs/redis-reference.md §7.8 "≈0.88 MB
// standalone / 1.6 MB cluster"; the exact figures, 876,400 and 1,600,224 bytes, were read from INFO memory of a
// fresh 7.0.15 here; cluster mode includes the 256 KB slots_to_keys array).
size_t startup_bytes(bool cluster_mode);

// One busy normal client connection (mem_clients_normal): the client struct, its 16 KB reply buffer and its query
// buffer. 22,272 bytes measured on 7.0.15 for one connection sending SETs of 200-byte values, the setup of the 20mb
// check (docs/toolchain.md §4); an idle connection shrinks to ~7.5 KB once clientsCron resizes its buffers.
constexpr size_t kClientConnectionBytes = 22272;

// repl-backlog-size default (docs/redis-reference.md §0): allocated on a node with replicas, counted in used_memory.
constexpr size_t kReplBacklogBytes = 1048576;

// The bucket array(s) of one Redis dict (dict.c, 7.0): a power-of-two table of 8-byte pointers, two while an
// incremental rehash is in progress.
class DictTable {
 public:
  // _dictExpandIfNeeded, before adding an entry to a dict holding `used`: from empty to 4 buckets; doubles when
  // used >= size and `allowed(more_bytes, used / size)` (the dict type's expandAllowed). No-op while rehashing.
  template <class Allowed>
  void before_add(size_t used, Allowed allowed) {
    if (old_size_) return;
    if (size_ == 0) return start(4, 0);
    if (used < size_) return;
    const uint64_t next = size_ * 2;  // dictExpand(used + 1): the next power of two >= used + 1
    if (!allowed(next * 8, static_cast<double>(used) / static_cast<double>(size_))) return;
    start(next, used);
  }
  // One _dictRehashStep (every lookup, add, delete and sample on the dict does one): moves one non-empty bucket.
  void step(uint64_t n = 1) {
    if (!old_size_) return;
    steps_ += n;
    rehash_left_ = rehash_left_ > n ? rehash_left_ - n : 0;
    if (rehash_left_ == 0) old_size_ = 0;  // ht[0] freed when its last entry moved
  }
  // databasesCron (server.c): tryResizeHashTables shrinks a table under 10 % fill (HASHTABLE_MIN_FILL) to the
  // next power of two >= used (min 4), then incrementallyRehash works for 1 ms, modelled as `cron_buckets` steps.
  void cron(size_t used, uint64_t cron_buckets) {
    if (!old_size_ && size_ > 4 && used * 100 / size_ < 10) {
      uint64_t target = 4;
      while (target < used) target *= 2;
      start(target, used);
    }
    step(cron_buckets);
  }
  // Everything dropped (FLUSHALL / a fresh replica): dictEmpty frees both arrays.
  void reset() { size_ = old_size_ = rehash_left_ = steps_ = 0; }
  uint64_t buckets() const { return size_; }
  bool rehashing() const { return old_size_ != 0; }
  // The rehash steps asked for since the last call (the Store replays them on its bucket chains, DictChains).
  uint64_t take_steps() { return std::exchange(steps_, 0); }
  size_t bytes() const { return static_cast<size_t>((size_ + old_size_) * 8); }

 private:
  void start(uint64_t new_size, size_t used);
  uint64_t size_ = 0, old_size_ = 0, rehash_left_ = 0;
  uint64_t steps_ = 0;
};

}  // namespace cachelab::memory
