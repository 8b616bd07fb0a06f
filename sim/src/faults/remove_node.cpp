// {"at_s": T, "action": "remove_node", "node": "master-2"}: a master leaves.
// Redis Cluster: its slots are moved away first, as `redis-cli --cluster rebalance --cluster-weight <node>=0`
// plans it (cluster/rebalance.hpp; the Migrator moves them, docs/redis-reference.md §2.4), then
// `redis-cli --cluster del-node` (which refuses a node that still has slots) sends CLUSTER FORGET to every other
// node and the node stops (redis-cli 7 sends it CLUSTER RESET SOFT; we model it as gone: connections refused).
// Client-side sharding (ketama, modulo): the server leaves every client's ring at once; its keys are lost.
#include <algorithm>

#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr remove_node_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("node").req().about("the master that leaves (master-M)"));
  return o;
}

void remove_node_check(const nlohmann::json& item, const nlohmann::json& scenario,
                       const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const auto& c = scenario.at("cluster");
  if (c.at("mode") != "cluster" && c.value("sharding", "redis-cluster") == "redis-cluster") {
    report("", "cluster mode, or client-side sharding (cluster.sharding \"ketama\" or \"modulo\")",
           "a single standalone server");
    return;
  }
  // Which item is this? The check gets the item itself; find its index to know the members at its time.
  const auto& faults = scenario.at("faults");
  size_t index = 0;
  while (index < faults.size() && &faults[index] != &item) ++index;
  const auto members = masters_at(scenario, index);
  const std::string n = item.at("node").get<std::string>();
  if (std::find(members.begin(), members.end(), n) == members.end()) {
    std::string list;
    for (const auto& m : members) list += (list.empty() ? "" : ", ") + m;
    report("/node", "a master that is a member at that time (" + list + ")", "\"" + n + "\"");
  } else if (members.size() == 1) {
    report("/node", "a master other than the last one (the cluster would have no node left)", "\"" + n + "\"");
  }
}

const RegisterFault remove_node_registration(
    {"remove_node",
     "a master leaves: Redis Cluster moves its slots away (redis-cli --cluster rebalance with "
     "its weight 0) then forgets it (del-node); ketama/modulo clients drop it from their ring",
     remove_node_params(), remove_node_check,
     [](FaultTarget& t, const nlohmann::json& item) { t.remove_node(t.node_index(item.at("node"))); },
     /*needs_control_plane=*/false});

}  // namespace
}  // namespace cachelab
