#include "cachelab/net/node_names.hpp"

#include <algorithm>

namespace cachelab {

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

}  // namespace cachelab
