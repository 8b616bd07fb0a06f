#include "cachelab/cache/store.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>

#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/cache/memory_model.hpp"

namespace cachelab {

PolicyRegistry& PolicyRegistry::instance() {
  static PolicyRegistry registry;  // a catalogue of policy types, filled at load time; not run state
  return registry;
}

void PolicyRegistry::add(PolicyKind k) {
  kinds_.push_back(std::move(k));
  std::sort(kinds_.begin(), kinds_.end(), [](const PolicyKind& a, const PolicyKind& b) { return a.name < b.name; });
}

const PolicyKind* PolicyRegistry::find(const std::string& name) const {
  for (const auto& k : kinds_)
    if (k.name == name) return &k;
  return nullptr;
}

Store::Store(const StoreConfig& cfg, Rng rng) : cfg_(cfg), rng_(rng), slot_head_(16384, kNone), slot_count_(16384, 0) {
  const PolicyKind* kind = PolicyRegistry::instance().find(cfg.policy);
  if (!kind) throw std::invalid_argument("unknown maxmemory policy: " + cfg.policy);
  policy_ = kind->make(cfg);
  if (cfg.sampling != "uniform" && cfg.sampling != "buckets")
    throw std::invalid_argument("unknown sampling: " + cfg.sampling + " (uniform or buckets)");
  buckets_ = cfg.sampling == "buckets";
  pre_evict_ = policy_->makes_room_before_insert();
  fixed_bytes_ = memory::fixed_bytes(cfg_);  // none of its parts change after construction (set_master is not one)
  sync_chains();
  recompute_tables();
}

Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

void Store::recompute_tables() {
  used_memory_ = fixed_bytes_ + keys_bytes_ + main_table_.bytes() + expires_table_.bytes();
}

void Store::sync_chains() {
  if (!buckets_) return;
  auto sync = [this](DictChains& c, memory::DictTable& t, const HugeVector<uint32_t>& keys, auto next) {
    c.rehash_steps(t.take_steps(), next, key_of());
    if (c.rehashing() && !t.rehashing()) c.finish_rehash(next, key_of());
    // At least 4 buckets so a key can always be linked: a key given a TTL by overwriting it does not grow the
    // expires DictTable (set()), which may then still be at 0.
    const uint64_t size = std::max<uint64_t>(t.buckets(), 4);
    if (c.buckets() == size) return;
    c.finish_rehash(next, key_of());  // the table moved on to another size before the chains' rehash ended
    if (t.rehashing()) {
      c.start_rehash(size);
    } else {
      c.reset(size);
      for (uint32_t idx : keys) c.link(entries_[idx].key, idx, next);
    }
  };
  sync(main_chains_, main_table_, live_, dict_next());
  sync(exp_chains_, expires_table_, volatile_, exp_next());
}

void Store::sample(bool volatile_only, size_t k, std::vector<uint32_t>& out) {
  HugeVector<uint32_t>& pool = volatile_only ? volatile_ : live_;
  const size_t n = pool.size();
  k = std::min(k, n);  // dictGetSomeKeys: if (dictSize(d) < count) count = dictSize(d)
  (volatile_only ? expires_table_ : main_table_).step(k);  // dictGetSomeKeys does one rehash step per wanted key
  if (buckets_) {
    sync_chains();
    if (volatile_only)
      exp_chains_.get_some(k, rng_, exp_next(), out);
    else
      main_chains_.get_some(k, rng_, dict_next(), out);
    return;
  }
  // Partial Fisher-Yates over the dense array: k distinct picks in O(k). The swaps only reorder the array,
  // so positions are fixed up; membership is unchanged.
  for (size_t i = 0; i < k; ++i) {
    const size_t j = i + rng_.below(n - i);
    std::swap(pool[i], pool[j]);
    if (volatile_only) {
      entries_[pool[i]].vol_pos = static_cast<uint32_t>(i);
      entries_[pool[j]].vol_pos = static_cast<uint32_t>(j);
    } else {
      entries_[pool[i]].live_pos = static_cast<uint32_t>(i);
      entries_[pool[j]].live_pos = static_cast<uint32_t>(j);
    }
    out.push_back(pool[i]);
  }
  // A hint for the next sample (no behaviour): the eviction stream draws nothing else in between (LFU's counter
  // increments aside), and the key count is usually back to n by then (this eviction's key out, the command's key
  // in), so a copy of the generator names the positions it will read. Their entries are random in an array of tens
  // of MB: they are prefetched in two steps, the positions' array slots now, and the entries they name when the
  // next command for this node is sent (prefetch()), before that next eviction; loading the slots here stalled.
  Rng peek = rng_;
  predicted_ = static_cast<uint8_t>(std::min(k, kPredictMax));
  predicted_volatile_ = volatile_only;
  for (size_t i = 0; i < predicted_; ++i) {
    predicted_pos_[i] = static_cast<uint32_t>(i + peek.below(n - i));
    prefetch_line(&pool[predicted_pos_[i]]);
  }
}

void Store::prefetch_predicted() const {
  const HugeVector<uint32_t>& pool = predicted_volatile_ ? volatile_ : live_;
  for (size_t i = 0; i < predicted_; ++i)
    if (predicted_pos_[i] < pool.size()) prefetch_line(&entries_[pool[predicted_pos_[i]]]);
  predicted_ = 0;
}

uint32_t Store::random_entry(bool volatile_only) {
  const auto& pool = volatile_only ? volatile_ : live_;
  if (pool.empty()) return kNone;
  (volatile_only ? expires_table_ : main_table_).step();  // dictGetRandomKey's _dictRehashStep
  if (!buckets_) return pool[rng_.below(pool.size())];
  sync_chains();
  return volatile_only ? exp_chains_.get_random(rng_, exp_next()) : main_chains_.get_random(rng_, dict_next());
}

void Store::make_room_for(uint64_t key, uint32_t bytes, Time now) {
  policy_->before_insert(*this, key, bytes, now);
  if (cfg_.maxmemory_bytes == 0 || !cfg_.master) return;
  evict_until_fits(bytes, now);
}

void Store::clear() {
  while (!live_.empty()) remove(live_.back());
  entries_.clear();
  links_.clear();
  free_.clear();
  main_table_.reset();
  expires_table_.reset();
  sync_chains();
  recompute_tables();
}

void Store::copy_from(const Store& master, Time now) {
  clear();
  for (uint32_t idx : master.live_) {
    const Entry& e = master.entries_[idx];
    set(e.key, 0, e.value_bytes, e.expire_at_ms, now, e.slot, 0, e.version);  // aux is not replicated (ReplOp)
    // Keep the master's accounting for the key (its name length is folded into mem_bytes).
    Entry& mine = entries_[index_.find(e.key)];
    keys_bytes_ += e.mem_bytes;
    keys_bytes_ -= mine.mem_bytes;
    mine.mem_bytes = e.mem_bytes;
  }
  recompute_tables();
}

bool Store::make_room(Time now, uint64_t args_bytes) {
  if (cfg_.maxmemory_bytes == 0) return true;
  return evict_until_fits(args_bytes, now);
}

bool Store::evict_until_fits(uint64_t extra_bytes, Time now) {
  while (used_memory_ + extra_bytes > cfg_.maxmemory_bytes) {
    const uint32_t victim = live_.empty() ? kNone : policy_->pick_victim(*this, now);
    if (victim == kNone) return false;
    drop(victim, now, evicted_);
  }
  return true;
}

bool Store::evict_one(Time now, uint64_t* key) {
  const uint32_t victim = live_.empty() ? kNone : policy_->pick_victim(*this, now);
  if (victim == kNone) return false;
  *key = entries_[victim].key;
  drop(victim, now, evicted_);
  return true;
}

void Store::drop(uint32_t idx, Time now, uint64_t& counter) {
  const uint64_t key = entries_[idx].key;
  remove(idx);
  ++counter;
  if (listener_) listener_->on_store_delete(key, now);  // replicas get the DEL (docs/redis-reference.md §7.4, §8.1)
}

Store::ExpireCycleResult Store::active_expire_cycle(Time now, size_t keys_per_loop, int acceptable_stale_pct,
                                                    size_t max_checks) {
  ExpireCycleResult r;
  timelimit_exit_ = false;
  for (;;) {
    if (volatile_.empty() || r.checked >= max_checks) break;
    const size_t num = std::min(volatile_.size(), keys_per_loop);
    size_t sampled = 0, expired = 0;
    // Redis walks the expires dict's hash buckets from db->expires_cursor (docs/redis-reference.md §8.2): an order
    // unrelated to when keys were set, in which a new key lands ahead of the cursor (seen in this pass) or behind
    // it (next pass) by its hash. volatile_ is kept in that kind of order (vol_add places each new key at a
    // hashed position) and walked from 0 up. Two earlier walks were measurably wrong against live Redis: insertion
    // order met keys of one age in runs, so the 10%-stale rule ended cycles early (17% fewer expirations); a
    // golden-ratio permutation fixed at the start of each pass never met keys set during the pass, so samples were
    // staler than Redis's and cycles ran longer (3% more expirations, scenarios/validation/live/ttl-expiry.json).
    while (sampled < num && !volatile_.empty()) {
      if (expire_cursor_ >= volatile_.size()) expire_cursor_ = 0;  // a new pass
      const size_t pos = expire_cursor_++;
      const uint32_t idx = volatile_[pos];
      ++sampled;  // dropping it moves an unvisited key into pos and steps the cursor back (vol_remove)
      if (expired_at(idx, now)) {
        drop(idx, now, expired_);
        ++expired;
      }
    }
    r.checked += sampled;
    r.expired += expired;
    timelimit_exit_ = r.checked >= max_checks;
    if (sampled != 0 && expired * 100 <= static_cast<size_t>(acceptable_stale_pct) * sampled) break;
  }
  // expire.c, end of activeExpireCycle: stat_expired_stale_perc = 0.05 * this cycle's share + 0.95 * previous, the
  // share as a fraction (total_expired / total_sampled, 0..1; INFO prints it x 100).
  const double current = r.checked ? static_cast<double>(r.expired) / static_cast<double>(r.checked) : 0.0;
  stale_fraction_ = current * 0.05 + stale_fraction_ * 0.95;
  return r;
}

Store::ExpireCycleResult Store::cron(Time now) {
  // databasesCron resizes and rehashes on every node; the expire cycle runs on masters only.
  main_table_.cron(live_.size(), kCronRehashBuckets);
  expires_table_.cron(volatile_.size(), kCronRehashBuckets);
  sync_chains();
  recompute_tables();
  if (!cfg_.master) return {};
  const int slow_time_perc = 25 + 2 * effort();
  const double budget_us = slow_time_perc * 1'000'000.0 / cfg_.hz / 100.0;
  return active_expire_cycle(now, keys_per_loop(), acceptable_stale(),
                             static_cast<size_t>(budget_us / kExpireCheckCostUs));
}

Store::ExpireCycleResult Store::fast_expire_cycle(Time now) {
  if (!cfg_.master) return {};
  if (!timelimit_exit_ && !stale_trigger()) return {};
  if (now.nanos() < last_fast_ns_ + 2 * fast_duration_us() * 1000) return {};
  last_fast_ns_ = now.nanos();
  ++fast_cycles_;
  return active_expire_cycle(now, keys_per_loop(), acceptable_stale(),
                             static_cast<size_t>(static_cast<double>(fast_duration_us()) / kExpireCheckCostUs));
}

Store::StaleStats Store::expired_stale(Time now, Rng* sampler) const {
  StaleStats st;
  const size_t n = volatile_.size();
  if (sampler == nullptr || n <= kStaleExactLimit) {
    constexpr size_t kAhead = 16;  // entries in flight: the scan visits them in random order
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) prefetch_line(&entries_[volatile_[i + kAhead]]);
      const Entry& e = entries_[volatile_[i]];
      if (expired(e, now)) {
        ++st.keys;
        st.bytes += e.mem_bytes;
      }
    }
    return st;
  }
  // The same draws in the same order, in batches: a batch's entries are prefetched before any is read, so their
  // cache misses overlap (one random entry after another cost 1-2% of the flagship's run time).
  uint64_t keys = 0, bytes = 0;
  constexpr size_t kBatch = 32;
  static_assert(kStaleExactLimit % kBatch == 0);
  uint32_t batch[kBatch];
  for (size_t done = 0; done < kStaleExactLimit; done += kBatch) {
    for (size_t i = 0; i < kBatch; ++i) {
      batch[i] = volatile_[sampler->below(n)];
      prefetch_line(&entries_[batch[i]]);
    }
    for (size_t i = 0; i < kBatch; ++i) {
      const Entry& e = entries_[batch[i]];
      if (expired(e, now)) {
        ++keys;
        bytes += e.mem_bytes;
      }
    }
  }
  const double scale = static_cast<double>(n) / static_cast<double>(kStaleExactLimit);
  st.keys = static_cast<uint64_t>(std::llround(static_cast<double>(keys) * scale));
  st.bytes = static_cast<uint64_t>(std::llround(static_cast<double>(bytes) * scale));
  return st;
}

