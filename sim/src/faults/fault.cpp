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

std::vector<std::string> split_node_list(const std::string& list) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= list.size()) {
    size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) out.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::vector<std::string> node_names(const nlohmann::json& scenario) {
  std::vector<std::string> names;
  const auto& c = scenario.at("cluster");
  const int masters = c.at("masters").get<int>(), replicas = c.at("replicas_per_master").get<int>();
  for (int m = 1; m <= masters; ++m) names.push_back("master-" + std::to_string(m));
  for (int m = 1; m <= masters; ++m)
    for (int r = 1; r <= replicas; ++r) names.push_back("replica-" + std::to_string(m) + "-" + std::to_string(r));
  int added = masters;
  if (scenario.contains("faults"))
    for (const auto& f : scenario.at("faults"))
      if (f.value("action", "") == "add_node") names.push_back("master-" + std::to_string(++added));
  return names;
}

std::vector<std::string> masters_at(const nlohmann::json& scenario, size_t before) {
  const int masters = scenario.at("cluster").at("masters").get<int>();
  std::vector<std::string> out;
  for (int m = 1; m <= masters; ++m) out.push_back("master-" + std::to_string(m));
  const auto& faults = scenario.at("faults");
  // The timeline runs in time order; equal times in file order (the runner schedules them that way).
  std::vector<size_t> order(faults.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return faults[a].at("at_s").get<double>() < faults[b].at("at_s").get<double>();
  });
  int added = masters;
  for (size_t i : order) {
    if (i == before) break;
    const std::string action = faults[i].at("action");
    if (action == "add_node") out.push_back("master-" + std::to_string(++added));
    if (action == "remove_node") {
      const auto it = std::find(out.begin(), out.end(), faults[i].at("node").get<std::string>());
      if (it != out.end()) out.erase(it);
    }
  }
  return out;
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
