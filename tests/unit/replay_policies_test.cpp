// Each replay policy on tiny hand-made traces whose outcomes are derived by hand in the comments (unit sizes unless
// said otherwise; "m" = miss, "h" = hit). Also the simulator's shared semantics: oversized objects, sizes kept on
// hits, lazy TTL expiry, and the readers' formats.
#include <gtest/gtest.h>

#include <string>

#include "cachelab/replay/simulator.hpp"
#include "test_util.hpp"

namespace test = cachelab::test;
using namespace cachelab::replay;

namespace {

// One request per character; each distinct character is one object. Sizes from `sizes` when given.
Trace make_trace(const std::string& keys, const std::vector<uint32_t>& sizes = {}) {
  Trace t;
  std::vector<int> id(256, -1);
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto c = static_cast<unsigned char>(keys[i]);
    if (id[c] < 0) id[c] = static_cast<int>(t.objects++);
    const uint32_t size = sizes.empty() ? 1 : sizes[i];
    t.requests.push_back(Request{static_cast<uint32_t>(id[c]), size, static_cast<uint32_t>(i), kNeverAgain});
    t.requested_bytes += size;
  }
  compute_next_access(t);
  return t;
}

uint64_t misses(const std::string& policy, const std::string& keys, uint64_t capacity) {
  ReplayConfig cfg;
  cfg.policy = policy;
  cfg.capacity_bytes = capacity;
  return replay(make_trace(keys), cfg).misses;
}

}  // namespace

TEST(ReplayPolicies, RegistryListsEveryReferencePolicy) {
  for (const char* name : {"lru", "fifo", "lfu", "random", "clock", "sieve", "s3fifo", "arc", "belady"})
    EXPECT_NE(cachelab::ObjectPolicyRegistry::instance().find(name), nullptr) << name;
  EXPECT_NE(cachelab::ObjectPolicyRegistry::instance().find("LRU"), nullptr);  // case-insensitive
  EXPECT_EQ(cachelab::ObjectPolicyRegistry::instance().find("nope"), nullptr);
  EXPECT_THROW(replay(make_trace("a"), ReplayConfig{"nope", 1}), ReplayError);
}

// C=2, "abacba": LRU: a m, b m, a h, c m (evicts b), b m (evicts a), a m = 5.
// FIFO: a m, b m, a h, c m (evicts a, the oldest), b h, a m (evicts b) = 4.
TEST(ReplayPolicies, LruAndFifo) {
  EXPECT_EQ(misses("lru", "abacba", 2), 5u);
  EXPECT_EQ(misses("fifo", "abacba", 2), 4u);
}

// C=2, "abaca": CLOCK: c finds a referenced at the hand, clears it and moves it to the head, evicts b; a hits = 3
// misses. FIFO evicts a at c: 4.
TEST(ReplayPolicies, ClockGivesReferencedObjectsASecondChance) {
  EXPECT_EQ(misses("clock", "abaca", 2), 3u);
  EXPECT_EQ(misses("fifo", "abaca", 2), 4u);
}

// C=3, "abcadcea". Both evict b at d (a is visited). Then c is hit. At e:
// - SIEVE: survivors stay in place, the hand rests on c (the neighbour of b towards the head); c is visited, so
//   the hand clears it and moves to d (newer), which is unvisited: d is evicted. a then hits: 5 misses.
// - CLOCK: a was moved to the head when spared, so the tail is c (referenced: to the head), then a (bit cleared):
//   a is evicted, and the final a misses: 6.
TEST(ReplayPolicies, SieveKeepsSurvivorsInPlaceWithAPersistentHand) {
  EXPECT_EQ(misses("sieve", "abcadcea", 3), 5u);
  EXPECT_EQ(misses("clock", "abcadcea", 3), 6u);
}

// C=2. "aabcb": a has count 2, b count 1: c evicts b; b then evicts c (count 1, a has 2): 4 misses.
// Ties: "abc" evicts a (oldest with count 1), so "abcb" has 3 misses and "abca" 4.
// "abbac": a and b both reach count 2, b first (request 3): c evicts b; then "a" hits, "b" misses.
TEST(ReplayPolicies, LfuInCacheCountsWithFifoTies) {
  EXPECT_EQ(misses("lfu", "aabcb", 2), 4u);
  EXPECT_EQ(misses("lfu", "abcb", 2), 3u);
  EXPECT_EQ(misses("lfu", "abca", 2), 4u);
  EXPECT_EQ(misses("lfu", "abbaca", 2), 3u);
  EXPECT_EQ(misses("lfu", "abbacb", 2), 4u);
  // Counts are forgotten on eviction: "aaab" then c evicts b; a's count 3 stays; "bb..." re-enters at 1.
  EXPECT_EQ(misses("lfu", "aaabcbca", 2), 5u);  // a m,a h,a h,b m,c m(ev b),b m(ev c),c m(ev b),a h
}

