#pragma once
// Eviction policies over object handles, written once and driven by two hosts (issue 4: one code path):
// - trace replay (replay/simulator.cpp), libCacheSim's "find, evict until it fits, insert" loop;
// - a node's Store (cluster simulation), through an adapter that implements EvictionPolicy
//   (sim/src/cache/object_policy.cpp): `cluster.maxmemory_policy` accepts every policy registered here.
// A handle is a small dense integer the host gives a resident object (its slot; the Store's entry index) and
// reuses after the object leaves, so a policy keeps per-object state in flat arrays indexed by handle: memory in
// proportion to the cached objects, not to everything ever requested. Policies that remember departed objects
// (ARC's and S3-FIFO's ghosts) key them by id.
//
// Each policy is one file (sim/src/cache/policies/, or sim/src/replay/policies/ for replay-only ones) with a
// RegisterObjectPolicy line; adding one touches no switch.
//
// Call order, the same in both hosts, for one request of object `id`:
//   resident:  on_hit(h)
//   miss:      on_miss(id, size); [if admits(size):] evict() until the object fits; insert(h, id, size)
// remove(h) forgets an object that left without an eviction (expired, deleted). A Store makes room before it
// inserts a new key for these policies (Store::set), so a policy sees the same sequence in a node as in replay.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/core/time.hpp"

namespace cachelab {

using Handle = uint32_t;
constexpr Handle kNoHandle = UINT32_MAX;

// What a hook is told about the request that triggers it.
struct Access {
  uint64_t id = 0;   // the object's key (replay: the dense object index; a Store: the key number)
  uint64_t seq = 0;  // the request's number in the host's stream (replay: the trace index)
  Time now;          // the request's time (replay: the trace's seconds, or one request per ms without timestamps)
};

// The future, for offline policies (Belady): only trace replay can offer it.
class FutureOracle {
 public:
  // The request number of the next request for the object requested at request `seq` (INT64_MAX: never again).
  virtual int64_t next_access(uint64_t seq) const = 0;

 protected:
  ~FutureOracle() = default;
};

struct ObjectPolicyParams {
  // Bytes the cached objects may take (objects, with unit sizes): what S3-FIFO and ARC split into their queues.
  uint64_t capacity = 0;
  // A hint: about how many objects will be resident at once (per-handle arrays reserve it; they grow past it).
  uint64_t expected_objects = 0;
  uint64_t seed = 1;                     // randomized policies derive their stream from it
  const FutureOracle* future = nullptr;  // set by trace replay; offline policies require it
  // The Redis-faithful policies in replay (replay/policies/redis.cpp): maxmemory-samples and the sampler
  // (StoreConfig::sampling: "uniform" or "buckets").
  int maxmemory_samples = 5;
  std::string sampling = "uniform";
};

class ObjectPolicy {
 public:
  virtual ~ObjectPolicy() = default;
  // A request found resident `h`.
  virtual void on_hit(Handle h, const Access& a) = 0;
  // A miss on a.id of `size` (bytes as requested), before any eviction for it: ghost lookups (ARC, S3-FIFO).
  // Replay calls it for every miss, including objects then not admitted; a Store before inserting a new key.
  virtual void on_miss(const Access& /*a*/, uint32_t /*size*/) {}
  // Whether an object of `size` may be inserted (beyond fitting in the whole cache). A Store always stores a SET.
  virtual bool admits(uint32_t /*size*/) const { return true; }
  // REQUIRES: h is not resident; the host has made room.
  virtual void insert(Handle h, const Access& a, uint32_t size) = 0;
  // Chooses a victim, forgets it and returns it. REQUIRES: at least one object is resident.
  virtual Handle evict() = 0;
  // Forgets resident `h` without it counting as an eviction (an expired object found on access, a DEL).
  virtual void remove(Handle h) = 0;

  // The object evict() would pick now, if the policy knows it cheaply (kNoHandle otherwise): replay prefetches its
  // index entry, which the next eviction removes. Only a hint: a hit may change the victim.
  virtual Handle victim_hint() const { return kNoHandle; }

  // Whether on_miss or admits do anything: a host may skip both calls when not (two indirect calls per miss on
  // replay's hot path).
  bool uses_misses() const { return uses_misses_; }

 protected:
  bool uses_misses_ = false;  // set by policies that override on_miss or admits
};

struct ObjectPolicyKind {
  std::string name;  // lower case, as on the command line and in `cluster.maxmemory_policy`
  std::string description;
  // Needs ObjectPolicyParams::future (an offline policy): replay only. A scenario naming it is refused, saying why.
  bool needs_future = false;
  // Registered for replay only, because the cluster simulation has its own implementation under the same name
  // (the Redis policies, which run the cache/ code on a Store of their own in replay).
  bool replay_only = false;
  std::function<std::unique_ptr<ObjectPolicy>(const ObjectPolicyParams&)> make;
};

class ObjectPolicyRegistry {
 public:
  static ObjectPolicyRegistry& instance();
  void add(ObjectPolicyKind k);
  const ObjectPolicyKind* find(const std::string& name) const;         // case-insensitive
  const std::vector<ObjectPolicyKind>& all() const { return kinds_; }  // sorted by name
  std::vector<std::string> names() const;

 private:
  std::vector<ObjectPolicyKind> kinds_;
};

// Registers the policy for replay and, unless replay_only, as a `cluster.maxmemory_policy` (PolicyRegistry).
struct RegisterObjectPolicy {
  explicit RegisterObjectPolicy(ObjectPolicyKind k);
};

}  // namespace cachelab
