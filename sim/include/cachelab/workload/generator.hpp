#pragma once
// The request stream: a pure function of the scenario's workload section and the seed, so the simulator and live
// mode replay exactly the same requests. Every random draw comes from the "workload" stream in a fixed order
// (inter-arrival, op, key, client, TTL), except value sizes, which are a pure function of (seed, key).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/core/time.hpp"
#include "cachelab/scenario/scenario.hpp"
#include "cachelab/workload/arrivals.hpp"

namespace cachelab {

// Read = GET (cache-aside read), Write = SET (an update of the value in the origin, then the cache), Del = delete
// from the origin and the cache, Incr = INCR on the cache (a counter living only in the cache), MGet / MSet = the
// multi-key forms over keys key, key+1, ..., key+key_count-1 (ref. redis-cluster.md §1: same slot only with tags).
enum class Op : uint8_t { Read, Write, Del, Incr, MGet, MSet };

struct Request {
  uint64_t seq = 0;       // 0, 1, 2, ... in arrival order
  Time due;               // when the application issues it (open loop)
  uint64_t key = 0;       // key number; its name is KeyNamer::format(key)
  Op op = Op::Read;
  uint8_t key_count = 1;  // MGet / MSet: how many consecutive key numbers, from `key`
  uint16_t client = 0;    // client instance
  uint32_t value_bytes = 0;
  int64_t ttl_ms = -1;    // TTL to set if this request writes the cache; -1 = none
};

// Key numbers become names the way the application would write them: prefix + decimal number.
class KeyNamer {
 public:
  explicit KeyNamer(std::string prefix) : prefix_(std::move(prefix)) {}
  // Writes the name into buf (at least 96 bytes) and returns its length. No allocation.
  size_t format(uint64_t key, char* buf) const;
  size_t length(uint64_t key) const;
  std::string name(uint64_t key) const;
  // The hash slot of key's name (cluster/slots.hpp).
  int slot(uint64_t key) const;

 private:
  std::string prefix_;
};

class WorkloadGenerator {
 public:
  explicit WorkloadGenerator(const Scenario& s);
  // The next request due before `end`, or false when the stream has passed `end`.
  bool next(Request& out, Time end);
  uint32_t value_bytes(uint64_t key) const;
  const KeyNamer& namer() const { return namer_; }

 private:
  uint64_t seed_;
  uint64_t keys_;
  double read_fraction_;
  uint16_t clients_;
  std::optional<ZipfSampler> zipf_;
  std::unique_ptr<RealDist> value_dist_, ttl_dist_;
  std::optional<uint32_t> fixed_value_;
  PoissonArrivals arrivals_;
  Rng rng_;
  KeyNamer namer_;
  uint64_t seq_ = 0;
};

}  // namespace cachelab
