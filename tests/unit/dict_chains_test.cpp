// Redis's dictGetSomeKeys bucket walk (dict.c, 7.0; ref. redis-cluster.md §7.5), as DictChains models it: keys come
// from consecutive buckets in chain order, at most count*10 steps, and a jump to a random index after a run of
// empty buckets with emptylen >= 5 && emptylen > count. Checked against tables built by hand in the test.
#include <gtest/gtest.h>

#include <algorithm>
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
    if (!tr.jumps.empty()) continue;     // a jump breaks the run; checked in the next test
    for (size_t s = 1; s < tr.visited.size(); ++s) ASSERT_EQ(tr.visited[s], (tr.visited[s - 1] + 1) & 1023);
    // Exactly the chains of the visited buckets, in order, newest first within a chain, cut at count.
    std::vector<uint32_t> expect;
    for (uint64_t b : tr.visited)
      for (uint32_t e = t.chains.head(b); e != DictChains::kNone && expect.size() < 5; e = t.next[e]) expect.push_back(e);
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
          if (s % run != 0) EXPECT_EQ(tr.visited[s], (tr.visited[s - 1] + 1) & 0xffff);
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
