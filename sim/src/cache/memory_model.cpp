#include "cachelab/cache/memory_model.hpp"

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
  if (len < (1u << 5)) hdr = 1;        // sdshdr5
  else if (len < (1u << 8)) hdr = 3;   // sdshdr8
  else if (len < (1u << 16)) hdr = 5;  // sdshdr16
  else hdr = 9;                        // sdshdr32
  return jemalloc_usable(hdr + len + 1);
}

size_t per_key_bytes(size_t key_len, size_t value_len, bool has_ttl, bool cluster_mode) {
  constexpr size_t kRobj = 16;
  constexpr size_t kEmbstrLimit = 44;  // OBJ_ENCODING_EMBSTR_SIZE_LIMIT, object.c:119
  size_t bytes = jemalloc_usable(cluster_mode ? 40 : 24);  // dictEntry (+ clusterDictEntryMetadata)
  bytes += sds_bytes(key_len);
  if (value_len <= kEmbstrLimit) bytes += jemalloc_usable(kRobj + 3 + value_len + 1);  // robj + sdshdr8 in one block
  else bytes += kRobj + sds_bytes(value_len);
  if (has_ttl) bytes += jemalloc_usable(24);  // entry in db->expires (no cluster metadata there)
  return bytes;
}

size_t dict_table_bytes(size_t used) {
  if (used == 0) return 0;
  if (used <= 4) return 4 * 8;
  // The next power of two >= used.
  return (size_t{1} << (64 - __builtin_clzll(static_cast<unsigned long long>(used - 1)))) * 8;
}

size_t startup_bytes(bool cluster_mode) { return cluster_mode ? 1677722 : 922747; }  // 1.6 MiB, 0.88 MiB

}  // namespace cachelab::memory
