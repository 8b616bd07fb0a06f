#pragma once
// The hot word of a node's view of a peer, and the gossip entry built from it: the packed state that building and
// reading a gossip section touches for every entry (docs/redis-reference.md §3.4). Public so that the fast adoption
// pass can be tested against its plain reference (tests/unit/gossip_adopt_test.cpp).
#include <cstddef>
#include <cstdint>

namespace cachelab::control {

constexpr uint8_t kFlagPfail = 1;
constexpr uint8_t kFlagFail = 2;

// The hot word (NodeState::hot[peer], 4 bytes): what building and reading a gossip section touches for every entry,
// ~100 random peers per message. One 1000-node row is 4 KB, the whole cluster 4 MB, so it stays in cache where the
// full views (128 MB) would not (docs/redis-reference.md §3.4):
//   bits 0-1  kFlagPfail | kFlagFail
//   bit  2    kHotPending: a ping is pending (ping_sent != 0). Always set in a node's word about itself, so gossip
//             about me never adopts a pong for me (nothing else reads that word's bit: cron skips myself)
//   bit  3    kHotReports: the peer has failure reports (NodeState::reports[peer] is not empty)
//   bit  4    kHotAdopted: pong_received is the whole second below, adopted from gossip (PeerView::pong_exact stale)
//   bit  5    kHotLinkDown: the viewer's outbound bus link is down (a connecting link counts as up, §4.1)
//   bits 6-31 floor(pong_received in ticks of 1/16 s), signed: simulated time must stay below 2^21 s (24 days;
//             cron() throws past it). Its whole seconds (>> 4) are floor(pong_received in seconds).
// A gossip entry is this word with bits 2-9 cleared: flags and pong_received in whole seconds (16 ticks each), as
// clusterMsgDataGossip. cron() scans a node's hot words to find the peers it must look at.
//
constexpr uint32_t kHotFlags = 3;
constexpr uint32_t kHotPending = 4;
constexpr uint32_t kHotReports = 8;
constexpr uint32_t kHotAdopted = 16;
constexpr uint32_t kHotLinkDown = 32;
constexpr int kHotShift = 6;
constexpr int kHotTicksPerSecond = 16;
constexpr int64_t kHotTickNs = 1'000'000'000 / kHotTicksPerSecond;
// A gossip entry: the flags and the whole seconds of pong_received (the sub-second ticks cleared).
constexpr uint32_t kHotEntryMask = ~(kHotPending | kHotReports | kHotAdopted | kHotLinkDown | (uint32_t{15} << 6));
constexpr uint32_t kHotPongMask = kHotAdopted | ~((uint32_t{1} << kHotShift) - 1);  // what set_pong_received writes
constexpr int64_t kHotMaxSeconds = int64_t{1} << 21;

inline int64_t floor_div(int64_t a, int64_t d) { return a / d - ((a % d != 0) && (a < 0)); }
inline uint32_t hot_pack_ticks(int64_t ticks) {
  return static_cast<uint32_t>(static_cast<int32_t>(ticks)) << kHotShift;
}
inline int64_t hot_ticks(uint32_t w) { return static_cast<int32_t>(w) >> kHotShift; }

struct GossipEntry {
  uint32_t node;
  uint32_t word;  // the sender's hot word for `node` & kHotEntryMask: flags, pong_received in seconds (§3.4)
};
static_assert(sizeof(GossipEntry) == 8 && offsetof(GossipEntry, word) == 4);  // adopt_gossip_pongs loads 2 per 128 bits

// The adoption pass of clusterProcessGossipSection (§3.4): for every entry about a healthy node (no PFAIL/FAIL in
// the entry) whose pong time is newer, in whole seconds, than the receiver's and not more than 500 ms in the future
// (limit_s = floor((now + 500 ms) / 1 s)), the receiver takes the entry's pong time, unless it has a ping pending to
// that node or failure reports about it. Entries must be about distinct nodes.
//   adopt_gossip_pongs: the production pass (SSE2, four entries at a time where available, then branch-free).
//   adopt_gossip_pongs_reference: the same rule written plainly, one entry and one condition at a time.
void adopt_gossip_pongs(uint32_t* hot, const GossipEntry* begin, const GossipEntry* end, int64_t limit_s);
void adopt_gossip_pongs_reference(uint32_t* hot, const GossipEntry* begin, const GossipEntry* end, int64_t limit_s);

}  // namespace cachelab::control
