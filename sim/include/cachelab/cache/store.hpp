#pragma once
// One node's keyspace: keys, values' sizes, TTLs, used_memory as Redis accounts it, and eviction before each command
// while over maxmemory (docs/redis-reference.md §7.2-7.4) through a pluggable EvictionPolicy. Values themselves are not
// stored, only their sizes: the simulator needs what Redis would do, not the bytes.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/cache/dict_chains.hpp"
#include "cachelab/cache/flat_map.hpp"
#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store_config.hpp"
#include "cachelab/core/huge_pages.hpp"
#include "cachelab/core/prefetch.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/core/time.hpp"

namespace cachelab {

class EvictionPolicy;

// Told when the store deletes a key by itself (eviction, expiry): a master propagates these as DELs to its
// replicas (evict.c and db.c propagate DEL/UNLINK). `now` is the virtual time of the deletion: a command's start,
// or the serverCron tick that ran the active expire cycle while the node's thread was idle.
class StoreListener {
 public:
  virtual void on_store_delete(uint64_t key, Time now) = 0;

 protected:
  ~StoreListener() = default;
};

class Store {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;
  static constexpr int64_t kNoExpiry = -1;

  // Per-key state: 56 bytes plus 16-32 in the index (FlatMap at load 1/4..1/2), plus, with bucket sampling, 8 B per
  // key of chain links (ChainLinks) and 4 B per bucket of the main dict and of the expires dict, plus a reference
  // policy's own per-key arrays (object_policy.hpp; lru, fifo and random 8 B, clock and sieve 9, lfu 12, s3fifo and
  // arc 24 and their ghosts) (docs/design.md §7 asks for tens of bytes; issue 4 for <= 64).
  struct Entry {
    uint64_t key;
    int64_t expire_at_ms;  // kNoExpiry or absolute virtual ms; expired when now_ms > expire_at_ms (db.c keyIsExpired)
    uint32_t mem_bytes;    // this key's share of used_memory, bucket arrays excluded
    uint32_t value_bytes;
    uint32_t meta;                  // Redis's 24-bit robj.lru: LRU clock seconds, or LFU (minutes << 8 | counter)
    uint32_t live_pos;              // index in live_ (uniform sampling over all keys)
    uint32_t vol_pos;               // index in volatile_ or kNone (sampling over keys with a TTL)
    uint32_t slot_prev, slot_next;  // the slot's key list (Redis keeps one per slot in cluster mode: GETKEYSINSLOT)
    uint16_t slot;
    uint16_t aux;      // a small client header stored with the value (XFetch's delta); fits in the padding
    uint32_t version;  // the database version the value was filled with (origin/versions.hpp)
  };
  // 56 bytes. Issue 16's version took it to 64 (+4.6% instructions on the flagship: more memory to fill and walk);
  // the bucket-walk chain links, only used with StoreConfig::sampling "buckets", moved to links_ to make room.
  static_assert(sizeof(Entry) == 56, "per-key state in the cluster simulation (issue 4, issue 16)");
  // Next key in this key's main-dict / expires-dict bucket chain (bucket sampling only; kNone at the end).
  struct ChainLinks {
    uint32_t dict_next, exp_next;
  };
  uint32_t dict_next_of(uint32_t idx) const { return links_[idx].dict_next; }

  Store(const StoreConfig& cfg, Rng rng);
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;
  Store(Store&&) noexcept;
  Store& operator=(Store&&) noexcept;

  // performEvictions (evict.c:540): called before every command when maxmemory is set. Returns false when memory
  // stays above maxmemory because the policy may evict nothing more (noeviction, volatile-* without volatile keys):
  // commands that need memory are then refused with OOM. `args_bytes`: the command's arguments, in memory while
  // performEvictions runs (memory::command_args_bytes, docs/redis-reference.md §7.8.2): evicts until used_memory
  // plus them fits.
  bool make_room(Time now, uint64_t args_bytes = 0);

