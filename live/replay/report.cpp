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
  if (s.main_thread_cpu_us >= 0) {
    // A restarted server's clock starts again near 0; a first snapshot (last < 0) is the reference, not busy time.
    if (last.main_thread_cpu_us >= 0)
      busy_us += s.main_thread_cpu_us >= last.main_thread_cpu_us ? s.main_thread_cpu_us - last.main_thread_cpu_us
                                                                 : s.main_thread_cpu_us;
    busy_known = true;
  }
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
    NodeSample x{n.role,
                 down ? 0 : n.last.used_memory_bytes,
                 down ? 0 : n.last.keys,
                 n.ops + n.iv_ops,
                 n.evicted + n.iv_evicted,
                 n.expired + n.iv_expired};
    x.keyspace_hits = n.keyspace_hits;
    x.keyspace_misses = n.keyspace_misses;
    out.push_back(x);
  }
  return out;
}

}  // namespace cachelab::live
