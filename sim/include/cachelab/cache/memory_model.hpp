#pragma once
// used_memory as Redis 7.0 with jemalloc 5.3 accounts it (ref. redis-cluster.md §7.8): every allocation counts its
// jemalloc usable size (size class), per key: the dictEntry (+16 B slot-list metadata in cluster mode), the key sds,
// the value object (embstr up to 44 bytes, else robj + raw sds), an expires entry for keys with a TTL, and the
// bucket arrays of the main and expires dicts (8 B x a power of two >= the number of keys).
// Not modelled (yet): client buffers, the replication backlog, incremental rehash transients, shrinking.
#include <cstddef>
#include <cstdint>

namespace cachelab::memory {

// jemalloc 5.3 small/large size classes on x86-64: 8, then multiples of 16 up to 128, then 4 classes per doubling.
size_t jemalloc_usable(size_t request);

// sds allocation for a string of `len` bytes (sds.c sdsReqType: header 1/3/5/9 bytes, + len + NUL).
size_t sds_bytes(size_t len);

// Bytes one key costs beyond the bucket arrays.
size_t per_key_bytes(size_t key_len, size_t value_len, bool has_ttl, bool cluster_mode);

// The bucket array of a dict holding `used` entries: dictExpand doubles when used >= size, from 4.
size_t dict_table_bytes(size_t used);

// used_memory of an empty server (used_memory_startup measured on 7.0.15: ~0.88 MB standalone, ~1.6 MB cluster,
// which includes the 256 KB slots_to_keys array).
size_t startup_bytes(bool cluster_mode);

}  // namespace cachelab::memory
