#include "cachelab/faults/fault.hpp"

#include <algorithm>

namespace cachelab {

FaultRegistry& FaultRegistry::instance() {
  static FaultRegistry registry;  // a catalogue of fault types filled at load time; not run state
  return registry;
}

void FaultRegistry::add(FaultKind k) {
  kinds_.push_back(std::move(k));
  std::sort(kinds_.begin(), kinds_.end(), [](const FaultKind& a, const FaultKind& b) { return a.action < b.action; });
}

const FaultKind* FaultRegistry::find(const std::string& action) const {
  for (const auto& k : kinds_)
    if (k.action == action) return &k;
  return nullptr;
}

void check_node_param(const nlohmann::json& item, const nlohmann::json& scenario, const char* key,
                      const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const auto names = node_names(scenario);
  const std::string n = item.at(key).get<std::string>();
  if (std::find(names.begin(), names.end(), n) != names.end()) return;
  report(std::string("/") + key, "a node of this cluster (" + names.front() + " .. " + names.back() + ")",
         "\"" + n + "\"");
}

RegisterNodeFault::RegisterNodeFault(std::string action, std::string doc, void (FaultTarget::*apply)(int node)) {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("node").req().about("the node's name (master-M or replica-M-R)"));
  FaultRegistry::instance().add(
      {std::move(action), std::move(doc), o,
       [](const nlohmann::json& item, const nlohmann::json& scenario,
          const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
         check_node_param(item, scenario, "node", report);
       },
       [apply](FaultTarget& t, const nlohmann::json& item) { (t.*apply)(t.node_index(item.at("node"))); }});
}

bool fault_needs_control_plane(const std::string& action) {
  const FaultKind* k = FaultRegistry::instance().find(action);
  return !k || k->needs_control_plane;
}

schema::FieldSpec faults_field() {
  std::vector<std::pair<std::string, schema::ObjectPtr>> variants;
  for (const auto& k : FaultRegistry::instance().all()) {
    auto o = std::make_shared<schema::ObjectSpec>(*k.params);
    o->fields.insert(o->fields.begin(),
                     schema::number("at_s").req().min(0).in("s").about("when the fault happens (virtual time)"));
    variants.emplace_back(k.action, o);
  }
  auto f = schema::variant_array("faults", "action", std::move(variants));
  f.about("the fault timeline: actions at given times (`cachelab knobs` lists each action's keys)");
  return f;
}

}  // namespace cachelab
