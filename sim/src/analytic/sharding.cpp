#include "cachelab/analytic/sharding.hpp"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace cachelab {

Balance balance_of(const std::vector<double>& per_node) {
  if (per_node.empty()) return {};
  double sum = 0, mx = 0;
  for (double v : per_node) {
    sum += v;
    mx = std::max(mx, v);
  }
  const double mean = sum / static_cast<double>(per_node.size());
  if (mean <= 0) return {};
  double var = 0;
  for (double v : per_node) var += (v - mean) * (v - mean);
  var /= static_cast<double>(per_node.size());
  return {mx / mean, std::sqrt(var) / mean};
}

static void spread(const ShardLayout& l, const KeySample& k, std::vector<double>& keys, std::vector<double>& ops,
                   std::vector<int>& node) {
  std::unordered_map<int, size_t> pos;
  for (size_t i = 0; i < l.members.size(); ++i) pos[l.members[i]] = i;
  keys.assign(l.members.size(), 0);
  ops.assign(l.members.size(), 0);
  node.resize(k.slots.size());
  for (size_t i = 0; i < k.slots.size(); ++i) {
    node[i] = l.node_of(k.slots[i], k.hashes[i]);
    const auto it = pos.find(node[i]);
    if (it == pos.end()) continue;  // a slot with no member owner (should not happen)
    keys[it->second] += 1;
    ops[it->second] += k.weights[i];
  }
}

LayoutChange compare_layouts(const ShardLayout& before, const ShardLayout& after, const KeySample& k) {
  std::vector<double> kb, ob, ka, oa;
  std::vector<int> nb, na;
  spread(before, k, kb, ob, nb);
  spread(after, k, ka, oa, na);
  LayoutChange c;
  double moved = 0, moved_w = 0, total_w = 0;
  for (size_t i = 0; i < nb.size(); ++i) {
    total_w += k.weights[i];
    if (nb[i] != na[i]) {
      moved += 1;
      moved_w += k.weights[i];
    }
  }
  c.moved_keys_fraction = nb.empty() ? 0 : moved / static_cast<double>(nb.size());
  c.moved_ops_fraction = total_w > 0 ? moved_w / total_w : 0;
  c.keys_before = balance_of(kb);
  c.keys_after = balance_of(ka);
  c.ops_before = balance_of(ob);
  c.ops_after = balance_of(oa);
  return c;
}

}  // namespace cachelab
