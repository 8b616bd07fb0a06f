// used_memory per key against real Redis 7.0.15 (docs/redis-reference.md §7.8, measured: 1M SETs of 16-byte keys
// key:%012d with values of the given length; the delta per key includes 8.39 B of bucket array at 2^20 buckets).
#include <gtest/gtest.h>

#include "cachelab/cache/memory_model.hpp"

using namespace cachelab::memory;

TEST(JemallocSizeClasses, AsJemalloc53) {
  for (auto [req, cls] : std::vector<std::pair<size_t, size_t>>{{1, 8},
                                                                {8, 8},
                                                                {9, 16},
                                                                {24, 32},
                                                                {33, 48},
                                                                {40, 48},
                                                                {100, 112},
                                                                {128, 128},
                                                                {129, 160},
                                                                {200, 224},
                                                                {256, 256},
                                                                {257, 320},
                                                                {513, 640},
                                                                {1025, 1280},
                                                                {4097, 5120},
                                                                {16385, 20480}})
    EXPECT_EQ(jemalloc_usable(req), cls) << req;
}

TEST(PerKeyMemory, MatchesMeasuredRedis) {
  const double buckets = dict_table_bytes(1000000) / 1e6;  // 8.39 B per key at one million keys
  struct Case {
    size_t value_len;
    bool ttl;
    double standalone, cluster;
  };
  for (const Case& c : {Case{3, false, 104, 120}, Case{10, false, 104, 120}, Case{44, false, 136, 152},
                        Case{45, false, 152, 168}, Case{100, false, 200, 216}, Case{3, true, 144, 160}}) {
    const double ttl_buckets = c.ttl ? buckets : 0;
    EXPECT_NEAR(per_key_bytes(16, c.value_len, c.ttl, false) + buckets + ttl_buckets, c.standalone, 1.0)
        << "value " << c.value_len << (c.ttl ? " with TTL" : "");
    EXPECT_NEAR(per_key_bytes(16, c.value_len, c.ttl, true) + buckets + ttl_buckets, c.cluster, 1.0)
        << "cluster, value " << c.value_len;
  }
}

TEST(DictTable, PowersOfTwoFromFour) {
  EXPECT_EQ(dict_table_bytes(0), 0u);
  EXPECT_EQ(dict_table_bytes(1), 4u * 8);
  EXPECT_EQ(dict_table_bytes(4), 4u * 8);
  EXPECT_EQ(dict_table_bytes(5), 8u * 8);
  EXPECT_EQ(dict_table_bytes(1000000), 1048576u * 8);
}

// Redis 7.0 keeps a dict's table at its size while doubling it would take used_memory over maxmemory (server.c
// dictExpandAllowed), unless the load factor is above 1.618.
TEST(DictTable, ExpansionRefusedWhenItWouldExceedMaxmemory) {
  DictTable t;
  auto never = [](uint64_t, double ratio) { return ratio > 1.618; };
  for (size_t used = 0; used < 6; ++used) t.before_add(used, [](uint64_t, double) { return true; });
  EXPECT_EQ(t.buckets(), 8u);
  EXPECT_TRUE(t.rehashing());  // 4 -> 8 keeps the old array until its buckets have moved
  t.step(100);
  EXPECT_FALSE(t.rehashing());
  EXPECT_EQ(t.bytes(), 64u);
  for (size_t used = 8; used <= 12; ++used) t.before_add(used, never);
  EXPECT_EQ(t.buckets(), 8u);  // 12/8 = 1.5 <= 1.618: refused
  t.before_add(13, never);     // 13/8 = 1.625: forced
  EXPECT_EQ(t.buckets(), 16u);
  EXPECT_EQ(t.bytes(), (16u + 8u) * 8);
  // The cron shrinks a table under 10 % fill to the next power of two >= used.
  t.step(100);
  t.cron(1, 0);
  EXPECT_EQ(t.buckets(), 4u);
}