// C=2, "abcab": at c the next uses are a@3, b@4: evict b. a hits, b misses: 4. LRU: 5.
TEST(ReplayPolicies, BeladyEvictsTheFarthestNextUse) {
  EXPECT_EQ(misses("belady", "abcab", 2), 4u);
  EXPECT_EQ(misses("lru", "abcab", 2), 5u);
}

// S3-FIFO, C=20: S holds 2, M 18, the ghost 18. Objects 1..20 fill the cache: 1, 2 go to S; S is full and nothing
// was evicted yet, so 3..20 go to M. 21: M is within its share, S is not empty: S's oldest (1, never hit) is evicted
// and remembered in the ghost; 21 enters S. 1 again: a ghost hit (a miss) goes to M: S's oldest (2) is evicted to
// the ghost. 22: M now holds 19 > 18, so M evicts its oldest unhit object, 3; 22 enters S. 1 then hits (it is in
// M), 3 misses (evicted from M), and 2 is a ghost hit (a miss).
TEST(ReplayPolicies, S3FifoQuickDemotionAndGhost) {
  std::string keys;
  for (char c = 'A'; c < 'A' + 20; ++c) keys += c;  // objects 1..20 as A..T
  keys +=
      "U"
      "A"
      "V";  // 21, 1, 22
  EXPECT_EQ(misses("s3fifo", keys, 20), 23u);
  EXPECT_EQ(misses("s3fifo", keys + "A", 20), 23u);   // 1 hits in M
  EXPECT_EQ(misses("s3fifo", keys + "AC", 20), 24u);  // 3 was evicted from M
  EXPECT_EQ(misses("s3fifo", keys + "B", 20), 24u);   // 2 was demoted out of S
  // An object hit twice in S moves to M (threshold 2) instead of being evicted: B hit twice survives U and V.
  std::string promoted;
  for (char c = 'A'; c < 'A' + 20; ++c) promoted += c;
  promoted +=
      "BB"
      "U"
      "V"
      "B";  // U evicts A from S; V finds S = [U, B]: B (freq 2) moves to M, U... stays
  EXPECT_EQ(misses("s3fifo", promoted, 20), 22u);
}

// ARC, C=2: "aabcba". a a: a moves to T2. b: T1=[b]. c: REPLACE moves b (T1 > p=0) to B1; T1=[c], T2=[a].
// b: a B1 hit raises p to 1; REPLACE now keeps T1 (|T1| = 1, not > p) and moves a from T2 to B2; b enters T2.
// a: a B2 hit (miss), p back to 0. 5 misses. Without the adaptation (p = 0) c would have gone to B1 and a would
// hit: the miss on the last a is ARC's adaptation. LRU on the same trace: a m, a h, b m, c m (ev a), b h, a m = 4.
TEST(ReplayPolicies, ArcAdaptsItsRecencyTarget) {
  EXPECT_EQ(misses("arc", "aabcba", 2), 5u);
  // Both a and b are now in T2: they hit, and c (in B1) misses.
  EXPECT_EQ(misses("arc", "aabcbaba", 2), 5u);
  EXPECT_EQ(misses("arc", "aabcbabac", 2), 6u);
  EXPECT_EQ(misses("lru", "aabcba", 2), 4u);
  // Scan resistance: after "abab" both are in T2 and T1 is empty, so c must take a from T2 (to B2); from then on
  // each scanned object replaces the previous one in T1 (|T1| = 1 > p = 0) and b survives the scan. a is a B2
  // ghost hit (a miss), b hits: 2 + 5 + 1 = 8. LRU loses both: 9.
  EXPECT_EQ(misses("arc", "ababcdefgab", 2), 8u);
  EXPECT_EQ(misses("lru", "ababcdefgab", 2), 9u);
}

