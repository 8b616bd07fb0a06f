#pragma once
// Where a client instance sends a key's command: its own (possibly stale) slot map, as smart cluster clients do.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "cachelab/workload/generator.hpp"

namespace cachelab {

// Smart routing (ref. redis-cluster.md §2): every client instance keeps its own slot map, which can go stale;
// it sends to the owner it believes in. A key's slot never changes, so it is computed once per key number and
// memoised (2 bytes per key up to kSlotCacheKeys keys; beyond that recomputed). Standalone mode routes to node 0.
class SlotRouter {
 public:
  static constexpr uint64_t kSlotCacheKeys = uint64_t{1} << 24;
  using Map = std::vector<uint16_t>;
  SlotRouter(const KeyNamer& namer, const std::vector<uint16_t>& initial_owner, bool standalone, uint64_t keys,
             int clients)
      : namer_(namer),
        standalone_(standalone),
        shared_(std::make_shared<Map>(initial_owner)),
        maps_(standalone ? 0 : static_cast<size_t>(clients), shared_),
        slot_of_(standalone ? 0 : std::min(keys, kSlotCacheKeys), kUnknown) {}
  uint32_t route(uint16_t client, uint16_t slot) const { return standalone_ ? 0 : (*maps_[client])[slot]; }
  uint16_t slot(uint64_t key) {
    if (standalone_) return 0;
    if (key >= slot_of_.size()) return static_cast<uint16_t>(namer_.slot(key));
    uint16_t& s = slot_of_[key];
    if (s == kUnknown) s = static_cast<uint16_t>(namer_.slot(key));
    return s;
  }
  void prefetch(uint64_t key) const {
    if (key < slot_of_.size()) __builtin_prefetch(&slot_of_[key]);
  }
  // Copy on write: client maps that agree share one table (32 KB), which keeps routing in cache with many clients.
  void learn(uint16_t client, uint16_t slot, uint16_t node) {
    auto& m = maps_[client];
    if ((*m)[slot] == node) return;
    if (m.use_count() > 1) m = std::make_shared<Map>(*m);
    (*m)[slot] = node;
  }
  void replace(uint16_t client, const Map& owners) {
    if (*shared_ != owners) shared_ = std::make_shared<Map>(owners);  // the newest answer is shared by all who get it
    maps_[client] = shared_;
  }
  bool standalone() const { return standalone_; }

 private:
  static constexpr uint16_t kUnknown = 0xFFFF;
  const KeyNamer& namer_;
  bool standalone_;
  std::shared_ptr<Map> shared_;               // the last map installed by a refresh (or the initial one)
  std::vector<std::shared_ptr<Map>> maps_;    // per client instance: slot -> node
  std::vector<uint16_t> slot_of_;
};

}  // namespace cachelab
