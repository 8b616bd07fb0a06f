#pragma once
// What a node does when it must free memory. Each policy is one file under sim/src/cache/policies/ that registers
// itself (name, description, factory); the scenario's `maxmemory_policy` names it. Adding one touches no switch.
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
};

struct PolicyKind {
  std::string name;
  std::string description;
  std::function<std::unique_ptr<EvictionPolicy>(const StoreConfig&)> make;
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
