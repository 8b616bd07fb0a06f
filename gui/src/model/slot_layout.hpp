#pragma once
// Who owns each of the 16384 hash slots, as far as the results files say. The GUI does not model the
// cluster: it takes the ranges summary.json lists, or else the split `redis-cli --cluster create` makes
// (the layout every cachelab cluster starts from), and replays the ownership events of events.jsonl; at the end of
// the run it shows the ranges summary.json states.
#include <string>
#include <vector>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

inline constexpr int kSlots = 16384;

struct SlotLayout {
  std::vector<std::string> owners;  // owner names; colour i is owners[i]
  std::vector<int> owner;           // per slot: index into owners, -1 when nobody owns it
  std::string source;               // where the layout came from, said under the map
};

// redis-cli's split of 16384 slots over `masters` nodes (float arithmetic exactly as redis-cli does it):
// 3 masters give 0-5460, 5461-10922, 10923-16383.
std::vector<std::pair<int, int>> redisCliSplit(int masters);

// Masters of the run: scenario /cluster/masters if present, else the master-N names found in the files.
int masterCount(const cachelab::results::Run& run);

// True when summary.json lists slot ranges for its nodes (then that, the end-of-run layout, is shown).
bool hasSummaryRanges(const cachelab::results::Run& run);

// The last t_s of series.csv (0 without rows): the time summary.json's end-of-run figures describe.
double runEndTime(const cachelab::results::Run& run);

// The layout at time `t_s`: at the end of the run, summary.json's ranges when present; before it (or without
// ranges) redis-cli's split at t=0 with the events up to t_s applied: `promoted` (with an `old_master` field)
// hands the old master's slots to the promoted node, `slot_moved` (`slot` or `slots`:[first,last], and `to`)
// moves slots.
SlotLayout slotLayoutAt(const cachelab::results::Run& run, double t_s);

}  // namespace cachelab::gui
