// Redis's dict as DictChains models it (dict.c, 7.0; docs/redis-reference.md §7.5): dictGetSomeKeys's bucket walk (keys
// from consecutive buckets in chain order, at most count*10 steps, a jump to a random index after a run of empty
// buckets with emptylen >= 5 && emptylen > count; both tables while rehashing), the incremental rehash itself
// (dictRehash), and dictGetRandomKey (a random non-empty bucket, then a random entry of its chain). Checked against
// tables built by hand in the test.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <vector>

#include "cachelab/cache/dict_chains.hpp"

using namespace cachelab;

namespace {
struct Table {
  DictChains chains;
  std::vector<uint32_t> next;
  std::vector<uint64_t> keys;  // entry index -> key
  auto link_of() {
    return [this](uint32_t i) -> uint32_t& { return next[i]; };
  }
  auto key_of() {
    return [this](uint32_t i) { return keys[i]; };
  }
  void rehash(int steps) { chains.rehash_steps(static_cast<uint64_t>(steps), link_of(), key_of()); }
  // The entries of one chain, in chain order.
  std::vector<uint32_t> chain(int table, uint64_t bucket) const {
    std::vector<uint32_t> out;
    for (uint32_t e = chains.head(table, bucket); e != DictChains::kNone; e = next[e]) out.push_back(e);
    return out;
  }
  void add(uint64_t key) {
    const auto idx = static_cast<uint32_t>(keys.size());
    keys.push_back(key);
    next.push_back(DictChains::kNone);
    chains.link(key, idx, link_of());
  }
  // A key that lands in `bucket` (found by trying numbers: the hash is fixed).
  uint64_t key_in(uint64_t bucket, uint64_t from = 0) const {
    for (uint64_t k = from;; ++k)
      if (chains.bucket_of(k) == bucket) return k;
  }
};
}  // namespace

TEST(DictChains, WalkTakesWholeChainsFromConsecutiveBuckets) {
  Table t;
  t.chains.reset(1024);
  Rng fill(3);
  for (int i = 0; i < 700; ++i) t.add(fill.next_u64());  // load 0.68, as a dict between doublings
  Rng rng(11);
  for (int trial = 0; trial < 200; ++trial) {
    std::vector<uint32_t> out;
    DictChains::Trace tr;
    const size_t got = t.chains.get_some(5, rng, t.link_of(), out, &tr);
    ASSERT_EQ(got, 5u);
    ASSERT_LE(tr.visited.size(), 50u);  // count*10 steps at most
    if (!tr.jumps.empty()) continue;    // a jump breaks the run; checked in the next test
    for (size_t s = 1; s < tr.visited.size(); ++s) ASSERT_EQ(tr.visited[s], (tr.visited[s - 1] + 1) & 1023);
    // Exactly the chains of the visited buckets, in order, newest first within a chain, cut at count.
    std::vector<uint32_t> expect;
    for (uint64_t b : tr.visited)
      for (uint32_t e = t.chains.head(b); e != DictChains::kNone && expect.size() < 5; e = t.next[e])
        expect.push_back(e);
    EXPECT_EQ(out, expect);
    // The walk stops at the bucket that completed the sample: that bucket is non-empty.
    EXPECT_NE(t.chains.head(tr.visited.back()), DictChains::kNone);
  }
}

TEST(DictChains, ChainIsNewestFirstAndUnlinkKeepsOrder) {
  Table t;
  t.chains.reset(8);
  const uint64_t a = t.key_in(3), b = t.key_in(3, a + 1), c = t.key_in(3, b + 1);
  t.add(a), t.add(b), t.add(c);
  EXPECT_EQ(t.chains.head(3), 2u);
  EXPECT_EQ(t.next[2], 1u);
  EXPECT_EQ(t.next[1], 0u);
  t.chains.unlink(b, 1, t.link_of());
  EXPECT_EQ(t.next[2], 0u);
  t.chains.unlink(c, 2, t.link_of());
  EXPECT_EQ(t.chains.head(3), 0u);
}

