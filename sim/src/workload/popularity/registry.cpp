#include <algorithm>
#include <stdexcept>

#include "cachelab/workload/popularity.hpp"

namespace cachelab {

PopularityRegistry& PopularityRegistry::instance() {
  static PopularityRegistry registry;  // immutable after static initialisation: a catalogue of types, not run state
  return registry;
}

void PopularityRegistry::add(PopularityKind kind) {
  kinds_.push_back(std::move(kind));
  // Sorted by name so that listings and error messages do not depend on link order.
  std::sort(kinds_.begin(), kinds_.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
}

const PopularityKind* PopularityRegistry::find(const std::string& name) const {
  for (const auto& k : kinds_)
    if (k.name == name) return &k;
  return nullptr;
}

std::unique_ptr<KeyChooser> make_key_chooser(const nlohmann::json& resolved, uint64_t keys) {
  const auto name = resolved.at("dist").get<std::string>();
  const PopularityKind* kind = PopularityRegistry::instance().find(name);
  if (!kind) throw std::logic_error("make_key_chooser: unknown popularity " + name);
  return kind->make(resolved, keys);
}

schema::FieldSpec popularity_field(std::string name, nlohmann::json def) {
  std::vector<std::pair<std::string, schema::ObjectPtr>> variants;
  for (const auto& k : PopularityRegistry::instance().all()) variants.emplace_back(k.name, k.params);
  auto f = schema::variant(std::move(name), "dist", std::move(variants));
  f.def = std::move(def);
  return f;
}

}  // namespace cachelab
