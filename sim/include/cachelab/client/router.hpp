#pragma once
// Where a client instance sends a key's command: its own (possibly stale) slot map, as smart cluster clients do,
// or, with client-side sharding (ketama, modulo; client/sharding.hpp), the server its hash ring names.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "cachelab/client/sharding.hpp"
#include "cachelab/core/prefetch.hpp"
#include "cachelab/protocol/key_hash_memo.hpp"
#include "cachelab/protocol/request.hpp"

namespace cachelab {

// Smart routing (docs/redis-reference.md §2): every client instance keeps its own slot map, which can go stale;
// it sends to the owner it believes in. Standalone mode routes to node 0, unless client-side sharding is on.
class SlotRouter {
 public:
  using Map = std::vector<uint16_t>;
  SlotRouter(const KeyNamer& namer, const std::vector<uint16_t>& initial_owner, bool standalone, uint64_t keys,
             int clients, std::shared_ptr<const ClientSharding> sharding = nullptr)
      : standalone_(standalone || sharding != nullptr),
        sharding_(std::move(sharding)),
        memo_(std::make_shared<KeyHashMemo>(namer, keys, sharding_ ? &ketama_hash : nullptr)),
        shared_(std::make_shared<Map>(initial_owner)),
        maps_(standalone_ ? 0 : static_cast<size_t>(clients), shared_) {}
  // Cluster mode: the owner in this client's map. Standalone: node 0.
  uint32_t route(uint16_t client, uint16_t slot) const { return standalone_ ? 0 : (*maps_[client])[slot]; }
  // The same, but with client-side sharding the server comes from the key's hash. Every client instance shares one
  // ring: a membership change reaches all of them at once (a configuration push; no stale rings are modelled).
  uint32_t route(uint16_t client, uint16_t slot, uint64_t key) const {
    if (sharding_) return static_cast<uint32_t>(sharding_->server_for(memo_->ring_hash(key)));
    return route(client, slot);
  }
  // The key's slot as the cluster sees it; 0 when there is no cluster (standalone servers have no slots).
  uint16_t slot(uint64_t key) { return standalone_ ? 0 : memo_->slot(key); }
  void prefetch(uint64_t key) const { memo_->prefetch(key); }
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
  bool sharded() const { return sharding_ != nullptr; }  // client-side sharding (ketama, modulo)
  const std::shared_ptr<KeyHashMemo>& memo() const { return memo_; }

 private:
  bool standalone_;
  std::shared_ptr<const ClientSharding> sharding_;
  std::shared_ptr<KeyHashMemo> memo_;
  std::shared_ptr<Map> shared_;             // the last map installed by a refresh (or the initial one)
  std::vector<std::shared_ptr<Map>> maps_;  // per client instance: slot -> node
};

}  // namespace cachelab
