#pragma once
// The slot moves of `redis-cli --cluster rebalance`, planned exactly as redis-cli plans them
// (redis-cli.c clusterManagerCommandRebalance and clusterManagerComputeReshardTable). docs/redis-reference.md does not
// cover rebalance; this is what we follow, read in redis-cli.c:
// - Involved masters: every master, except (without --cluster-use-empty-masters) those with no slots. Weights
//   default to 1; --cluster-weight NODE=0 drains a node (what we do before removing one).
// - expected = (int)((float)16384 / total_weight * weight); balance = slots - expected (an int: slots to give away
//   when positive, to receive when negative).
// - Nothing happens unless some node is over the threshold (default CLUSTER_MANAGER_REBALANCE_THRESHOLD = 2 %):
//   |100 - 100 * expected / slots| > threshold, or a node with no slots expects more than 1.
// - Rounding leaves sum(balance) >= 0: the nodes with balance <= 0 are decremented one by one, in node order,
//   until it is 0.
// - Nodes are sorted by balance ascending (qsort; glibc's qsort is a stable merge sort, so ties keep node order).
//   Then dst = the first (most to receive), src = the last (most to give): move min(|dst|, |src|) slots, the
//   source's lowest-numbered slots first; advance dst or src when its balance reaches 0; repeat while dst < src.
// Node order: redis-cli lists nodes as CLUSTER NODES returns them (hash-table order); we use the caller's order
// (master-1, master-2, ..., then added nodes).
#include <cstdint>
#include <vector>

namespace cachelab {

constexpr float kRebalanceThresholdPct = 2.0f;  // CLUSTER_MANAGER_REBALANCE_THRESHOLD, redis-cli.c

struct SlotMove {
  int from = 0, to = 0;
  std::vector<int> slots;  // in the order they are moved
};

struct RebalanceInput {
  std::vector<int> masters;    // node ids, in redis-cli's node order
  std::vector<float> weights;  // per master (same order); 1 by default
  bool use_empty_masters = false;
  float threshold_pct = kRebalanceThresholdPct;
};

// `owner[slot]` = node id owning the slot. Returns the moves in execution order; empty when no node is over the
// threshold.
std::vector<SlotMove> plan_rebalance(const std::vector<uint16_t>& owner, const RebalanceInput& in);

// Applies moves to an owner table (for planning and analysis without a simulation).
void apply_moves(std::vector<uint16_t>& owner, const std::vector<SlotMove>& moves);

}  // namespace cachelab