  // activeExpireCycle, SLOW kind (expire.c:113, docs/redis-reference.md §8.2), run from the node's cron at hz:
  // walk the keys with a TTL from a persistent cursor, `keys_per_loop` at a time, deleting expired ones; repeat
  // while more than `acceptable_stale_pct` of a loop's sample was expired, up to `max_checks` keys (the model of
  // the cycle's time budget). Returns the keys checked.
  struct ExpireCycleResult {
    size_t checked = 0, expired = 0;
  };
  ExpireCycleResult active_expire_cycle(Time now, size_t keys_per_loop, int acceptable_stale_pct, size_t max_checks);
  // One serverCron's worth of key expiry (databasesCron -> activeExpireCycle SLOW), with the parameters Redis
  // derives from active-expire-effort (expire.c:113). The cycle's time budget (slow_time_perc of the cron period)
  // is modelled as a number of key checks at kExpireCheckCostUs each; the cycle itself takes no node time in this
  // model (an assumption: Redis's per-key cost is well under a microsecond and not measured in the reference).
  static constexpr double kExpireCheckCostUs = 1.0;
  ExpireCycleResult cron(Time now);

  // Running estimate of the share of expired keys among those the cycle samples, in percent (INFO's
  // expired_stale_perc, which prints stat_expired_stale_perc x 100).
  double expired_stale_perc() const { return stale_fraction_ * 100.0; }

  // activeExpireCycle FAST kind, from beforeSleep (server.c:1605, docs/redis-reference.md §8.2), masters only: runs
  // when the previous cycle hit its time limit (the stale-estimate condition never holds in Redis 7.0: see
  // stale_trigger), and not within
  // 2 x fast_duration of the previous fast cycle's start; its budget is fast_duration (1000 µs at effort 1), the
  // same keys-per-check cost model as the slow cycle. The store runs it itself before each command it executes
  // (the node's event loop sleeps between commands in this model). Returns the keys checked (0: not due).
  ExpireCycleResult fast_expire_cycle(Time now);
  uint64_t fast_expire_cycles() const { return fast_cycles_; }

  // Keys that have expired but are still held (not yet found by a lookup or the expire cycle) and their share of
  // used_memory: the memory lazy + active expiry leave behind. Exact (a scan of the keys with a TTL) without a
  // sampler or with at most kStaleExactLimit keys with a TTL; beyond that, with a sampler, an estimate from
  // kStaleExactLimit keys drawn uniformly with replacement and scaled up (standard error of the share at most
  // 0.8 percentage points): a full scan every metrics interval was 6% of the flagship's run time.
  struct StaleStats {
    uint64_t keys = 0, bytes = 0;
  };
  static constexpr size_t kStaleExactLimit = 4096;
  StaleStats expired_stale(Time now, Rng* sampler = nullptr) const;

  // GET: lookup with lazy expiry (a master deletes an expired key it touches, db.c expireIfNeeded).
  // Returns true on a hit and sets *value_bytes.
  // With expire_at_ms / aux: also the key's absolute expiry (PTTL's information) and its stored header.
  bool get(uint64_t key, Time now, uint32_t* value_bytes, int64_t* expire_at_ms = nullptr, uint16_t* aux = nullptr,
           uint32_t* version = nullptr);
  // SET key value [PX ttl]: insert or overwrite; a SET without TTL clears an existing one (as Redis's SET does).
  // `version`: the value's database version (staleness), kept with it and returned by get.
  // `hash`: HSET of a new hash of the config's shape (StoreConfig::hash), value_bytes per field
  // (memory::per_hash_key_bytes, docs/redis-reference.md §7.9).
  void set(uint64_t key, uint32_t key_len, uint32_t value_bytes, int64_t expire_at_ms, Time now, uint16_t slot = 0,
           uint16_t aux = 0, uint32_t version = 0, bool hash = false);
  // SET of a value that is a decimal integer of `digits` characters: stored OBJ_ENCODING_INT (memory::value_bytes).
  void set_integer(uint64_t key, uint32_t key_len, uint32_t digits, int64_t expire_at_ms, Time now, uint16_t slot = 0);
  // INCR: an absent (or expired) key becomes "1" without TTL; a present one keeps its TTL (t_string.c incrDecrCommand
  // rewrites the value in place). Values are not stored, so the size stays. Returns the resulting expiry.
  int64_t incr(uint64_t key, uint32_t key_len, Time now, uint16_t slot = 0);
  // DEL: returns true if the key existed (and was not already expired).
  bool del(uint64_t key, Time now);

