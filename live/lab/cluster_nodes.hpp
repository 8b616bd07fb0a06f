#pragma once
// Parsing CLUSTER NODES: one node's view of the cluster (the lab's readiness and fault code read it).
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cachelab::live {

// One line: "<id> <ip:port@bus> <flags> <master> <ping> <pong> <epoch> <link> <slot>...".
struct NodeLine {
  std::string id, flags, master_id;  // master_id empty for a master
  std::string address;               // "ip:port" (the part before '@'); ":0" for a node without an address yet
  bool myself = false;
  std::string role;                        // "master" / "replica"
  std::vector<std::pair<int, int>> slots;  // inclusive ranges; migration markers "[...]" skipped
};

std::vector<NodeLine> parse_cluster_nodes(std::string_view nodes_text);

}  // namespace cachelab::live
