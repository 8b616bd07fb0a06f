// The gossip adoption pass (issue 14 part 7): the production pass (SSE2 four at a time, then branch-free) must give
// exactly what the plain reference gives, on random hot words and gossip sections, as the event queue is tested
// against its reference. Both paths of the fast pass run: sections of every length 0..40 exercise the vector loop
// and the scalar tail.
#include "cachelab/cluster/control/hot_word.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <numeric>
#include <vector>

#include "cachelab/core/rng.hpp"

namespace {

using namespace cachelab;
using namespace cachelab::control;

uint32_t random_hot_word(Rng& rng, int64_t around_s) {
  const int64_t ticks = (around_s - 3) * kHotTicksPerSecond + static_cast<int64_t>(rng.next_u64() % (7 * 16));
  uint32_t w = hot_pack_ticks(ticks);
  w |= static_cast<uint32_t>(rng.next_u64() % 4);  // flags: none, PFAIL, FAIL, both
  for (uint32_t bit : {kHotPending, kHotReports, kHotAdopted, kHotLinkDown})
    if (rng.next_u64() % 4 == 0) w |= bit;
  return w;
}

uint32_t random_entry_word(Rng& rng, int64_t around_s) {
  const int64_t s = around_s - 3 + static_cast<int64_t>(rng.next_u64() % 7);
  uint32_t w = hot_pack_ticks(s * kHotTicksPerSecond);
  if (rng.next_u64() % 5 == 0) w |= static_cast<uint32_t>(1 + rng.next_u64() % 3);  // a failing entry
  return w & kHotEntryMask;
}

TEST(GossipAdopt, FastPassEqualsReference) {
  Rng rng(20261205);
  constexpr int kNodes = 64;
  uint64_t adopted = 0, entries = 0;
  for (int round = 0; round < 4000; ++round) {
    // Around 0 s (negative pong times included), a typical time, and near the packed word's limit of 2^21 s.
    const int64_t around_s = round % 3 == 0 ? 0 : (round % 3 == 1 ? 1000 : kHotMaxSeconds - 8);
    std::vector<uint32_t> hot(kNodes);
    for (auto& w : hot) w = random_hot_word(rng, around_s);
    std::vector<uint32_t> ids(kNodes);
    std::iota(ids.begin(), ids.end(), 0u);
    for (int i = kNodes - 1; i > 0; --i) std::swap(ids[i], ids[rng.next_u64() % (i + 1)]);  // distinct nodes
    const size_t n = static_cast<size_t>(round % 41);
    std::vector<GossipEntry> section(n);
    for (size_t i = 0; i < n; ++i) section[i] = {ids[i], random_entry_word(rng, around_s)};
    const int64_t limit_s = around_s - 2 + static_cast<int64_t>(rng.next_u64() % 5);

    std::vector<uint32_t> fast = hot, reference = hot;
    adopt_gossip_pongs(fast.data(), section.data(), section.data() + n, limit_s);
    adopt_gossip_pongs_reference(reference.data(), section.data(), section.data() + n, limit_s);
    ASSERT_EQ(fast, reference) << "round " << round << ", " << n << " entries, limit " << limit_s << " s";
    for (int j = 0; j < kNodes; ++j) adopted += fast[j] != hot[j];
    entries += n;
  }
  // The inputs must exercise both outcomes, or the equality above proves little.
  EXPECT_GT(adopted, entries / 20);
  EXPECT_LT(adopted, entries / 2);
}

TEST(GossipAdopt, RuleByExample) {
  // Ours: pong at 10.5 s, nothing pending. An entry at 11 s (limit 11 s) is newer in whole seconds: adopted.
  uint32_t hot[2] = {hot_pack_ticks(10 * 16 + 8), hot_pack_ticks(10 * 16 + 8)};
  const GossipEntry newer[1] = {{0, hot_pack_ticks(11 * 16)}};
  adopt_gossip_pongs(hot, newer, newer + 1, 11);
  EXPECT_EQ(hot[0], kHotAdopted | hot_pack_ticks(11 * 16));
  // The same second as ours is not newer; a pong beyond the limit (more than 500 ms ahead) is not taken.
  const GossipEntry same[1] = {{1, hot_pack_ticks(10 * 16)}};
  adopt_gossip_pongs(hot, same, same + 1, 11);
  EXPECT_EQ(hot[1], hot_pack_ticks(10 * 16 + 8));
  const GossipEntry ahead[1] = {{1, hot_pack_ticks(12 * 16)}};
  adopt_gossip_pongs(hot, ahead, ahead + 1, 11);
  EXPECT_EQ(hot[1], hot_pack_ticks(10 * 16 + 8));
  // A pending ping blocks adoption.
  hot[1] |= kHotPending;
  const GossipEntry ok[1] = {{1, hot_pack_ticks(11 * 16)}};
  adopt_gossip_pongs(hot, ok, ok + 1, 11);
  EXPECT_EQ(hot[1], kHotPending | hot_pack_ticks(10 * 16 + 8));
}

}  // namespace