  // Present and not expired, without touching it or expiring it (getNodeByQuery's lookup, ref. §2.2).
  bool exists(uint64_t key, Time now) const {
    const uint32_t idx = index_.find(key);
    return idx != kNone && !expired(entries_[idx], now);
  }
  // A hint ahead of a command on `key` that arrives shortly (the simulator knows it half a round trip early). It
  // also brings in the entries the next eviction sample will read (see sample()), once per sample.
  void prefetch(uint64_t key) const {
    index_.prefetch(key);
    if (predicted_ > 0) prefetch_predicted();
  }
  // The second step, once the index bucket is in cache: bring the key's entry in too.
  void prefetch_entry(uint64_t key) const {
    const uint32_t idx = index_.find(key);
    if (idx != kNone) prefetch_line(&entries_[idx]);
  }
  // CLUSTER COUNTKEYSINSLOT / GETKEYSINSLOT.
  uint32_t count_in_slot(uint16_t slot) const { return slot_count_[slot]; }
  void keys_in_slot(uint16_t slot, size_t max, std::vector<uint64_t>& out) const;
  // For MIGRATE: the key's stored state. REQUIRES: present.
  const Entry& peek(uint64_t key) const { return entries_[index_.find(key)]; }

  uint64_t used_memory() const { return used_memory_; }
  uint64_t maxmemory() const { return cfg_.maxmemory_bytes; }
  // The smallest room maxmemory left over an expansion it allowed (bytes; UINT64_MAX when none was decided by it).
  // Real Redis makes that decision with whatever it holds for a moment (a cluster-bus send buffer, 5,120 B each,
  // docs/redis-reference.md §7.8.1): a margin below that is a decision a transient can turn (the memory grid uses it).
  uint64_t closest_expand_margin_bytes() const { return closest_expand_margin_; }
  size_t keys() const { return live_.size(); }
  size_t volatile_keys() const { return volatile_.size(); }
  uint64_t evicted_keys() const { return evicted_; }
  // INFO stats keyspace_hits / keyspace_misses: read lookups (GET, each key of MGET) that found / did not find a
  // live key (an expired key found is a miss).
  uint64_t keyspace_hits() const { return keyspace_hits_; }
  uint64_t keyspace_misses() const { return keyspace_misses_; }
  uint64_t expired_keys() const { return expired_; }
  const StoreConfig& config() const { return cfg_; }

  void set_listener(StoreListener* l) { listener_ = l; }
  // A promoted replica starts evicting and expiring; a demoted master stops.
  void set_master(bool m) { cfg_.master = m; }
  // Drops every key (a restarted process without persistence; a replica before a full sync).
  void clear();
  // A full sync: this store becomes a copy of `master`'s keyspace (keys, sizes, TTLs, slots).
  void copy_from(const Store& master, Time now);

  // The main dict's bucket count (a power of two; the newer table while rehashing).
  uint64_t dict_buckets() const { return main_table_.buckets(); }
  bool dict_rehashing() const { return main_table_.rehashing(); }
  // Assumed rehash speed for the cron's 1 ms of incrementallyRehash (not in the reference): ~10 ns per bucket.
  static constexpr uint64_t kCronRehashBuckets = 100'000;