bool Store::get(uint64_t key, Time now, uint32_t* value_bytes, int64_t* expire_at_ms, uint16_t* aux,
                uint32_t* version) {
  maybe_fast_expire(now);
  const uint32_t idx = index_.find(key);
  if (main_table_.rehashing() || expires_table_.rehashing()) {  // lookupKey's dictFind, expireIfNeeded's getExpire
    main_table_.step();
    if (idx != kNone && entries_[idx].vol_pos != kNone) expires_table_.step();
    recompute_tables();  // a finished rehash frees the old array
  }
  if (idx == kNone) {
    ++keyspace_misses_;
    return false;
  }
  if (expired(entries_[idx], now)) {
    drop(idx, now, expired_);
    ++keyspace_misses_;
    return false;
  }
  ++keyspace_hits_;
  policy_->on_access(*this, idx, now);
  if (value_bytes) *value_bytes = entries_[idx].value_bytes;
  if (expire_at_ms) *expire_at_ms = entries_[idx].expire_at_ms;
  if (aux) *aux = entries_[idx].aux;
  if (version) *version = entries_[idx].version;
  return true;
}

void Store::keys_in_slot(uint16_t slot, size_t max, std::vector<uint64_t>& out) const {
  for (uint32_t i = slot_head_[slot]; i != kNone && max > 0; i = entries_[i].slot_next, --max)
    out.push_back(entries_[i].key);
}