// `count` keys, all in one bucket of a big table (dictGetSomeKeys clamps count to the dict's size, so a sparse dict
// is the case): a walk almost never meets that bucket, so it must jump each time its run of empty buckets reaches
// max(5, count+1), and it gives up after count*10 steps with no key.
TEST(DictChains, JumpsAfterEmptyRunsAndStopsAfterCountTimesTenSteps) {
  for (size_t count : {3u, 5u, 10u}) {
    Table t;
    t.chains.reset(1 << 16);
    uint64_t k = 0;
    for (size_t i = 0; i < count; ++i) t.add(k = t.key_in(40000, k + 1));
    Rng rng(5 + count);
    size_t full_walks = 0;
    for (int trial = 0; trial < 100; ++trial) {
      std::vector<uint32_t> out;
      DictChains::Trace tr;
      const size_t got = t.chains.get_some(count, rng, t.link_of(), out, &tr);
      ASSERT_LE(tr.visited.size(), count * 10);
      const size_t run = std::max<size_t>(5, count + 1);
      // Jumps come after exactly `run` empty steps.
      if (got == 0) {
        ++full_walks;
        ASSERT_EQ(tr.visited.size(), count * 10);
        ASSERT_EQ(tr.jumps.size(), count * 10 / run);
        for (size_t j = 0; j < tr.jumps.size(); ++j) EXPECT_EQ(tr.jumps[j], (j + 1) * run - 1);
        // Between jumps the walk is consecutive.
        for (size_t s = 1; s < tr.visited.size(); ++s) {
          if (s % run != 0) {
            EXPECT_EQ(tr.visited[s], (tr.visited[s - 1] + 1) & 0xffff);
          }
        }
      }
    }
    EXPECT_GT(full_walks, 90u);
  }
}

// A short run of empty buckets (fewer than 5, or not more than count) does not jump: the walk crosses it.
TEST(DictChains, ShortEmptyRunsAreWalkedThrough) {
  Table t;
  t.chains.reset(16);
  // Keys in buckets 0 and 4 only (a gap of 3 empty buckets), and 10 (a gap of 5).
  t.add(t.key_in(0)), t.add(t.key_in(4)), t.add(t.key_in(10));
  Rng rng(1);
  for (int trial = 0; trial < 300; ++trial) {
    std::vector<uint32_t> out;
    DictChains::Trace tr;
    t.chains.get_some(2, rng, t.link_of(), out, &tr);
    if (tr.visited.front() != 0) continue;
    // From bucket 0: take its key, cross 1..3 (3 empty, no jump since 3 < 5), take bucket 4's key.
    EXPECT_TRUE(tr.jumps.empty());
    EXPECT_EQ(out, (std::vector<uint32_t>{0, 1}));
    EXPECT_EQ(tr.visited.size(), 5u);
    return;
  }
  FAIL() << "no walk started at bucket 0 in 300 tries";
}

