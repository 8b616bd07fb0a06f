#pragma once
// The application's side of the cache, written once for both back-ends: routing by the client's slot map and the
// caching pattern. Cache-aside (design.md "The request path"): a read GETs the key; on a hit it is done, on a miss
// it loads from the origin, returns the value to the application, then SETs it (with the request's TTL). A write goes
// to the origin first, then invalidates (DEL) or updates (SET) the cache.
//
// Accounting choices: a read whose GET fails (timeout, connection, CLUSTERDOWN) falls back to the origin and counts
// as a miss; the application's latency ends when it has its value (a miss's fill SET runs after that and is not
// part of it); a write's latency includes the cache invalidation.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <vector>

#include "cachelab/client/backend.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
};

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

enum class WriteMode : uint8_t { Invalidate, Update };

class ClientLogic {
 public:
  ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock, SlotRouter router,
              WriteMode write_mode);
  // The application issues a request (at clock.now()).
  void start(const Request& r);
  // A hint: `r` will start soon (the driver knows the next request one arrival ahead).
  void prefetch(const Request& r) const { router_.prefetch(r.key); }
  void on_cache_reply(uint32_t tag, const CacheReply& reply);
  void on_origin_reply(uint32_t tag, OriginOutcome outcome);
  // A CLUSTER SLOTS answer for one client instance (after a MOVED, as real cluster clients refresh).
  void on_slots(uint16_t client, const std::vector<uint16_t>& owners);
  // At most this many redirections per command before it fails (redis-cli and common clients use 16).
  static constexpr int kMaxRedirects = 16;
  size_t in_flight() const { return slots_.size() - free_.size(); }

 private:
  enum class Stage : uint8_t { ReadGet, ReadLoad, ReadFill, WriteOrigin, WriteCache };
  struct Pending {
    Request req;
    Stage stage;
    CacheCmd cmd;        // the cache command in flight, resent after a redirection
    uint8_t redirects;   // MOVED/ASK followed for this command
    uint32_t ask_node;   // Node::kNoNode-like sentinel UINT32_MAX when not asking
    bool degraded;       // a cache command of this request failed (connection, CLUSTERDOWN, timeout)
  };
  uint32_t acquire(const Request& r, Stage s);
  void release(uint32_t tag) { free_.push_back(tag); }
  void send(uint32_t tag, CacheCmd cmd);
  void finish(uint32_t tag, bool hit, bool failed);
  bool record_error(const CacheReply& reply);
  bool redirect(uint32_t tag, const CacheReply& reply);

  CacheBackend& cache_;
  OriginBackend& origin_;
  Recorder& rec_;
  const Clock& clock_;
  SlotRouter router_;
  WriteMode write_mode_;
  std::vector<Pending> slots_;
  std::vector<uint32_t> free_;
  std::vector<uint8_t> refreshing_;  // per client instance: a CLUSTER SLOTS is in flight
  uint32_t prev_node_ = UINT32_MAX;  // the previous command's target, for a two-step prefetch
  uint64_t prev_key_ = 0;
};

}  // namespace cachelab