  // For policies.
  Entry& entry(uint32_t idx) { return entries_[idx]; }
  uint32_t live_at(size_t i) const { return live_[i]; }
  uint32_t volatile_at(size_t i) const { return volatile_[i]; }
  uint32_t find(uint64_t key) const { return index_.find(key); }
  Rng& rng() { return rng_; }
  // One eviction by the policy whatever used_memory is (trace replay decides when to evict, by its own byte
  // count): returns false when the policy may evict nothing, else the evicted key in *key.
  bool evict_one(Time now, uint64_t* key);
  // The eviction pool's sample of k keys (volatile_only: keys with a TTL), appended to out: k distinct keys drawn
  // uniformly, or with StoreConfig::sampling "buckets" dictGetSomeKeys's walk over the dict's buckets.
  void sample(bool volatile_only, size_t k, std::vector<uint32_t>& out);
  // One key for allkeys-random / volatile-random (evict.c: dictGetRandomKey on the dict or the expires dict, after
  // its rehash step): uniform over the keys, or with StoreConfig::sampling "buckets" a random non-empty bucket and
  // a random key of its chain (dict.c). kNone when there are none.
  uint32_t random_entry(bool volatile_only);
  bool bucket_sampling() const { return buckets_; }
  // The main dict's chains (bucket sampling), as of the last chain operation: for tests.
  const DictChains& dict_chains() const { return main_chains_; }
  // Bytes of the bucket-walk chain heads (0 in uniform mode).
  size_t chain_bytes() const { return main_chains_.bytes() + exp_chains_.bytes(); }

 private:
  void remove(uint32_t idx);
  void vol_add(uint32_t idx);
  void vol_remove(uint32_t idx);
  void vol_put(size_t pos, uint32_t idx) {
    volatile_[pos] = idx;
    entries_[idx].vol_pos = static_cast<uint32_t>(pos);
  }
  // Every eviction and expiry goes through here: remove the entry, count it (evicted_ or expired_) and tell the
  // listener, which sends the DEL to the replicas.
  void drop(uint32_t idx, Time now, uint64_t& counter);
  // performEvictions' loop: evict until used memory + extra_bytes fits maxmemory; false when nothing can be evicted.
  bool evict_until_fits(uint64_t extra_bytes, Time now);
  void recompute_tables();
  enum class ValueKind : uint8_t { String, Integer, Hash };
  uint32_t hash_key_bytes(uint32_t key_len, uint32_t value_bytes, bool has_ttl);
  uint32_t hash_memo_value_ = UINT32_MAX, hash_memo_key_len_ = 0, hash_memo_bytes_ = 0;
  bool hash_memo_ttl_ = false;
  void set_impl(uint64_t key, uint32_t key_len, uint32_t value_bytes, ValueKind kind, int64_t expire_at_ms, Time now,
                uint16_t slot, uint16_t aux, uint32_t version);
  // For policies that make room before a new key is inserted (the reference policies; EvictionPolicy::
  // makes_room_before_insert): tells the policy, then evicts while the key's `bytes` would take used_memory over
  // maxmemory (masters only: replicas ignore maxmemory).
  void make_room_for(uint64_t key, uint32_t bytes, Time now);
  // Bucket sampling: brings the chains up to date with the DictTables before a chain operation: replays the rehash
  // steps taken since (DictTable::take_steps), ends the chains' rehash when the table's ended, and starts a rehash
  // when a table changed size (dictExpand / a cron shrink), or re-lays the chains when the table was replaced
  // without one.
  void sync_chains();
  auto dict_next() {
    return [this](uint32_t i) -> uint32_t& { return links_[i].dict_next; };
  }
  auto exp_next() {
    return [this](uint32_t i) -> uint32_t& { return links_[i].exp_next; };
  }
  auto key_of() const {
    return [this](uint32_t i) { return entries_[i].key; };
  }
  void link_exp(uint32_t idx) {
    if (!buckets_) return;
    sync_chains();
    exp_chains_.link(entries_[idx].key, idx, exp_next());
  }
  void unlink_exp(uint32_t idx) {
    if (!buckets_) return;
    sync_chains();
    exp_chains_.unlink(entries_[idx].key, idx, exp_next());
  }
  // dictExpandAllowed (server.c, 7.0): expanding is refused while the new array would take used_memory (plus the
  // key being added) over maxmemory, unless the load factor exceeds HASHTABLE_MAX_LOAD_FACTOR 1.618.
  bool expand_allowed(uint64_t pending, uint64_t more, double ratio) {
    if (ratio > 1.618 || cfg_.maxmemory_bytes == 0) return true;
    const uint64_t after = used_memory_ + pending + more;
    if (after > cfg_.maxmemory_bytes) return false;
    closest_expand_margin_ = std::min(closest_expand_margin_, cfg_.maxmemory_bytes - after);
    return true;
  }
  bool expired_at(uint32_t idx, Time now) const { return expired(entries_[idx], now); }
  // The next eviction sample's positions, predicted at the end of a sample (hints only, see sample()).
  static constexpr size_t kPredictMax = 16;
  mutable uint32_t predicted_pos_[kPredictMax];
  mutable uint8_t predicted_ = 0;  // positions waiting for their entries' prefetch
  bool predicted_volatile_ = false;
  void prefetch_predicted() const;
  bool expired(const Entry& e, Time now) const {
    return e.expire_at_ms >= 0 && now.nanos() / 1'000'000 > e.expire_at_ms;
  }

