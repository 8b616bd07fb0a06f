#pragma once
// Which node serves each of the 16384 slots, as last learned from CLUSTER SLOTS or a MOVED redirect.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "live/client/endpoint.hpp"
#include "live/client/reply.hpp"

namespace cachelab::live {

class SlotMap {
 public:
  SlotMap() { owner_.fill(kNone); }

  // Every slot to one node (standalone server).
  void assign_all(const Endpoint& node);
  // Replaces the map from a CLUSTER SLOTS reply. `replied_by` fills in an empty host ("" means "the host you
  // asked", Redis 7). Returns false (map unchanged) when the reply is not a valid CLUSTER SLOTS answer.
  bool load_cluster_slots(const Reply& reply, const Endpoint& replied_by);
  void set(int slot, const Endpoint& node);  // after MOVED

  std::optional<Endpoint> owner(int slot) const;
  int covered_slots() const;
  // Masters first (in order of their first slot), then replicas seen in the last CLUSTER SLOTS.
  std::vector<Endpoint> known_nodes() const;
  const std::vector<Endpoint>& replicas() const { return replicas_; }

 private:
  static constexpr uint16_t kNone = 0xFFFF;
  uint16_t index_of(const Endpoint& node);

  std::array<uint16_t, 16384> owner_;
  std::vector<Endpoint> nodes_;  // index -> endpoint (grows; entries are never reused)
  std::vector<Endpoint> replicas_;
};

}  // namespace cachelab::live
