#include "cachelab/cache/memory_model.hpp"

#include <cmath>

namespace cachelab::memory {

size_t per_key_bytes(size_t key_len, size_t value_len, bool has_ttl, bool cluster_mode, bool integer) {
  size_t bytes = dict_entry_bytes(cluster_mode);  // dictEntry (+ clusterDictEntryMetadata)
  bytes += sds_bytes(key_len);
  bytes += value_bytes(value_len, integer);
  if (has_ttl) bytes += jemalloc_usable(24);  // entry in db->expires (no cluster metadata there)
  return bytes;
}

namespace {

// lpEncodeBacklen (listpack.c): the entry's length (encoding header + bytes) in 7-bit groups.
size_t listpack_backlen(size_t l) {
  if (l <= 127) return 1;
  if (l < 16383) return 2;
  if (l < 2097151) return 3;
  if (l < 268435455) return 4;
  return 5;
}

// One string entry: LP_ENCODING_6BIT_STR / 12BIT_STR / 32BIT_STR header, the bytes, the backlen.
size_t listpack_entry(size_t len) {
  const size_t hdr = len < 64 ? 1 : len < 4096 ? 2 : 5;
  return hdr + len + listpack_backlen(hdr + len);
}

}  // namespace

bool hash_is_listpack(const HashShape& h) {
  return h.fields <= kHashMaxListpackEntries && h.name_len <= kHashMaxListpackValue &&
         h.value_len <= kHashMaxListpackValue && h.long_value_len <= kHashMaxListpackValue;
}

size_t listpack_bytes(const HashShape& h) {
  const size_t n = h.fields;
  size_t bytes = 6 + 1;  // LP_HDR_SIZE (total bytes, element count) + LP_EOF
  bytes += n * listpack_entry(h.name_len);
  if (n > 0 && h.long_value_len > 0)
    bytes += (n - 1) * listpack_entry(h.value_len) + listpack_entry(h.long_value_len);
  else
    bytes += n * listpack_entry(h.value_len);
  // lpInsert reallocates to the exact new size as the hash grows: the last size's class is what stays.
  return jemalloc_usable(bytes);
}

size_t hash_value_bytes(const HashShape& h) {
  constexpr size_t kRobj = 16;
  if (hash_is_listpack(h)) return jemalloc_usable(kRobj) + listpack_bytes(h);
  // hashDictType: no entry metadata, no expandAllowed. The dict struct (7.0 dict.h: type, two table pointers, two
  // used counts, rehashidx, pauserehash, two size exponents) is 56 bytes.
  size_t bytes = jemalloc_usable(kRobj) + jemalloc_usable(56);
  const size_t per_field = jemalloc_usable(24) + sds_bytes(h.name_len);
  bytes += h.fields * per_field;
  const bool long_value = h.fields > 0 && h.long_value_len > 0;
  bytes += (h.fields - (long_value ? 1 : 0)) * sds_bytes(h.value_len);
  if (long_value) bytes += sds_bytes(h.long_value_len);
  // The bucket arrays. A name or value over the limit converts the new (empty) hash before the first field
  // (hashTypeTryConversion): the dict starts at 4 buckets and grows as fields are added. Past the entries limit,
  // the listpack of kHashMaxListpackEntries + 1 fields is converted into a dict presized to that length
  // (hashTypeConvertListpack), the rest are added after.
  const bool from_start = h.fields <= kHashMaxListpackEntries || h.name_len > kHashMaxListpackValue ||
                          h.value_len > kHashMaxListpackValue || h.long_value_len > kHashMaxListpackValue;
  DictTable table;
  size_t added = 0;
  if (!from_start) {
    added = kHashMaxListpackEntries + 1;
    table.presize(added);
  }
  auto always = [](uint64_t, double) { return true; };
  for (; added < h.fields; ++added) {
    table.step(2);  // hashTypeSet: dictFind, then dictAdd, each one _dictRehashStep while rehashing
    table.before_add(added, always);
  }
  // Each bucket array is its own allocation: 8 B x a power of two, at least 32 (a size class).
  const uint64_t size = table.buckets();
  const uint64_t total = table.bytes() / 8;
  bytes += jemalloc_usable(size * 8);
  if (total > size) bytes += jemalloc_usable((total - size) * 8);
  return bytes;
}

size_t per_hash_key_bytes(size_t key_len, const HashShape& h, bool has_ttl, bool cluster_mode) {
  size_t bytes = dict_entry_bytes(cluster_mode) + sds_bytes(key_len) + hash_value_bytes(h);
  if (has_ttl) bytes += jemalloc_usable(24);
  return bytes;
}

size_t dict_table_bytes(size_t used) {
  if (used == 0) return 0;
  if (used <= 4) return 4 * 8;
  // The next power of two >= used.
  return (size_t{1} << (64 - __builtin_clzll(static_cast<unsigned long long>(used - 1)))) * 8;
}

size_t dict_entry_bytes(bool cluster_mode) { return jemalloc_usable(cluster_mode ? 40 : 24); }

size_t startup_bytes(bool cluster_mode) {
  return cluster_mode ? kStartupRehashedCluster + kServedUnitemisedCluster
                      : kStartupRehashedStandalone + kServedUnitemisedStandalone;
}

size_t filled_dict_old_array_bytes(uint32_t entries, uint32_t nonempty_old_buckets) {
  // dictAddRaw: a rehash step, then _dictExpandIfNeeded (from empty to 4 buckets; doubles when used >= size; not
  // while rehashing). The last expansion is at used = s, the largest power of two >= 4 below `entries`; the adds
  // after it (entries - s - 1) each move one non-empty bucket of its old array of s buckets holding s entries. An
  // earlier expansion at used = s/2 is followed by s/2 steps before the next, enough for its s/2 entries.
  if (entries <= 4) return 0;
  uint64_t s = 4;
  while (s * 2 < entries) s *= 2;
  const uint64_t steps = entries - s - 1;
  const uint64_t needed = nonempty_old_buckets ? nonempty_old_buckets : s;  // 0: every entry in its own bucket
  return steps < needed ? static_cast<size_t>(s * 8) : 0;
}

size_t command_tables_held_bytes_max() {
  size_t bytes = 0;
  for (const CommandTable& t : kCommandTables70) bytes += filled_dict_old_array_bytes(t.subcommands, 0);
  return bytes;
}

size_t command_tables_held_bytes_min() {
  size_t bytes = 0;
  for (const CommandTable& t : kCommandTables70) bytes += filled_dict_old_array_bytes(t.subcommands, 1);
  return bytes;
}

size_t command_args_bytes(const uint32_t* arg_lens, size_t argc) {
  size_t bytes = jemalloc_usable(8 * argc);  // c->argv, argv_len = argc (<= 1024)
  for (size_t i = 0; i < argc; ++i) bytes += value_bytes(arg_lens[i]);
  return bytes;
}

size_t fixed_bytes(const StoreConfig& cfg) {
  return startup_bytes(cfg.cluster_mode) + static_cast<size_t>(cfg.client_connections) * kClientConnectionBytes +
         static_cast<size_t>(cfg.described_connections) * kDescribedClientBytes +
         static_cast<size_t>(cfg.monitor_connections) * kMonitorConnectionBytes +
         (cfg.repl_backlog ? kReplBacklogBytes : 0) +
         (cfg.cluster_mode ? static_cast<size_t>(cfg.cluster_peers) * kClusterPeerBytes : 0) +
         static_cast<size_t>(cfg.latency_histograms) * kLatencyHistogramBytes;
}

void DictTable::start(uint64_t new_size, size_t used) {
  if (size_ == 0 || used == 0) {  // nothing to move: the new array replaces the old at once
    size_ = new_size;
    return;
  }
  old_size_ = size_;
  size_ = new_size;
  // dictRehash moves one non-empty bucket per step; with `used` entries hashed uniformly over old_size buckets,
  // 1 - e^(-load) of them are non-empty.
  const double load = static_cast<double>(used) / static_cast<double>(old_size_);
  rehash_left_ = static_cast<uint64_t>(static_cast<double>(old_size_) * (1.0 - std::exp(-load)) + 0.5);
  if (rehash_left_ == 0) old_size_ = 0;
}

}  // namespace cachelab::memory
