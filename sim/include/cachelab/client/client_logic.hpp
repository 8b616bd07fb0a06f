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

// A client's view of which node owns each slot. Standalone mode routes everything to node 0.
// A key's slot never changes, so it is computed once per key number and memoised (2 bytes per key, up to
// kSlotCacheKeys keys; beyond that it is recomputed each time).
class SlotRouter {
 public:
  static constexpr uint64_t kSlotCacheKeys = uint64_t{1} << 24;
  SlotRouter(const KeyNamer& namer, std::vector<uint32_t> slot_owner, bool standalone, uint64_t keys)
      : namer_(namer), owner_(std::move(slot_owner)), standalone_(standalone),
        slot_of_(standalone ? 0 : std::min(keys, kSlotCacheKeys), kUnknown) {}
  uint32_t route(uint64_t key) {
    if (standalone_) return 0;
    return owner_[slot(key)];
  }
  uint16_t slot(uint64_t key) {
    if (key >= slot_of_.size()) return static_cast<uint16_t>(namer_.slot(key));
    uint16_t& s = slot_of_[key];
    if (s == kUnknown) s = static_cast<uint16_t>(namer_.slot(key));
    return s;
  }

 private:
  static constexpr uint16_t kUnknown = 0xFFFF;
  const KeyNamer& namer_;
  std::vector<uint32_t> owner_;
  bool standalone_;
  std::vector<uint16_t> slot_of_;
};

enum class WriteMode : uint8_t { Invalidate, Update };

class ClientLogic {
 public:
  ClientLogic(CacheBackend& cache, OriginBackend& origin, Recorder& recorder, const Clock& clock, SlotRouter router,
              WriteMode write_mode);
  // The application issues a request (at clock.now()).
  void start(const Request& r);
  void on_cache_reply(uint32_t tag, const CacheReply& reply);
  void on_origin_reply(uint32_t tag, OriginOutcome outcome);
  size_t in_flight() const { return slots_.size() - free_.size(); }

 private:
  enum class Stage : uint8_t { ReadGet, ReadLoad, ReadFill, WriteOrigin, WriteCache };
  struct Pending {
    Request req;
    Stage stage;
  };
  uint32_t acquire(const Request& r, Stage s);
  void release(uint32_t tag) { free_.push_back(tag); }
  void send(uint32_t tag, CacheCmd cmd);
  void finish(uint32_t tag, bool hit, bool failed);
  bool record_error(const CacheReply& reply);

  CacheBackend& cache_;
  OriginBackend& origin_;
  Recorder& rec_;
  const Clock& clock_;
  SlotRouter router_;
  WriteMode write_mode_;
  std::vector<Pending> slots_;
  std::vector<uint32_t> free_;
};

}  // namespace cachelab
