#pragma once
// Where a client instance sends a key's command: its own (possibly stale) slot map, as smart cluster clients do,
// or, with client-side sharding (ketama, modulo; client/sharding.hpp), the server its hash ring names.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "cachelab/client/sharding.hpp"
#include "cachelab/core/huge_pages.hpp"
#include "cachelab/core/prefetch.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {

// A key's hash slot (and, for client-side sharding, its 32-bit ketama hash) never changes, so each is computed
// once per key number and memoised (2 + 4 bytes per key up to kKeys keys; beyond that recomputed). Shared by the
// router and the hot-slot counters (metrics/hotspots.hpp), so a key is hashed once per run.
class KeyHashMemo {
 public:
  static constexpr uint64_t kKeys = uint64_t{1} << 24;
  KeyHashMemo(const KeyNamer& namer, uint64_t keys, bool ring_hashes)
      : namer_(namer),
        slot_of_(std::min(keys, kKeys), kUnknownSlot),
        hash_of_(ring_hashes ? std::min(keys, kKeys) : 0, kUnknownHash) {}
  uint16_t slot(uint64_t key) {
    if (key >= slot_of_.size()) return static_cast<uint16_t>(namer_.slot(key));
    uint16_t& s = slot_of_[key];
    if (s == kUnknownSlot) s = static_cast<uint16_t>(namer_.slot(key));
    return s;
  }
  uint32_t ring_hash(uint64_t key) {
    if (key >= hash_of_.size()) return compute_hash(key);
    uint32_t& h = hash_of_[key];
    if (h == kUnknownHash) h = compute_hash(key);  // a key whose hash is the sentinel is just recomputed each time
    return h;
  }
  void prefetch(uint64_t key) const {
    if (key < slot_of_.size()) prefetch_line(&slot_of_[key]);
    if (key < hash_of_.size()) prefetch_line(&hash_of_[key]);
  }

 private:
  static constexpr uint16_t kUnknownSlot = 0xFFFF;
  static constexpr uint32_t kUnknownHash = 0xFFFFFFFF;
  uint32_t compute_hash(uint64_t key) const {
    char buf[96];
    return ketama_hash(std::string_view(buf, namer_.format(key, buf)));
  }
  const KeyNamer& namer_;
  HugeVector<uint16_t> slot_of_;
  HugeVector<uint32_t> hash_of_;
};

// Smart routing (docs/redis-reference.md §2): every client instance keeps its own slot map, which can go stale;
// it sends to the owner it believes in. Standalone mode routes to node 0, unless client-side sharding is on.
class SlotRouter {
 public:
  using Map = std::vector<uint16_t>;
  SlotRouter(const KeyNamer& namer, const std::vector<uint16_t>& initial_owner, bool standalone, uint64_t keys,
             int clients, std::shared_ptr<const ClientSharding> sharding = nullptr)
      : standalone_(standalone || sharding != nullptr),
        sharding_(std::move(sharding)),
        memo_(std::make_shared<KeyHashMemo>(namer, keys, sharding_ != nullptr)),
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
  const std::shared_ptr<KeyHashMemo>& memo() const { return memo_; }

 private:
  bool standalone_;
  std::shared_ptr<const ClientSharding> sharding_;
  std::shared_ptr<KeyHashMemo> memo_;
  std::shared_ptr<Map> shared_;               // the last map installed by a refresh (or the initial one)
  std::vector<std::shared_ptr<Map>> maps_;    // per client instance: slot -> node
};

}  // namespace cachelab
