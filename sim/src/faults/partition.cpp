// {"at_s": T, "action": "partition", "nodes": "master-1,replica-2-1", "bus_only": false}: the listed nodes on one
// side, every other node on the other. bus_only cuts only the cluster bus (gossip, votes), not replication.

#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("nodes").req().about("comma-separated node names on one side of the cut"));
  o->fields.push_back(schema::boolean("bus_only").dflt(false).about("cut only the cluster bus"));
  return o;
}

const RegisterFault reg(
    {"partition", "split the nodes into two sides that cannot reach each other (sim only)", params(),
     [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
       const auto names = node_names(scenario);
       const auto side = split_node_list(item.at("nodes").get<std::string>());
       if (side.empty()) report("/nodes", "at least one node name", item.at("nodes").dump());
       for (const auto& n : side)
         if (std::find(names.begin(), names.end(), n) == names.end())
           report("/nodes", "node names of this cluster (" + names.front() + " .. " + names.back() + ")", "\"" + n + "\"");
       if (side.size() >= names.size()) report("/nodes", "a strict subset of the nodes", item.at("nodes").dump());
       if (scenario.at("cluster").at("mode") != "cluster") report("", "cluster mode", "standalone mode");
     },
     [](FaultTarget& t, const nlohmann::json& item) {
       std::vector<int> side;
       for (const auto& n : split_node_list(item.at("nodes").get<std::string>())) side.push_back(t.node_index(n));
       t.partition(side, item.at("bus_only").get<bool>());
     }});

}  // namespace
}  // namespace cachelab
