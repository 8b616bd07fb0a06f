#pragma once
// What a node does when it must free memory. Each policy is one file under sim/src/cache/policies/ that registers
// itself (name, description, factory); the scenario's `maxmemory_policy` names it. Adding one touches no switch.
// Redis's policies implement EvictionPolicy on the Store directly (they read Redis's per-key fields and sample the
// dict); the reference policies (LRU, FIFO, LFU, RANDOM, CLOCK, SIEVE, S3-FIFO, ARC) are ObjectPolicies
// (object_policy.hpp), shared with trace replay and registered here through an adapter.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/cache/store.hpp"

namespace cachelab {

class EvictionPolicy {
 public:
  virtual ~EvictionPolicy() = default;
  // Hooks the store calls; `idx` is a stable entry index.
  virtual void on_insert(Store& s, uint32_t idx, Time now) = 0;
  virtual void on_access(Store& s, uint32_t idx, Time now) = 0;  // a read or an overwrite of an existing key
  virtual void on_remove(Store& s, uint32_t idx) = 0;
  // The entry to evict next, or Store::kNone when the policy may evict nothing (the store then reports OOM).
  virtual uint32_t pick_victim(Store& s, Time now) = 0;
  // Whether the store makes room before inserting a new key (the reference policies: a cache's order, as in
  // trace replay) rather than before the next command only (Redis's performEvictions). When true, Store::set
  // calls before_insert for a new key and then evicts while the key would take used_memory over maxmemory.
  virtual bool makes_room_before_insert() const { return false; }
  virtual void before_insert(Store& /*s*/, uint64_t /*key*/, uint32_t /*bytes*/, Time /*now*/) {}
};

struct PolicyKind {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<EvictionPolicy>(const StoreConfig&)> make;
  // Non-empty: the policy cannot run in a node, and why (an offline policy needs the future). `make` throws it;
  // the scenario check reports it.
  std::string refusal = {};
};

class PolicyRegistry {
 public:
  static PolicyRegistry& instance();
  void add(PolicyKind k);
  const PolicyKind* find(const std::string& name) const;
  const std::vector<PolicyKind>& all() const { return kinds_; }

 private:
  std::vector<PolicyKind> kinds_;
};

struct RegisterPolicy {
  explicit RegisterPolicy(PolicyKind k) { PolicyRegistry::instance().add(std::move(k)); }
};

}  // namespace cachelab