int64_t Store::incr(uint64_t key, uint32_t key_len, Time now, uint16_t slot) {
  uint32_t bytes = 0;
  int64_t expire_at = kNoExpiry;
  if (get(key, now, &bytes, &expire_at)) return expire_at;
  set_impl(key, key_len, 1, ValueKind::Integer, kNoExpiry, now, slot, 0, 0);  // "1": an INT-encoded object (t_string.c)
  return kNoExpiry;
}

void Store::set(uint64_t key, uint32_t key_len, uint32_t value_bytes, int64_t expire_at_ms, Time now, uint16_t slot,
                uint16_t aux, uint32_t version, bool hash) {
  set_impl(key, key_len, value_bytes, hash ? ValueKind::Hash : ValueKind::String, expire_at_ms, now, slot, aux,
           version);
}

// One HSET's object (ref. §7.9); the shape is the workload's, so the last size is kept (a hashtable's bucket
// arrays are found by adding its fields one by one).
uint32_t Store::hash_key_bytes(uint32_t key_len, uint32_t value_bytes, bool has_ttl) {
  if (value_bytes != hash_memo_value_ || key_len != hash_memo_key_len_ || has_ttl != hash_memo_ttl_) {
    memory::HashShape h;
    h.fields = cfg_.hash.fields;
    h.name_len = cfg_.hash.name_bytes;
    h.value_len = value_bytes;
    h.long_value_len = cfg_.hash.long_value_bytes;
    hash_memo_bytes_ = static_cast<uint32_t>(memory::per_hash_key_bytes(key_len, h, has_ttl, cfg_.cluster_mode));
    hash_memo_value_ = value_bytes;
    hash_memo_key_len_ = key_len;
    hash_memo_ttl_ = has_ttl;
  }
  return hash_memo_bytes_;
}

