#include "cachelab/results/node_record.hpp"

namespace cachelab::results {

using nlohmann::json;

json to_json(const NodeRecord& n) {
  json ranges = json::array();
  for (const auto& [first, last] : n.slot_ranges) ranges.push_back(json::array({first, last}));
  json j = {{"name", n.name},
            {"role", n.role},
            {"slots", n.slots},
            {"slot_ranges", ranges},
            {"keys", n.keys},
            {"used_memory_bytes", n.used_memory_bytes},
            {"maxmemory_bytes", n.maxmemory_bytes},
            {"ops", n.ops},
            {"evicted_keys", n.evicted_keys},
            {"expired_keys", n.expired_keys},
            {"utilization", n.utilization ? json(*n.utilization) : json()}};
  for (const auto& [k, v] : n.extra.items()) j[k] = v;
  return j;
}

}  // namespace cachelab::results
