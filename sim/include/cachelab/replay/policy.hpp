#pragma once
// The replay-policy interface and its self-registering catalogue (the replay twin of cache/eviction_policy.hpp,
// kept separate: replay policies see dense object indices and byte capacities, not a Redis Store).
// Each policy is one file under sim/src/replay/policies/ with a RegisterReplayPolicy line; adding one touches no
// switch. The simulator (simulator.hpp) owns residency and byte accounting and calls the hooks below.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/replay/trace.hpp"

namespace cachelab::replay {

struct PolicyContext {
  uint64_t capacity_bytes = 0;
  uint32_t objects = 0;                  // dense indices are < objects: size per-object arrays with it
  const uint32_t* stored_size = nullptr; // bytes each object was stored with; valid for resident objects and for
                                         // evicted ones until they are inserted again (ghost lists rely on this)
  const Trace* trace = nullptr;          // for offline policies (Belady reads next_access_vtime)
  uint64_t seed = 1;                     // for randomized policies; use Rng(seed)
  int maxmemory_samples = 5;             // the Redis-faithful policies' maxmemory-samples
  std::string sampling = "uniform";      // ... and their sampler (StoreConfig::sampling)
};

class ReplayPolicy {
 public:
  virtual ~ReplayPolicy() = default;
  // A hit on resident `obj` by request number `req`.
  virtual void on_hit(uint32_t obj, uint64_t req) = 0;
  // A miss on `obj` (of `size_bytes` as requested), before any eviction for it (ghost lookups: ARC, S3-FIFO).
  // Called for every miss, including objects that are then not admitted.
  virtual void on_miss(uint32_t /*obj*/, uint64_t /*req*/, uint32_t /*size_bytes*/) {}
  // Whether an object of `size_bytes` may be inserted at all (beyond fitting in the whole cache).
  virtual bool admits(uint32_t /*size_bytes*/) const { return true; }
  // REQUIRES: obj not resident, and the simulator has made room. stored_size[obj] is already set.
  virtual void insert(uint32_t obj, uint64_t req) = 0;
  // Chooses a victim, forgets it and returns it. REQUIRES: at least one object is resident.
  virtual uint32_t evict() = 0;
  // Forgets resident `obj` without it counting as an eviction (an expired object found on access).
  virtual void remove(uint32_t obj) = 0;
};

struct ReplayPolicyKind {
  std::string name;  // lower case, as on the command line
  std::string description;
  std::function<std::unique_ptr<ReplayPolicy>(const PolicyContext&)> make;
};

class ReplayPolicyRegistry {
 public:
  static ReplayPolicyRegistry& instance();
  void add(ReplayPolicyKind k);
  const ReplayPolicyKind* find(const std::string& name) const;  // case-insensitive
  const std::vector<ReplayPolicyKind>& all() const { return kinds_; }
  std::vector<std::string> names() const;

 private:
  std::vector<ReplayPolicyKind> kinds_;
};

struct RegisterReplayPolicy {
  explicit RegisterReplayPolicy(ReplayPolicyKind k) { ReplayPolicyRegistry::instance().add(std::move(k)); }
};

}  // namespace cachelab::replay