void Store::set_integer(uint64_t key, uint32_t key_len, uint32_t digits, int64_t expire_at_ms, Time now,
                        uint16_t slot) {
  set_impl(key, key_len, digits, ValueKind::Integer, expire_at_ms, now, slot, 0, 0);
}

void Store::set_impl(uint64_t key, uint32_t key_len, uint32_t value_bytes, ValueKind kind, int64_t expire_at_ms,
                     Time now, uint16_t slot, uint16_t aux, uint32_t version) {
  maybe_fast_expire(now);
  const bool has_ttl = expire_at_ms != kNoExpiry;
  const uint32_t mem = kind == ValueKind::Hash
                           ? hash_key_bytes(key_len, value_bytes, has_ttl)
                           : static_cast<uint32_t>(memory::per_key_bytes(
                                 key_len, value_bytes, has_ttl, cfg_.cluster_mode, kind == ValueKind::Integer));
  uint32_t idx = index_.find(key);
  if (idx != kNone && expired(entries_[idx], now)) {
    // lookupKeyWrite expires it first: the SET then creates a fresh key.
    drop(idx, now, expired_);
    idx = kNone;
  }
  if (idx != kNone) {
    Entry& e = entries_[idx];
    keys_bytes_ += mem;
    keys_bytes_ -= e.mem_bytes;
    e.mem_bytes = mem;
    e.value_bytes = value_bytes;
    if (has_ttl && e.vol_pos == kNone) {
      vol_add(idx);
      link_exp(idx);
    } else if (!has_ttl && e.vol_pos != kNone) {
      unlink_exp(idx);
      vol_remove(idx);
    }
    e.expire_at_ms = expire_at_ms;
    e.aux = aux;
    e.version = version;
    policy_->on_access(*this, idx, now);
    recompute_tables();
    return;
  }
  if (pre_evict_) make_room_for(key, mem, now);
  if (!free_.empty()) {
    idx = free_.back();
    free_.pop_back();
  } else {
    idx = static_cast<uint32_t>(entries_.size());
    entries_.push_back({});
    if (buckets_) links_.push_back({kNone, kNone});
  }
  // dbAdd: the key sds and the value exist when dictAddRaw decides whether to grow the table.
  const uint64_t expires_entry = has_ttl ? memory::jemalloc_usable(24) : 0;
  const uint64_t pending = mem - memory::dict_entry_bytes(cfg_.cluster_mode) - expires_entry;
  const uint64_t main_before = main_table_.bytes();
  main_table_.before_add(live_.size(),
                         [&](uint64_t more, double ratio) { return expand_allowed(pending, more, ratio); });
  main_table_.step(2);  // lookupKeyWrite's find and dictAddRaw
  if (has_ttl) {
    // setExpire comes after dbAdd: the main dict's entry, and its new bucket array if dbAdd just grew it, are
    // already counted when the expires dict asks to grow (db.c setKey -> dbAdd, then setExpire). Both dicts reach a
    // power of two on the same SET when every key has a TTL; counting the main dict's growth here lets the expires
    // dict stay at its size, as it does in Redis, where it was once allowed to double too (issue 16 part 6: 3.9%
    // fewer keys kept at 16mb with 40-byte keys and 44-byte values).
    const uint64_t pending_exp = mem - expires_entry + (main_table_.bytes() - main_before);
    expires_table_.before_add(volatile_.size(),
                              [&](uint64_t more, double ratio) { return expand_allowed(pending_exp, more, ratio); });
    expires_table_.step();
  }
  sync_chains();  // before linking: a re-laid table already holds every other key
  Entry& e = entries_[idx];
  e = Entry{key,   expire_at_ms,     mem,  value_bytes, 0,      static_cast<uint32_t>(live_.size()), kNone,
            kNone, slot_head_[slot], slot, aux,         version};
  if (buckets_) links_[idx] = {kNone, kNone};
  if (slot_head_[slot] != kNone) entries_[slot_head_[slot]].slot_prev = idx;
  slot_head_[slot] = idx;
  ++slot_count_[slot];
  live_.push_back(idx);
  if (has_ttl) {
    vol_add(idx);
    link_exp(idx);
  }
  if (buckets_) main_chains_.link(key, idx, dict_next());
  index_.insert(key, idx);
  keys_bytes_ += mem;
  policy_->on_insert(*this, idx, now);
  recompute_tables();
}

