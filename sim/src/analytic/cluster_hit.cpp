#include "cachelab/analytic/cluster_hit.hpp"

#include "cachelab/cluster/slots.hpp"

namespace cachelab::analytic {

ClusterHit cluster_hit(const std::vector<PopClass>& classes, const std::string& key_prefix, int masters,
                       bool standalone, double capacity_keys_per_node, CacheModel model) {
  const int m = standalone ? 1 : masters;
  std::vector<std::vector<PopClass>> per_node(static_cast<size_t>(m));
  std::vector<double> slot_share(static_cast<size_t>(m), 1.0);
  std::vector<int> owner;
  if (!standalone) {
    owner.assign(kClusterSlots, 0);
    const auto ranges = redis_cli_slot_ranges(m);
    for (size_t i = 0; i < ranges.size(); ++i) {
      for (int s = ranges[i].first; s <= ranges[i].second; ++s) owner[static_cast<size_t>(s)] = static_cast<int>(i);
      slot_share[i] = static_cast<double>(ranges[i].second - ranges[i].first + 1) / kClusterSlots;
    }
  }
  for (const auto& c : classes) {
    if (standalone) {
      per_node[0].push_back(c);
    } else if (c.rank > 0) {
      // Key number rank-1 is named prefix + decimal (workload/generator.hpp KeyNamer).
      const std::string name = key_prefix + std::to_string(c.rank - 1);
      per_node[static_cast<size_t>(owner[static_cast<size_t>(key_hash_slot(name))])].push_back(c);
    } else {
      for (int i = 0; i < m; ++i)
        per_node[static_cast<size_t>(i)].push_back({c.count * slot_share[static_cast<size_t>(i)], c.p, 0});
    }
  }
  ClusterHit out{0, {}};
  for (const auto& cls : per_node) {
    const CacheEstimate e = cache_hit(cls, capacity_keys_per_node, model);
    out.nodes.push_back({e.request_mass, e.hit_ratio(), e.characteristic_time});
    out.hit_ratio += e.hit_mass;
  }
  return out;
}

}  // namespace cachelab::analytic