TEST(ReplayPolicies, RandomIsReproducibleFromItsSeed) {
  const Trace t = make_trace("abcdefabcdefaabbccddeeff");
  ReplayConfig cfg{"random", 3};
  cfg.seed = 11;
  const uint64_t first = replay(t, cfg).misses;
  EXPECT_EQ(replay(t, cfg).misses, first);
  EXPECT_GE(first, 6u);  // at least the compulsory misses
}

// Shared semantics (docs/validation.md §0): an object larger than the cache is not inserted (and evicts nothing); a hit
// does not change the stored size; eviction frees until used + size <= capacity.
TEST(ReplaySemantics, OversizedObjectsAndStoredSizes) {
  ReplayConfig cfg{"lru", 100};
  // a(60) b(50: evicts a) c(200: too big, nothing evicted) b(hit)
  EXPECT_EQ(replay(make_trace("abcb", {60, 50, 200, 50}), cfg).misses, 3u);
  // a(40) b(40) a(hit, requested with 90 bytes: the stored 40 stays) c(20): 40 + 40 + 20 fits, nothing evicted.
  const ReplayResult r = replay(make_trace("abacab", {40, 40, 90, 20, 40, 40}), cfg);
  EXPECT_EQ(r.misses, 3u);
  EXPECT_EQ(r.miss_bytes, 100u);
  EXPECT_EQ(r.requested_bytes, 270u);
  // --unit-size: every object counts 1 whatever the trace says.
  cfg.unit_size = true;
  cfg.capacity_bytes = 2;
  EXPECT_EQ(replay(make_trace("abcb", {60, 50, 200, 50}), cfg).misses, 3u);
}

// TTL set on insert, not refreshed by hits, expired when expiry < now (whole seconds), lazily.
TEST(ReplaySemantics, LazyTtlExpiry) {
  const auto dir = test::temp_dir("replay-ttl");
  const std::string path =
      test::write_file(dir / "t.csv", "time,key,size\n0,k,10\n10,k,10\n11,k,10\n12,k,10\n21,k,10\n22,k,10\n");
  const Trace t = read_trace(path, TraceFormat::Csv);
  ReplayConfig cfg{"lru", 1000};
  cfg.ttl_s = 10;
  // 0 m (expiry 10), 10 h (10 < 10 is false), 11 m (expired; reinserted, expiry 21), 12 h, 21 h, 22 m.
  EXPECT_EQ(replay(t, cfg).misses, 3u);
  cfg.ttl_s = 0;
  EXPECT_EQ(replay(t, cfg).misses, 1u);
}

TEST(ReplayTraceReaders, CsvColumnsByHeaderAndTxtKeys) {
  const auto dir = test::temp_dir("replay-readers");
  const std::string csv =
      test::write_file(dir / "t.csv", "op,size,key,time\nget,10,user:1,1.5\nset,20,42,2\n\nget,10,user:1,3\n");
  const Trace t = read_trace(csv, TraceFormat::Csv);
  ASSERT_EQ(t.requests.size(), 3u);
  EXPECT_EQ(t.objects, 2u);
  EXPECT_EQ(t.requests[0].time_s, 1u);
  EXPECT_EQ(t.requests[1].size_bytes, 20u);
  EXPECT_EQ(t.requests[0].next_access_vtime, 2);
  EXPECT_EQ(t.requests[2].next_access_vtime, kNeverAgain);
  EXPECT_EQ(t.working_set_bytes, 30u);
  EXPECT_THROW(read_trace(test::write_file(dir / "bad.csv", "a,b\n1,2\n"), TraceFormat::Csv), TraceError);
  EXPECT_THROW(read_trace(test::write_file(dir / "bad2.csv", "time,key,size\n1,k,x\n"), TraceFormat::Csv), TraceError);

  const Trace x = read_trace(test::write_file(dir / "t.txt", "a\nb\r\na\n\n7\n"), TraceFormat::Txt);
  ASSERT_EQ(x.requests.size(), 4u);
  EXPECT_EQ(x.objects, 3u);
  EXPECT_EQ(x.requests[0].obj, x.requests[2].obj);
  EXPECT_EQ(x.requests[3].size_bytes, 1u);

  EXPECT_THROW(read_trace(test::write_file(dir / "odd.bin", "12345"), TraceFormat::OracleGeneral), TraceError);
  EXPECT_THROW(read_trace((dir / "missing").string(), TraceFormat::OracleGeneral), TraceError);
}
