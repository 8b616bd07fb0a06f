#include "cachelab/core/dist.hpp"

#include <algorithm>
#include <stdexcept>

namespace cachelab {

DistRegistry& DistRegistry::instance() {
  static DistRegistry registry;  // immutable after static initialisation: a catalogue of types, not run state
  return registry;
}

void DistRegistry::add(DistKind kind) {
  kinds_.push_back(std::move(kind));
  // Sorted by name so that listings and error messages do not depend on link order.
  std::sort(kinds_.begin(), kinds_.end(), [](const DistKind& a, const DistKind& b) { return a.name < b.name; });
}

const DistKind* DistRegistry::find(const std::string& name) const {
  for (const auto& k : kinds_)
    if (k.name == name) return &k;
  return nullptr;
}

std::unique_ptr<RealDist> make_dist(const nlohmann::json& resolved) {
  const auto name = resolved.at("dist").get<std::string>();
  const DistKind* kind = DistRegistry::instance().find(name);
  if (!kind) throw std::logic_error("make_dist: unknown distribution " + name);
  return kind->make(resolved);
}

schema::FieldSpec dist_field(std::string name, nlohmann::json def) {
  std::vector<std::pair<std::string, schema::ObjectPtr>> variants;
  for (const auto& k : DistRegistry::instance().all()) variants.emplace_back(k.name, k.params);
  auto f = schema::variant(std::move(name), "dist", std::move(variants));
  f.def = std::move(def);
  return f;
}

}  // namespace cachelab
