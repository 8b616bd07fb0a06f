#pragma once
// Real-valued distributions that scenarios name: `{"dist": "lognormal", "median": 250, "p99": 900}`.
// Each kind lives in its own file under sim/src/dist/ and registers itself (name, doc, parameter schema, factory):
// adding one touches no shared switch. The unit comes from the key that holds the distribution (`rtt_us`, ...).
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/core/rng.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab {

class RealDist {
 public:
  virtual ~RealDist() = default;
  virtual double sample(Rng& rng) const = 0;
  virtual double mean() const = 0;  // analytic mean, for estimates and tests
};

struct DistKind {
  std::string name;
  std::string doc;
  schema::ObjectPtr params;  // the keys besides "dist"
  std::function<std::unique_ptr<RealDist>(const nlohmann::json& resolved)> make;
};

class DistRegistry {
 public:
  static DistRegistry& instance();
  void add(DistKind kind);
  const DistKind* find(const std::string& name) const;
  const std::vector<DistKind>& all() const { return kinds_; }

 private:
  std::vector<DistKind> kinds_;
};

struct RegisterDist {
  explicit RegisterDist(DistKind kind) { DistRegistry::instance().add(std::move(kind)); }
};

// Builds a distribution from a resolved `{"dist": ..., params}` object. REQUIRES: it passed validation.
std::unique_ptr<RealDist> make_dist(const nlohmann::json& resolved);

// A scenario field holding a distribution of any registered kind, with a default.
schema::FieldSpec dist_field(std::string name, nlohmann::json def);

}  // namespace cachelab