bool Store::del(uint64_t key, Time now) {
  maybe_fast_expire(now);
  const uint32_t idx = index_.find(key);
  if (idx == kNone) return false;
  if (expired(entries_[idx], now)) {
    // delCommand expires the key first (expireIfNeeded -> deleteExpiredKeyAndPropagate) and replies 0: the
    // replicas still get a DEL for it, or they would keep it forever (docs/redis-reference.md §8.1).
    drop(idx, now, expired_);
    return false;
  }
  remove(idx);
  return true;
}

// A new key with a TTL goes to a position drawn from a hash of the key and a counter (no random stream: the
// eviction stream's draws stay as they were), uniform over the n + 1 places, as a dict puts a key in the bucket its
// hash names. Below the expire cursor (already walked in this pass) it waits for the next pass; the key it displaces
// stays on its side of the cursor, so no key is walked twice or skipped in a pass.
void Store::vol_add(uint32_t idx) {
  const size_t n = volatile_.size();
  uint64_t h = entries_[idx].key ^ (vol_adds_++ * 0x9E3779B97F4A7C15ULL);
  const auto p = static_cast<size_t>(splitmix64(h) % (n + 1));
  volatile_.push_back(idx);
  if (p == n) {
    vol_put(n, idx);
  } else if (p >= expire_cursor_) {  // ahead of the cursor: the displaced (unvisited) key goes to the end
    vol_put(n, volatile_[p]);
    vol_put(p, idx);
  } else {  // behind: the displaced (visited) key goes to the cursor's slot, which joins the visited part
    const size_t c = expire_cursor_;  // <= n
    if (c < n) vol_put(n, volatile_[c]);
    vol_put(c, volatile_[p]);
    vol_put(p, idx);
    expire_cursor_ = c + 1;
  }
}