// Each grid shape's per-key bytes (issue 16 part 6), derived by hand from the allocations Redis 7.0 makes
// (docs/redis-reference.md §7.8) and jemalloc 5.3's classes (8, 16, 32, 48, 64, 80, 96, 112, 128, then four per
// doubling: ..., 1024, 1280, ..., 16384, 20480):
//   dictEntry: 24 B -> 32 standalone; 24 + 16 B of slot-list metadata = 40 -> 48 in cluster mode.
//   key sds: 10 chars: sdshdr5 (1) + 10 + NUL = 12 -> 16; 40 chars: sdshdr8 (3) + 40 + 1 = 44 -> 48.
//   value "7" (an integer): OBJ_ENCODING_INT, the 16-byte robj only -> 16.
//   value 16 B: EMBSTR robj 16 + sdshdr8 3 + 16 + 1 = 36 -> 48; 44 B: 16 + 3 + 44 + 1 = 64 -> 64.
//   value 45 B: RAW, robj 16 -> 16 and sds 3 + 45 + 1 = 49 -> 64: 80. 100 B: 16 + (3 + 100 + 1 = 104 -> 112) = 128.
//   value 1024 B: sdshdr16 (5) + 1024 + 1 = 1030 -> 1280, + 16 = 1296. 16384 B: 5 + 16384 + 1 = 16390 -> 20480,
//   + 16 = 20496.
//   TTL: the db->expires entry, 24 -> 32 (no cluster metadata in the expires dict).
TEST(PerKeyMemory, GridShapesFromRedisAllocations) {
  struct Case {
    size_t key_len, value_len;
    bool integer, ttl, cluster;
    size_t bytes;
  };
  for (const Case& c :
       {Case{10, 1, true, false, true, 48 + 16 + 16},        // 80
        Case{10, 1, true, true, false, 32 + 16 + 16 + 32},   // 96
        Case{10, 16, false, false, true, 48 + 16 + 48},      // 112
        Case{40, 16, false, true, true, 48 + 48 + 48 + 32},  // 176
        Case{10, 44, false, false, false, 32 + 16 + 64},     // 112
        Case{10, 45, false, false, false, 32 + 16 + 80},     // 128
        Case{40, 100, false, false, true, 48 + 48 + 128},    // 224
        Case{10, 1024, false, false, true, 48 + 16 + 1296}, Case{40, 16384, false, true, true, 48 + 48 + 20496 + 32}})
    EXPECT_EQ(per_key_bytes(c.key_len, c.value_len, c.ttl, c.cluster, c.integer), c.bytes)
        << "key " << c.key_len << " value " << c.value_len << (c.integer ? " int" : "") << (c.ttl ? " ttl" : "")
        << (c.cluster ? " cluster" : "");
}

// An integer is INT-encoded only when string2l can parse it, i.e. at most 20 characters (object.c
// tryObjectEncoding); a longer digit string is an ordinary string.
TEST(ValueBytes, IntegerEncodingUpToTwentyDigits) {
  EXPECT_EQ(value_bytes(1, true), 16u);
  EXPECT_EQ(value_bytes(20, true), 16u);
  EXPECT_EQ(value_bytes(21, true), value_bytes(21, false));
  EXPECT_EQ(value_bytes(1, false), 32u);  // embstr: 16 + 3 + 1 + 1 = 21 -> 32
}

// The latency histogram's size from hdr_histogram's rules with Redis's parameters (1 ns .. 1 s, 2 significant
// figures), recomputed here step by step rather than copied.
TEST(FixedMemory, LatencyHistogramFromHdrRules) {
  const int64_t lowest = 1, highest = 1000000000;
  const int sig = 2;
  const int64_t single_unit = 2 * 100;  // 2 x 10^sig
  int magnitude = 0;
  while ((int64_t{1} << magnitude) < single_unit) ++magnitude;  // ceil(log2(200)) = 8
  const int64_t sub_bucket_count = int64_t{1} << magnitude;     // 256
  int buckets = 1;
  for (int64_t v = sub_bucket_count * lowest; v <= highest; v <<= 1) ++buckets;  // 23
  const int64_t counts_len = (buckets + 1) * (sub_bucket_count / 2);             // 3,072
  EXPECT_EQ(sig, 2);
  EXPECT_EQ(counts_len, 3072);
  EXPECT_EQ(kLatencyHistogramBytes, jemalloc_usable(static_cast<size_t>(counts_len) * 8) + jemalloc_usable(104));
}

// fixed_bytes adds every non-key part: startup, connections, backlog, peers (cluster mode only), histograms.
TEST(FixedMemory, SumsItsParts) {
  cachelab::StoreConfig c;
  c.cluster_mode = true;
  c.client_connections = 2;
  c.repl_backlog = true;
  c.cluster_peers = 5;
  c.latency_histograms = 9;
  c.described_connections = 1;
  c.monitor_connections = 1;
  EXPECT_EQ(fixed_bytes(c), startup_bytes(true) + 2 * kClientConnectionBytes + kDescribedClientBytes +
                                kMonitorConnectionBytes + kReplBacklogBytes + 5 * kClusterPeerBytes +
                                9 * kLatencyHistogramBytes);
  c.cluster_mode = false;
  EXPECT_EQ(fixed_bytes(c), startup_bytes(false) + 2 * kClientConnectionBytes + kDescribedClientBytes +
                                kMonitorConnectionBytes + kReplBacklogBytes + 9 * kLatencyHistogramBytes);
  // A monitor is a client whose reply buffer is INFO's size, not 1 KB.
  EXPECT_EQ(kMonitorConnectionBytes - kClientConnectionBytes, kMonitorReplyBufferBytes - 1024);
  // A described connection's peer id and socket name: "127.0.0.1:54321" as an sds (sdshdr8, 3 B + 15 + 1), twice.
  EXPECT_EQ(kDescribedClientBytes, 2 * jemalloc_usable(3 + 15 + 1));
  // The peer's parts (cluster.c createClusterNode, createClusterLink; connection.c): node 2,320 B of struct.
  EXPECT_EQ(kClusterPeerBytes, jemalloc_usable(2320) + jemalloc_usable(48) + jemalloc_usable(4) + jemalloc_usable(24) +
                                   jemalloc_usable(44) + 2 * (jemalloc_usable(56) + jemalloc_usable(60) + 1024 + 8));
}

