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
#include "cachelab/client/router.hpp"
#include "cachelab/metrics/recorder.hpp"
#include "cachelab/workload/generator.hpp"

namespace cachelab {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Time now() const = 0;
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
