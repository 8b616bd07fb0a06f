#include "live/replay/report.hpp"

#include <cmath>
#include <cstdio>

namespace cachelab::live {

using nlohmann::json;

// A counter's growth since the last snapshot; a restarted server starts its counters at 0 again.
static uint64_t delta(uint64_t now, uint64_t before) { return now >= before ? now - before : now; }

void NodeTrack::update(const NodeSnapshot& s) {
  iv_ops += delta(s.total_commands_processed, last.total_commands_processed);
  iv_evicted += delta(s.evicted_keys, last.evicted_keys);
  iv_expired += delta(s.expired_keys, last.expired_keys);
  keyspace_hits += delta(s.keyspace_hits, last.keyspace_hits);
  keyspace_misses += delta(s.keyspace_misses, last.keyspace_misses);
  last = s;
  role = s.role == "slave" ? "replica" : s.role;
}

std::vector<std::string> node_names(const std::vector<NodeTrack>& nodes) {
  std::vector<std::string> names;
  for (const auto& n : nodes) names.push_back(n.name);
  return names;
}

std::vector<NodeSample> node_samples(const std::vector<NodeTrack>& nodes) {
  std::vector<NodeSample> out;
  for (const auto& n : nodes) {
    const bool down = n.role == "down";
    NodeSample x{n.role, down ? 0 : n.last.used_memory_bytes, down ? 0 : n.last.keys, n.ops + n.iv_ops,
                 n.evicted + n.iv_evicted, n.expired + n.iv_expired};
    x.keyspace_hits = n.keyspace_hits;
    x.keyspace_misses = n.keyspace_misses;
    out.push_back(x);
  }
  return out;
}

json make_summary(const Scenario& s, const Recorder& rec, double measured_s, double run_s,
                  const std::vector<NodeTrack>& nodes) {
  const Counters& tot = rec.totals();
  json summary = summary_from_recorder(rec, "live", s.seed, measured_s);
  uint64_t evicted = 0, expired = 0;
  json node_list = json::array();
  for (const auto& n : nodes) {
    evicted += n.evicted;
    expired += n.expired;
    node_list.push_back({{"name", n.name},
                         {"role", n.role},
                         {"slots", n.slots},
                         {"slot_ranges", n.slot_ranges},
                         {"keys", n.last.keys},
                         {"used_memory_bytes", n.last.used_memory_bytes},
                         {"maxmemory_bytes", n.last.maxmemory_bytes},
                         {"ops", n.ops},
                         {"evicted_keys", n.evicted},
                         {"expired_keys", n.expired},
                         {"utilization", json()},  // a real server's busy time is not in INFO: unknown, not made up
                         {"redis_version", n.last.redis_version}});
  }
  (void)run_s;
  summary["evicted_keys"] = evicted;
  summary["expired_keys"] = expired;
  summary["writes_lost"] = tot.writes_lost;
  summary["failovers"] = json::array();
  summary["resharding"] = json::array();
  summary["nodes"] = node_list;
  summary["slo"] = evaluate_slos(s.slo, summary);
  return summary;
}

}  // namespace cachelab::live