// The old bucket arrays of the command tables' subcommand dicts (docs/redis-reference.md §7.8.2), from dict.c's
// growth rules: an expansion when used >= size before an add, one rehash step per later add.
TEST(StartupMemory, CommandTablesOldArraysFromDictGrowth) {
  EXPECT_EQ(filled_dict_old_array_bytes(4, 0), 0u);   // never expands from a non-empty array
  EXPECT_EQ(filled_dict_old_array_bytes(5, 1), 32u);  // expands 4 -> 8 at the fifth add, no add after it
  EXPECT_EQ(filled_dict_old_array_bytes(6, 1), 0u);   // one step: enough when the four share one bucket
  EXPECT_EQ(filled_dict_old_array_bytes(6, 2), 32u);
  EXPECT_EQ(filled_dict_old_array_bytes(7, 2), 0u);
  EXPECT_EQ(filled_dict_old_array_bytes(7, 3), 32u);
  EXPECT_EQ(filled_dict_old_array_bytes(9, 1), 64u);  // 8 -> 16 at the ninth add
  EXPECT_EQ(filled_dict_old_array_bytes(13, 4), 0u);
  EXPECT_EQ(filled_dict_old_array_bytes(13, 5), 64u);
  EXPECT_EQ(filled_dict_old_array_bytes(16, 7), 0u);
  EXPECT_EQ(filled_dict_old_array_bytes(16, 8), 64u);
  EXPECT_EQ(filled_dict_old_array_bytes(27, 10), 0u);  // CLUSTER: 16 -> 32 at the 17th add, ten adds after
  EXPECT_EQ(filled_dict_old_array_bytes(27, 11), 128u);
  // CONFIG, MODULE, OBJECT (5 subcommands) and FUNCTION (9) hold theirs whatever the seed.
  EXPECT_EQ(command_tables_held_bytes_min(), 3 * 32u + 64u);
  EXPECT_EQ(command_tables_held_bytes_max(), 7 * 32u + 3 * 64u + 64u + 128u);
  // Measured (7.0.15, 3-master labs): used_memory_startup ranged 1,599,936-1,600,160 B over 23 labs; on 6 starts in
  // the lab's layout whose held arrays were itemised table by table, startup minus them was 1,599,600 B each time.
  for (size_t startup : {size_t{1599936}, size_t{1600160}}) {
    EXPECT_GE(startup - kStartupRehashedCluster, command_tables_held_bytes_min());
    EXPECT_LE(startup - kStartupRehashedCluster, command_tables_held_bytes_max());
  }
  EXPECT_EQ(startup_bytes(true), kStartupRehashedCluster + kServedUnitemisedCluster);
  EXPECT_EQ(startup_bytes(false), kStartupRehashedStandalone + kServedUnitemisedStandalone);
}

// processMultibulkBuffer's allocations for a command (docs/redis-reference.md §7.8.2), by hand from the size classes.
TEST(CommandArgs, ArgvArrayAndOneStringObjectPerArgument) {
  // SET k000000042 <16 x's>: argv 3 x 8 = 24 -> 32; "SET" 16+3+3+1 = 23 -> 32; key 30 -> 32; value 36 -> 48.
  EXPECT_EQ(command_args_bytes({3u, 10u, 16u}), 32u + 32u + 32u + 48u);
  // With EX 100000: argv 40 -> 48; "EX" 22 -> 32; "100000" 26 -> 32.
  EXPECT_EQ(command_args_bytes({3u, 10u, 16u, 2u, 6u}), 48u + 32u + 32u + 48u + 32u + 32u);
  // A 45-byte value is a raw string: robj 16 + sdshdr8 49 -> 64.
  EXPECT_EQ(command_args_bytes({3u, 40u, 45u}), 32u + 32u + 64u + 16u + 64u);
  EXPECT_EQ(command_args_bytes({6u}), 8u + 32u);  // DBSIZE
}