// dictRehash: each step moves the next non-empty bucket of ht[0] (in index order) to ht[1]; keys added meanwhile go
// to ht[1]; a delete finds a key in either table; when ht[0] is empty, ht[1] takes its place.
TEST(DictChains, RehashMovesNonEmptyBucketsInIndexOrder) {
  Table t;
  t.chains.reset(8);
  Rng fill(21);
  for (int i = 0; i < 20; ++i) t.add(fill.next_u64());
  t.chains.start_rehash(16);
  ASSERT_TRUE(t.chains.rehashing());
  EXPECT_EQ(t.chains.buckets(), 16u);
  EXPECT_EQ(t.chains.used(0), 20u);
  uint64_t first = 0;
  while (t.chains.head(0, first) == DictChains::kNone) ++first;
  const std::vector<uint32_t> moved = t.chain(0, first);
  t.rehash(1);
  EXPECT_EQ(t.chains.rehash_index(), static_cast<int64_t>(first + 1));
  EXPECT_EQ(t.chains.head(0, first), DictChains::kNone);
  EXPECT_EQ(t.chains.used(1), moved.size());
  for (uint32_t e : moved) {
    const auto c = t.chain(1, DictChains::hash(t.keys[e]) & 15);
    EXPECT_NE(std::find(c.begin(), c.end(), e), c.end()) << "entry " << e << " not in its new bucket";
  }
  // A key added during the rehash goes to the new table; deletes find keys in either table.
  t.add(fill.next_u64());
  EXPECT_EQ(t.chains.used(1), moved.size() + 1);
  t.chains.unlink(t.keys[moved[0]], moved[0], t.link_of());  // in ht[1]
  uint64_t b = t.chains.rehash_index();
  while (t.chains.head(0, b) == DictChains::kNone) ++b;
  const uint32_t old_entry = t.chains.head(0, b);
  t.chains.unlink(t.keys[old_entry], old_entry, t.link_of());  // in ht[0]
  EXPECT_EQ(t.chains.used(0) + t.chains.used(1), 19u);
  t.chains.finish_rehash(t.link_of(), t.key_of());
  EXPECT_FALSE(t.chains.rehashing());
  EXPECT_EQ(t.chains.table_size(0), 16u);
  size_t found = 0;
  for (uint64_t k = 0; k < 16; ++k)
    for (uint32_t e : t.chain(0, k)) {
      EXPECT_EQ(DictChains::hash(t.keys[e]) & 15, k);
      ++found;
    }
  EXPECT_EQ(found, 19u);
}

// dictGetSomeKeys while rehashing (dict.c, 7.0): at each index it reads ht[0] (from rehashidx on, below ht[0]'s
// size) and then ht[1], taking whole chains in that order. Checked on walks that do not jump.
TEST(DictChains, WalkReadsBothTablesWhileRehashing) {
  Table t;
  t.chains.reset(16);
  Rng fill(8);
  for (int i = 0; i < 14; ++i) t.add(fill.next_u64());
  t.chains.start_rehash(32);
  t.rehash(4);
  ASSERT_TRUE(t.chains.rehashing());
  const auto ridx = static_cast<uint64_t>(t.chains.rehash_index());
  Rng rng(12);
  size_t walks = 0, from_old = 0, from_new = 0;
  for (int trial = 0; trial < 400; ++trial) {
    std::vector<uint32_t> out;
    DictChains::Trace tr;
    t.chains.get_some(4, rng, t.link_of(), out, &tr);
    if (!tr.jumps.empty()) continue;
    ++walks;
    std::vector<std::pair<int, uint64_t>> expect_probes;
    std::vector<uint32_t> expect;
    for (uint64_t i : tr.visited) {
      if (i >= ridx && i < 16) expect_probes.emplace_back(0, i);
      expect_probes.emplace_back(1, i);
    }
    for (const auto& [table, bucket] : expect_probes)
      for (uint32_t e : t.chain(table, bucket))
        if (expect.size() < 4) expect.push_back(e);
    // The walk stops inside the probe that completed the sample: compare the probes it made.
    ASSERT_LE(tr.probes.size(), expect_probes.size());
    EXPECT_TRUE(std::equal(tr.probes.begin(), tr.probes.end(), expect_probes.begin()));
    EXPECT_EQ(out, expect);
    for (uint32_t e : out) {
      const auto c = t.chain(0, DictChains::hash(t.keys[e]) & 15);
      (std::find(c.begin(), c.end(), e) != c.end() ? from_old : from_new)++;
    }
  }
  EXPECT_GT(walks, 100u);
  EXPECT_GT(from_old, 0u) << "keys not yet moved are sampled from the old table";
  EXPECT_GT(from_new, 0u);
}

