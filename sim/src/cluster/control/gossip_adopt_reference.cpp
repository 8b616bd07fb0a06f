// adopt_gossip_pongs written plainly (cachelab/cluster/control/hot_word.hpp): one entry and one condition at a time,
// in the terms of clusterProcessGossipSection (docs/redis-reference.md §3.4). Not used by the simulation: it is what
// the fast pass (gossip_adopt.cpp) is tested against (tests/unit/gossip_adopt_test.cpp).
#include "cachelab/cluster/control/hot_word.hpp"

namespace cachelab::control {

void adopt_gossip_pongs_reference(uint32_t* hot, const GossipEntry* begin, const GossipEntry* end, int64_t limit_s) {
  for (const GossipEntry* p = begin; p != end; ++p) {
    uint32_t& ours = hot[p->node];
    const bool entry_failing = (p->word & (kFlagPfail | kFlagFail)) != 0;
    const bool ping_pending = (ours & kHotPending) != 0;
    const bool has_reports = (ours & kHotReports) != 0;
    if (entry_failing || ping_pending || has_reports) continue;
    const int64_t entry_pong_s = floor_div(hot_ticks(p->word), kHotTicksPerSecond);
    const int64_t our_pong_s = floor_div(hot_ticks(ours), kHotTicksPerSecond);
    if (entry_pong_s > limit_s) continue;      // more than 500 ms in the receiver's future
    if (entry_pong_s <= our_pong_s) continue;  // not newer in whole seconds
    // Take the entry's pong time (whole seconds, as sent) and mark it adopted; keep our flags, pending ping,
    // reports and link state.
    const uint32_t kept = ours & (kHotFlags | kHotPending | kHotReports | kHotLinkDown);
    ours = kept | kHotAdopted | hot_pack_ticks(entry_pong_s * kHotTicksPerSecond);
  }
}

}  // namespace cachelab::control
