#include "cachelab/cache/memory_model.hpp"

#include <cmath>

namespace cachelab::memory {

size_t jemalloc_usable(size_t n) {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) / 16 * 16;
  // Classes in [2^k, 2^(k+1)) step by 2^(k-2), where 2^k < n <= 2^(k+1).
  int k = 63 - __builtin_clzll(static_cast<unsigned long long>(n - 1));
  const size_t step = size_t{1} << (k - 2);
  return (n + step - 1) / step * step;
}

size_t sds_bytes(size_t len) {
  size_t hdr;
  if (len < (1u << 5))
    hdr = 1;  // sdshdr5
  else if (len < (1u << 8))
    hdr = 3;  // sdshdr8
  else if (len < (1u << 16))
    hdr = 5;  // sdshdr16
  else
    hdr = 9;  // sdshdr32
  return jemalloc_usable(hdr + len + 1);
}

size_t value_bytes(size_t len, bool integer) {
  constexpr size_t kRobj = 16;
  constexpr size_t kEmbstrLimit = 44;  // OBJ_ENCODING_EMBSTR_SIZE_LIMIT, object.c:119
  constexpr size_t kLongDigits = 20;   // tryObjectEncoding tries string2l only on strings of at most 20 bytes
  if (integer && len <= kLongDigits) return jemalloc_usable(kRobj);
  if (len <= kEmbstrLimit) return jemalloc_usable(kRobj + 3 + len + 1);  // robj + sdshdr8 in one block
  return jemalloc_usable(kRobj) + sds_bytes(len);
}

size_t per_key_bytes(size_t key_len, size_t value_len, bool has_ttl, bool cluster_mode, bool integer) {
  size_t bytes = dict_entry_bytes(cluster_mode);  // dictEntry (+ clusterDictEntryMetadata)
  bytes += sds_bytes(key_len);
  bytes += value_bytes(value_len, integer);
  if (has_ttl) bytes += jemalloc_usable(24);  // entry in db->expires (no cluster metadata there)
  return bytes;
}

size_t dict_table_bytes(size_t used) {
  if (used == 0) return 0;
  if (used <= 4) return 4 * 8;
  // The next power of two >= used.
  return (size_t{1} << (64 - __builtin_clzll(static_cast<unsigned long long>(used - 1)))) * 8;
}

size_t dict_entry_bytes(bool cluster_mode) { return jemalloc_usable(cluster_mode ? 40 : 24); }

size_t startup_bytes(bool cluster_mode) { return cluster_mode ? 1600032 + 870 : 876208 + 381; }

size_t fixed_bytes(const StoreConfig& cfg) {
  return startup_bytes(cfg.cluster_mode) + static_cast<size_t>(cfg.client_connections) * kClientConnectionBytes +
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
