// redis-cli --cluster rebalance's plan (cluster/rebalance.hpp).
#include "cachelab/cluster/rebalance.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>

#include "cachelab/cluster/slots.hpp"

namespace cachelab {

std::vector<SlotMove> plan_rebalance(const std::vector<uint16_t>& owner, const RebalanceInput& in) {
  struct N {
    int id;
    int slots;
    float weight;
    int balance;
  };
  std::vector<N> involved;
  float total_weight = 0;
  for (size_t i = 0; i < in.masters.size(); ++i) {
    int slots = 0;
    for (uint16_t o : owner) slots += o == in.masters[i];
    if (!in.use_empty_masters && slots == 0) continue;  // weight 0, not involved
    const float w = i < in.weights.size() ? in.weights[i] : 1.0f;
    total_weight += w;
    involved.push_back({in.masters[i], slots, w, 0});
  }
  if (involved.empty() || total_weight <= 0) return {};
  bool threshold_reached = false;
  int total_balance = 0;
  for (N& n : involved) {
    const int expected = static_cast<int>((static_cast<float>(kClusterSlots) / total_weight) * n.weight);
    n.balance = n.slots - expected;
    total_balance += n.balance;
    bool over = false;
    if (in.threshold_pct > 0) {
      if (n.slots > 0) {
        const float err_perc = static_cast<float>(std::fabs(100 - (100.0 * expected / n.slots)));
        over = err_perc > in.threshold_pct;
      } else {
        over = expected > 1;
      }
    }
    threshold_reached = threshold_reached || over;
  }
  if (!threshold_reached) return {};
  while (total_balance > 0)
    for (N& n : involved)
      if (n.balance <= 0 && total_balance > 0) {
        --n.balance;
        --total_balance;
      }
  std::stable_sort(involved.begin(), involved.end(), [](const N& a, const N& b) { return a.balance < b.balance; });

  std::vector<uint16_t> view = owner;  // redis-cli's updated view (CLUSTER_MANAGER_OPT_UPDATE)
  std::vector<SlotMove> moves;
  int dst_idx = 0, src_idx = static_cast<int>(involved.size()) - 1;
  while (dst_idx < src_idx) {
    N& dst = involved[static_cast<size_t>(dst_idx)];
    N& src = involved[static_cast<size_t>(src_idx)];
    const int numslots = std::min(std::abs(dst.balance), std::abs(src.balance));
    if (numslots > 0) {
      SlotMove m{src.id, dst.id, {}};
      for (int slot = 0; slot < kClusterSlots && static_cast<int>(m.slots.size()) < numslots; ++slot)
        if (view[static_cast<size_t>(slot)] == src.id) m.slots.push_back(slot);
      for (int slot : m.slots) view[static_cast<size_t>(slot)] = static_cast<uint16_t>(dst.id);
      moves.push_back(std::move(m));
    }
    dst.balance += numslots;
    src.balance -= numslots;
    if (dst.balance == 0) ++dst_idx;
    if (src.balance == 0) --src_idx;
  }
  return moves;
}

void apply_moves(std::vector<uint16_t>& owner, const std::vector<SlotMove>& moves) {
  for (const auto& m : moves)
    for (int slot : m.slots) owner[static_cast<size_t>(slot)] = static_cast<uint16_t>(m.to);
}

}  // namespace cachelab
