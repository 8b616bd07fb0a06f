#pragma once
// Which key a request touches: `{"dist": "zipf", "alpha": 0.99}`, `{"dist": "scrambled_zipfian"}`, ... Each kind is
// one file in sim/src/workload/popularity/ that registers itself (name, doc, parameter schema, factory), like the
// value distributions in sim/src/dist/: adding one touches no shared switch. Key numbers are 0..keys-1.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/rng.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab {

class KeyChooser {
 public:
  virtual ~KeyChooser() = default;
  // The key number of the next request that reads or updates an existing key.
  virtual uint64_t next(Rng& rng) = 0;
  // The key number an insert writes, for kinds with an insert frontier ("latest": YCSB's insert key sequence); the
  // others return false and the writer uses next().
  virtual bool insert(uint64_t& key) {
    (void)key;
    return false;
  }
  // True when the kind has no key left to give ("scan": its range was read once): the stream ends.
  virtual bool exhausted() const { return false; }
  // P(key) when it is stationary and known in closed form (tests, estimates); negative when not.
  virtual double probability(uint64_t key) const {
    (void)key;
    return -1;
  }
  // The k most popular key numbers, most popular first, into `out` (cache warming). False: the key numbers
  // 0, 1, 2, ... are already in popularity order (zipf, uniform, hotspot, sequential: ties in key order).
  virtual bool top_keys(uint64_t k, std::vector<uint64_t>& out) const {
    (void)k;
    (void)out;
    return false;
  }
};

struct PopularityKind {
  std::string name;
  std::string doc;
  schema::ObjectPtr params;  // the keys besides "dist"
  std::function<std::unique_ptr<KeyChooser>(const nlohmann::json& resolved, uint64_t keys)> make;
};

class PopularityRegistry {
 public:
  static PopularityRegistry& instance();
  void add(PopularityKind kind);
  const PopularityKind* find(const std::string& name) const;
  const std::vector<PopularityKind>& all() const { return kinds_; }

 private:
  std::vector<PopularityKind> kinds_;
};

struct RegisterPopularity {
  explicit RegisterPopularity(PopularityKind kind) { PopularityRegistry::instance().add(std::move(kind)); }
};

// REQUIRES: `resolved` passed validation against popularity_field().
std::unique_ptr<KeyChooser> make_key_chooser(const nlohmann::json& resolved, uint64_t keys);

// The scenario field `popularity`: a variant over every registered kind.
schema::FieldSpec popularity_field(std::string name, nlohmann::json def);

}  // namespace cachelab
