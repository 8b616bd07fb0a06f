#pragma once
// A cache node: one Redis process. Commands are served one at a time in arrival order (Redis's single command
// thread), each taking a service time drawn from the scenario's distribution; before each command the store evicts
// while over maxmemory, and commands that need memory get OOM when it cannot (ref. redis-cluster.md §7.2).
#include <memory>
#include <string>

#include "cachelab/cache/store.hpp"
#include "cachelab/client/backend.hpp"
#include "cachelab/core/dist.hpp"

namespace cachelab {

class Node {
 public:
  Node(std::string name, const StoreConfig& store_cfg, Rng store_rng, const RealDist& service_us, Rng service_rng);

  // Executes a command that reaches the node at `arrival` (calls must come in arrival order): it starts when the
  // node is free, and its effect on the keyspace is applied at its start time. Returns the completion time.
  Time execute(const CacheCommand& c, uint32_t key_len, Time arrival, CacheReply& reply);

  // serverCron: the active expire cycle (masters).
  void cron(Time now) { store_.cron(now); }

  const std::string& name() const { return name_; }
  const Store& store() const { return store_; }
  const char* role() const { return "master"; }
  uint64_t ops() const { return ops_; }
  Time busy() const { return busy_; }  // total service time so far

 private:
  std::string name_;
  Store store_;
  const RealDist& service_us_;
  Rng service_rng_;
  Time free_at_;
  uint64_t ops_ = 0;
  Time busy_;
};

}  // namespace cachelab
