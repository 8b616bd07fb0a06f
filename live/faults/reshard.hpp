#pragma once
// Live resharding for the `reshard` fault, done as `redis-cli --cluster reshard` does it (docs/redis-reference.md
// §2.4, clusterManagerMoveSlot): per slot, SETSLOT IMPORTING on the target, SETSLOT MIGRATING on the source,
// GETKEYSINSLOT + MIGRATE ... KEYS in batches of 10 until the slot is empty, then SETSLOT NODE to the target first,
// then the source, then every other master. Meanwhile clients get ASK (keys already moved) and, once a node has
// the new owner, MOVED.
#include <cstdint>
#include <string>
#include <vector>

#include "live/client/endpoint.hpp"
#include "live/lab/lab.hpp"

namespace cachelab::live {

struct ReshardPlan {
  std::string from, to;  // lab names
  Endpoint source, target;
  std::string source_id, target_id;
  std::vector<Endpoint> other_masters;
  std::vector<int> slots;  // the source's lowest `count` slots
};

struct ReshardReport {
  int slots = 0;
  uint64_t keys_moved = 0;
  uint64_t commands = 0;
};

// Reads the topology from the lab (call it on the thread that owns the lab). Throws LabError when `from` or `to` is
// not a running master or `from` owns no slots.
ReshardPlan plan_reshard(Lab& lab, const std::string& from, const std::string& to, int count);
// Runs the migration with its own connections only (safe on another thread while the lab is left alone). Throws
// LabError with the failing command's reply.
ReshardReport run_reshard(const ReshardPlan& plan);

}  // namespace cachelab::live