  StoreConfig cfg_;
  Rng rng_;
  std::unique_ptr<EvictionPolicy> policy_;
  FlatMap index_;
  HugeVector<Entry> entries_;
  HugeVector<ChainLinks> links_;  // parallel to entries_ with bucket sampling, else empty
  std::vector<uint32_t> free_;
  HugeVector<uint32_t> live_, volatile_;
  uint64_t keys_bytes_ = 0;  // sum of mem_bytes
  uint64_t used_memory_ = 0;
  uint64_t fixed_bytes_ = 0;  // memory::fixed_bytes(cfg_), every recompute_tables (an overwrite's) needs it
  uint64_t evicted_ = 0, expired_ = 0;
  uint64_t closest_expand_margin_ = UINT64_MAX;
  uint64_t keyspace_hits_ = 0, keyspace_misses_ = 0;
  // The active expire cycle's walk (active_expire_cycle): volatile_ is kept in random order and walked from 0 up;
  // positions below expire_cursor_ were visited in this pass. vol_add and vol_remove keep that split as Redis's
  // bucket walk has it (see vol_add).
  size_t expire_cursor_ = 0;
  uint64_t vol_adds_ = 0;  // counts vol_add calls: with the key, the hash that places a new key
  std::vector<uint32_t> slot_head_, slot_count_;
  memory::DictTable main_table_, expires_table_;
  bool buckets_ = false;    // cfg_.sampling == "buckets"
  bool pre_evict_ = false;  // policy_->makes_room_before_insert()
  DictChains main_chains_, exp_chains_;
  StoreListener* listener_ = nullptr;  // position in volatile_ where the next active-expire walk starts
  double stale_fraction_ = 0;          // stat_expired_stale_perc, which expire.c keeps as a fraction (0..1)
  bool timelimit_exit_ = false;        // expire.c's static timelimit_exit: the last cycle stopped on its time budget
  int64_t last_fast_ns_ = INT64_MIN / 2;
  uint64_t fast_cycles_ = 0;
  void maybe_fast_expire(Time now) {
    if (!volatile_.empty() && (timelimit_exit_ || stale_trigger()) &&
        now.nanos() >= last_fast_ns_ + 2 * fast_duration_us() * 1000)
      fast_expire_cycle(now);
  }
  // expire.c:148 skips a fast cycle when `stat_expired_stale_perc < config_cycle_acceptable_stale`: the estimate is
  // a fraction (0..1) and the threshold a percentage (10 at effort 1), so the estimate never reaches it and in
  // Redis 7.0 a fast cycle starts only after a time-limit exit (docs/redis-reference.md §8.2). Compared as Redis
  // compares them (reading it as 10 % would start fast cycles Redis never runs).
  bool stale_trigger() const { return !(stale_fraction_ < acceptable_stale()); }
  int effort() const { return cfg_.active_expire_effort - 1; }  // 0..9
  int acceptable_stale() const { return 10 - effort(); }
  int64_t fast_duration_us() const { return 1000 + 1000 / 4 * effort(); }
  size_t keys_per_loop() const { return static_cast<size_t>(20 + 20 / 4 * effort()); }
};

}  // namespace cachelab
