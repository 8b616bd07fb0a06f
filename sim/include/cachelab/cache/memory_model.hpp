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

#include "cachelab/cache/store_config.hpp"

namespace cachelab::memory {

// jemalloc 5.3 small/large size classes on x86-64: 8, then multiples of 16 up to 128, then 4 classes per doubling.
constexpr size_t jemalloc_usable(size_t request);

// sds allocation for a string of `len` bytes (sds.c sdsReqType: header 1/3/5/9 bytes, + len + NUL).
constexpr size_t sds_bytes(size_t len);

// The value object of a string of `len` bytes (object.c createStringObject, tryObjectEncoding): EMBSTR up to 44
// bytes (robj + sdshdr8 in one block), else robj + a raw sds; an integer (`integer`: the string is a decimal number
// that fits a long, string2l) is OBJ_ENCODING_INT, the robj alone with the number in its pointer. Shared integers
// (0..9999, no allocation) are not used once maxmemory is set with an LRU/LFU policy (MAXMEMORY_FLAG_NO_SHARED_INTEGERS,
// server.h:526), the only case where eviction happens, so they are not modelled.
constexpr size_t value_bytes(size_t len, bool integer = false);

// Bytes one key costs beyond the bucket arrays.
size_t per_key_bytes(size_t key_len, size_t value_len, bool has_ttl, bool cluster_mode, bool integer = false);

// A hash object of `fields` fields (docs/redis-reference.md §7.9): every field name `name_len` bytes, every value
// `value_len` bytes except, when `long_value_len` > 0, one value of that many bytes; names and values are non-numeric
// strings (a listpack stores a number as an integer). Written by one HSET of all its fields into a new key.
struct HashShape {
  uint32_t fields = 0;
  uint32_t name_len = 0;
  uint32_t value_len = 0;
  uint32_t long_value_len = 0;  // 0 = none
};

// Redis 7.0.15 defaults (src/config.c:3122, :3126): a hash stays a listpack while it has at most this many fields
// and no name or value is longer than hash-max-listpack-value.
inline constexpr uint32_t kHashMaxListpackEntries = 512;
inline constexpr uint32_t kHashMaxListpackValue = 64;

// Whether HSET leaves the hash a listpack (t_hash.c:40 hashTypeTryConversion, t_hash.c:227 the entries limit).
bool hash_is_listpack(const HashShape& h);

// The listpack's allocation: 6 header bytes + the end byte + per entry its encoding header (1/2/5 bytes for a
// string shorter than 64/4096/more), the bytes and the backlen (1 byte up to 127, 2 up to 16,382, ...).
size_t listpack_bytes(const HashShape& h);

// The value side of a hash key: the robj plus the listpack, or the robj plus the dict (struct, bucket arrays as
// HSET leaves them, one dictEntry and two sds per field).
size_t hash_value_bytes(const HashShape& h);

// Bytes one hash key costs beyond the main dict's bucket arrays (per_key_bytes with the hash as its value).
size_t per_hash_key_bytes(size_t key_len, const HashShape& h, bool has_ttl, bool cluster_mode);

// The bucket array of a dict holding `used` entries: dictExpand doubles when used >= size, from 4.
size_t dict_table_bytes(size_t used);

// The dictEntry alone (+ cluster metadata), i.e. what a key costs beyond its key sds and value.
size_t dict_entry_bytes(bool cluster_mode);

// used_memory_startup of 7.0.15 in the lab's layout (docs/redis-reference.md §7.8.2: the config file's path and
// settings are in memory) once every command table's incremental rehash has finished: a node's used_memory_startup
// is this plus the old bucket arrays populateCommandTable leaves (160-608 B, by the hash seed; CommandTable below).
// Measured on 9 starts each, the held arrays itemised per table: every start gave these figures.
inline constexpr size_t kStartupRehashedCluster = 1599600;
inline constexpr size_t kStartupRehashedStandalone = 875808;

// What a node that has served holds beyond kStartupRehashed* that the model does not itemise (docs/redis-reference.md
// §7.8, §7.8.2), calibrated on memory grids whose labs had their command tables rehashed, with each command's
// arguments modelled: the middle of the range that gave every 2mb and 16mb point's count to the key (a full cluster
// grid: 869-893 B; the standalone CI grid: 197-213 B). The same in every lab.
inline constexpr size_t kServedUnitemisedCluster = 881;
inline constexpr size_t kServedUnitemisedStandalone = 205;

// used_memory of an empty server that has served, before its connections, peers and latency histograms
// (fixed_bytes adds those), with its command tables rehashed: kStartupRehashed* + kServedUnitemised*. Cluster mode
// includes the 256 KB slots_to_keys array. Issue 16 part 6.
size_t startup_bytes(bool cluster_mode);

// A command container's subcommand dict (server.c:2806 commandAddSubcommand), filled by one dictAdd per subcommand at
// startup. dictAddRaw does one rehash step (dict.c:211 dictRehash: moves one non-empty bucket) before each add and
// expands when used >= size (dict.c:1010), so the last expansion's old array (8 B a bucket) stays allocated unless
// the adds after it were at least as many as its non-empty buckets. Only lookups of the container's subcommands
// (dictFind, dict.c:517: one step each) free it later. Which buckets are non-empty follows the hash seed, random
// per process (server.c:6925): the 7.0.15 containers hold 160 B for sure and up to 608 B (docs §7.8.2).
struct CommandTable {
  const char* container;
  uint32_t subcommands;
};
inline constexpr CommandTable kCommandTables70[] = {{"slowlog", 4}, {"xinfo", 4},   {"config", 5},  {"module", 5},
                                                    {"object", 5},  {"memory", 6},  {"pubsub", 6},  {"script", 6},
                                                    {"xgroup", 6},  {"command", 7}, {"latency", 7}, {"function", 9},
                                                    {"acl", 13},    {"client", 16}, {"cluster", 27}};

// The bytes of old bucket array a dict holds right after `entries` dictAdds into an empty dict, when its last
// expansion's old array had `nonempty_old_buckets` non-empty buckets (the earlier expansions' rehashes finish: at
// least as many adds follow each as its old array has entries). 0 when it never expanded from a non-empty array.
size_t filled_dict_old_array_bytes(uint32_t entries, uint32_t nonempty_old_buckets);

// Each table's held bytes at its worst and best case (every old entry in its own bucket / all in one bucket).
size_t command_tables_held_bytes_max();
size_t command_tables_held_bytes_min();

// The command's arguments as they are in memory when performEvictions runs before it (server.c processCommand):
// processMultibulkBuffer (networking.c:2264) has allocated the argv array (8 B a pointer) and one string object per
// argument (createStringObject: EMBSTR up to 44 bytes, else robj + raw sds, as value_bytes without integers); they are
// freed after the command (freeClientArgv), but a SET keeps its value object as the stored value. `arg_lens`: each
// argument's length, the command name included. docs/redis-reference.md §7.8.2.
size_t command_args_bytes(const uint32_t* arg_lens, size_t argc);
template <size_t N>
size_t command_args_bytes(const uint32_t (&arg_lens)[N]) {
  return command_args_bytes(arg_lens, N);
}

// One busy normal client connection: 22,272 B of mem_clients_normal (the client struct, its query buffer and its
// reply buffer), measured on 7.0.15 for one connection sending SETs of 200-byte values, the setup of the 20mb check
// (docs/toolchain.md §4), plus 459 B that INFO's figure leaves out (networking.c getClientMemoryUsage counts only the
// struct and the buffers, not the connection struct, the reply / watched-keys / pub-sub lists and dict, the node in
// server.clients and the clients_index rax entry): 20 more connections added 761,824 B of used_memory and 752,640 B
// of mem_clients_normal (issue 16 part 6, `cachelab-live memgrid` with CACHELAB_MEMGRID_CONN_PROBE=1).
// A new connection holds a 16 KB reply buffer until clientsCron (networking.c clientsCronResizeOutputBuffer) shrinks
// it to 1 KB, its peak: 15,360 B more for its first ~100 ms; an idle connection shrinks to ~7.5 KB later.
constexpr size_t kClientConnectionBytes = 22272 + 459;
// A connection that CLIENT INFO or CLIENT LIST has described keeps its two address strings (networking.c
// getClientPeerId / getClientSockname cache c->peerid and c->sockname): "127.0.0.1:54321" is a 19-B sds, a 32-B
// class each. Measured: a connection's first CLIENT INFO adds 64 B of used_memory, the second none (issue 16 part 6).
constexpr size_t kDescribedClientBytes = 64;
// The live driver's monitoring connection to a node (live/replay/driver.cpp: INFO at every metrics interval, on one
// connection kept for the run, as a metrics exporter's): a client whose reply buffer holds INFO's ~5 KB reply.
// clientsCronResizeOutputBuffer (networking.c, 7.0) doubles a buffer a reply filled (1 -> 2 -> 4 -> 8 KB) and
// shrinks one whose peak, reset every 5 s, stays under half, so it sits at 8,192 B but for a few hundred ms after
// each reset. Measured during a run: CLIENT LIST rbs=8192 rbp=5024 tot-mem=29440 (a plain client's 22,272 + 7,168).
constexpr size_t kMonitorReplyBufferBytes = 8192;
constexpr size_t kMonitorConnectionBytes = kClientConnectionBytes - 1024 + kMonitorReplyBufferBytes;

// One latency histogram per distinct command the server has run (7.0's latency-tracking, on by default): call()
// -> updateCommandLatencyHistogram (server.c:3222) creates it at the command's first call, hdr_init(1, 1e9, 2)
// (server.h:628-630 LATENCY_HISTOGRAM_MIN/MAX/PRECISION), and never frees it. By hdr_calculate_bucket_config
// (deps/hdr_histogram/hdr_histogram.c:343): sub_bucket_count = 2^ceil(log2(2 x 10^2)) = 256, unit_magnitude 0,
// bucket_count = 23 (256 << 22 is the first value above 1e9), counts_len = (23 + 1) x 256 / 2 = 3,072 int64 counters
// = 24,576 B (a size class), plus struct hdr_histogram (104 B -> 112): 24,688 B. CONFIG SET maxmemory, INFO, AUTH,
// CLUSTER NODES and each data command (GET, SET, ...) each hold one: ten of them are ~240 KB of every node's memory,
// more than a 2mb node has for keys after startup (docs/redis-reference.md §7.8).
constexpr size_t kLatencyHistogramBytes = 24688;

// What one other node of the cluster costs a node (cluster.c createClusterNode, createClusterLink, connection.c):
// its clusterNode (2,320 B -> 2,560: the 2 KB slot bitmap), fail_reports list (48), empty hostname sds (4 -> 8), its
// entry in cluster->nodes (24 -> 32) with the 40-character name sds (44 -> 48), and two cluster-bus links (the one
// we opened and the one it opened), each a clusterLink (56 -> 64), a connection (60 -> 64), the 1 KB receive buffer
// (RCVBUF_INIT_LEN) and an empty send sds (8): 2,696 + 2 x 1,160 = 5,016 B.
constexpr size_t kClusterPeerBytes = 5016;

// repl-backlog-size default (docs/redis-reference.md §0): allocated on a node with replicas, counted in used_memory.
constexpr size_t kReplBacklogBytes = 1048576;

// Everything in used_memory that is not keys or the keyspace's bucket arrays: startup, client connections, the
// replication backlog, the other cluster nodes and the commands' latency histograms, as `cfg` gives them.
size_t fixed_bytes(const StoreConfig& cfg);

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
  // dictExpand(used) on an empty dict (a listpack converted to a hashtable is presized to its length): the next
  // power of two >= used, at least 4, with no rehash.
  void presize(size_t used) {
    uint64_t n = 4;
    while (n < used) n *= 2;
    start(n, 0);
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

// Inline: the simulator sizes every command's arguments with these (Store::make_room).
constexpr size_t jemalloc_usable(size_t n) {
  if (n <= 8) return 8;
  if (n <= 128) return (n + 15) / 16 * 16;
  // Classes in [2^k, 2^(k+1)) step by 2^(k-2), where 2^k < n <= 2^(k+1).
  int k = 63 - __builtin_clzll(static_cast<unsigned long long>(n - 1));
  const size_t step = size_t{1} << (k - 2);
  return (n + step - 1) / step * step;
}

constexpr size_t sds_bytes(size_t len) {
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

constexpr size_t value_bytes(size_t len, bool integer) {
  constexpr size_t kRobj = 16;
  constexpr size_t kEmbstrLimit = 44;  // OBJ_ENCODING_EMBSTR_SIZE_LIMIT, object.c:119
  constexpr size_t kLongDigits = 20;   // tryObjectEncoding tries string2l only on strings of at most 20 bytes
  if (integer && len <= kLongDigits) return jemalloc_usable(kRobj);
  if (len <= kEmbstrLimit) return jemalloc_usable(kRobj + 3 + len + 1);  // robj + sdshdr8 in one block
  return jemalloc_usable(kRobj) + sds_bytes(len);
}

}  // namespace cachelab::memory