// Shrinking (dict.c: "this happens when going from big to small table"): an index below rehashidx and beyond the
// small new table has nothing in either table, so the walk jumps to rehashidx.
TEST(DictChains, ShrinkingWalkJumpsToTheRehashIndex) {
  Table t;
  t.chains.reset(16);
  for (uint64_t b : {1u, 3u, 6u, 12u}) t.add(t.key_in(b, 1000 * b));
  t.chains.start_rehash(4);
  t.rehash(3);  // buckets 1, 3 and 6 moved; 12 is left
  ASSERT_TRUE(t.chains.rehashing());
  ASSERT_EQ(t.chains.rehash_index(), 7);
  Rng rng(3);
  for (int trial = 0; trial < 2000; ++trial) {
    std::vector<uint32_t> out;
    DictChains::Trace tr;
    t.chains.get_some(2, rng, t.link_of(), out, &tr);
    if (tr.visited.front() < 4 || tr.visited.front() >= 7) continue;
    ASSERT_FALSE(tr.probes.empty());
    EXPECT_EQ(tr.probes.front(), (std::pair<int, uint64_t>{0, 7}));
    return;
  }
  FAIL() << "no walk started in [4, 7)";
}

namespace {
// Draws dictGetRandomKey `n` times; returns each entry's share.
std::map<uint32_t, double> random_key_shares(Table& t, int n, uint64_t seed) {
  Rng rng(seed);
  std::map<uint32_t, double> shares;
  for (int i = 0; i < n; ++i) shares[t.chains.get_random(rng, t.link_of())] += 1.0 / n;
  return shares;
}
}  // namespace

// dictGetRandomKey: a uniformly random non-empty bucket, then a uniformly random entry of its chain. A key alone
// in its bucket is drawn as often as a whole chain of three: 1/2 against 1/6 each (uniform would be 1/4 each).
TEST(DictChains, RandomKeyIsARandomBucketThenARandomChainEntry) {
  Table t;
  t.chains.reset(8);
  const uint64_t a = t.key_in(2);
  const uint64_t b1 = t.key_in(5), b2 = t.key_in(5, b1 + 1), b3 = t.key_in(5, b2 + 1);
  for (uint64_t k : {a, b1, b2, b3}) t.add(k);
  constexpr int kDraws = 80000;
  const auto shares = random_key_shares(t, kDraws, 4);
  const double tol = 5 * std::sqrt(0.25 / kDraws);
  EXPECT_NEAR(shares.at(0), 0.5, tol);
  for (uint32_t e : {1u, 2u, 3u}) EXPECT_NEAR(shares.at(e), 1.0 / 6, tol) << e;
}

// While rehashing, the index is drawn over [rehashidx, |ht0| + |ht1|): every key of either table can be drawn, with
// chance 1 / (non-empty buckets of that range) / (its chain's length).
TEST(DictChains, RandomKeyWhileRehashingSpansBothTables) {
  Table t;
  t.chains.reset(8);
  Rng fill(17);
  for (int i = 0; i < 12; ++i) t.add(fill.next_u64());
  t.chains.start_rehash(16);
  t.rehash(2);
  ASSERT_TRUE(t.chains.rehashing());
  std::map<uint32_t, double> expect;
  std::vector<std::vector<uint32_t>> buckets;
  for (uint64_t b = static_cast<uint64_t>(t.chains.rehash_index()); b < 8; ++b)
    if (!t.chain(0, b).empty()) buckets.push_back(t.chain(0, b));
  for (uint64_t b = 0; b < 16; ++b)
    if (!t.chain(1, b).empty()) buckets.push_back(t.chain(1, b));
  for (const auto& c : buckets)
    for (uint32_t e : c) expect[e] = 1.0 / static_cast<double>(buckets.size()) / static_cast<double>(c.size());
  ASSERT_EQ(expect.size(), 12u);
  constexpr int kDraws = 120000;
  const auto shares = random_key_shares(t, kDraws, 6);
  for (const auto& [e, p] : expect)
    EXPECT_NEAR(shares.count(e) ? shares.at(e) : 0.0, p, 5 * std::sqrt(p * (1 - p) / kDraws)) << "entry " << e;
}
