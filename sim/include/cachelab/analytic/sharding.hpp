#pragma once
// How keys spread over nodes under each sharding scheme (Redis Cluster slots, ketama, modulo), and how many move
// when the membership changes: the figures issue 3 asks for (moved fraction, max/mean and coefficient of
// variation of keys and of ops per node). Used by the simulator's topology-change report and by `cachelab shard`.
#include <cstdint>
#include <vector>

#include "cachelab/client/sharding.hpp"

namespace cachelab {

struct Balance {
  double max_over_mean = 0;  // the busiest node relative to the mean
  double cv = 0;             // coefficient of variation: population standard deviation / mean
};
Balance balance_of(const std::vector<double>& per_node);

// Where keys live: Redis Cluster (slot -> owner) or client-side sharding (hash -> server).
struct ShardLayout {
  Sharding scheme = Sharding::RedisCluster;
  std::vector<int> members;                    // node ids that hold keys
  std::vector<uint16_t> slot_owner;            // RedisCluster: slot -> node id
  ClientSharding ring{Sharding::Ketama, 160};  // Ketama / Modulo
  int node_of(uint16_t slot, uint32_t hash) const {
    return scheme == Sharding::RedisCluster ? slot_owner[slot] : ring.server_for(hash);
  }
};

// A sample of keys: each one's slot, ring hash and weight (its share of the operations; 1 for a key count).
struct KeySample {
  std::vector<uint16_t> slots;
  std::vector<uint32_t> hashes;
  std::vector<double> weights;
};

struct LayoutChange {
  double moved_keys_fraction = 0;  // keys whose node differs
  double moved_ops_fraction = 0;   // the same, weighted by each key's ops
  Balance keys_before, keys_after, ops_before, ops_after;
};
LayoutChange compare_layouts(const ShardLayout& before, const ShardLayout& after, const KeySample& keys);

}  // namespace cachelab
