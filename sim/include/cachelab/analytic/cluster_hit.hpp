#pragma once
// Hit ratio of a cluster of M nodes, each holding `capacity_keys` keys, with keys spread by hash slot: node m
// serves the keys whose slot (CRC16 of prefix + key number) falls in its redis-cli slot range. The exact head of
// the popularity goes to the node its name hashes to (so a node holding a very hot key is seen to be hotter); the
// quadrature tail is split in proportion to slot counts. Each node then has its own Che solve.
#include <cstdint>
#include <string>
#include <vector>

#include "cachelab/analytic/che.hpp"

namespace cachelab::analytic {

struct NodeHit {
  double request_share;        // share of all requests this node serves
  double hit_ratio;            // its own hit ratio
  double characteristic_time;  // in requests of the whole stream
};

struct ClusterHit {
  double hit_ratio;  // over all requests
  std::vector<NodeHit> nodes;
};

// `key_prefix` and `masters` as in the scenario; standalone = one node with every key.
ClusterHit cluster_hit(const std::vector<PopClass>& classes, const std::string& key_prefix, int masters,
                       bool standalone, double capacity_keys_per_node, CacheModel model);

}  // namespace cachelab::analytic