// Removing from the dense array moves its last key (unvisited, or the pass is over) into the hole. A hole behind
// the cursor takes the last visited key instead, and the last key takes that one's slot, now unvisited again: in a
// dict, deleting a key moves no other.
void Store::vol_remove(uint32_t idx) {
  Entry& e = entries_[idx];
  const size_t q = e.vol_pos;
  const size_t last = volatile_.size() - 1;
  if (q < expire_cursor_) {               // expire_cursor_ <= volatile_.size() always (vol_add and vol_remove keep it)
    const size_t c = expire_cursor_ - 1;  // the last visited slot, q <= c <= last
    if (c != q) vol_put(q, volatile_[c]);
    if (last != c) vol_put(c, volatile_[last]);
    --expire_cursor_;
  } else if (q != last) {
    vol_put(q, volatile_[last]);
  }
  volatile_.pop_back();
  e.vol_pos = kNone;
}

void Store::remove(uint32_t idx) {
  policy_->on_remove(*this, idx);
  Entry& e = entries_[idx];
  main_table_.step();
  if (e.vol_pos != kNone) expires_table_.step();
  if (buckets_) {
    sync_chains();
    main_chains_.unlink(e.key, idx, dict_next());
    if (e.vol_pos != kNone) exp_chains_.unlink(e.key, idx, exp_next());
  }
  const uint32_t last = live_.back();
  live_[e.live_pos] = last;
  entries_[last].live_pos = e.live_pos;
  live_.pop_back();
  if (e.vol_pos != kNone) vol_remove(idx);
  if (e.slot_prev != kNone)
    entries_[e.slot_prev].slot_next = e.slot_next;
  else
    slot_head_[e.slot] = e.slot_next;
  if (e.slot_next != kNone) entries_[e.slot_next].slot_prev = e.slot_prev;
  --slot_count_[e.slot];
  index_.erase(e.key);
  keys_bytes_ -= e.mem_bytes;
  free_.push_back(idx);
  recompute_tables();
}

}  // namespace cachelab
