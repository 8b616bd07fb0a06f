// {"at_s": T, "action": "add_node"}: a new empty master, named master-(N+1) (then N+2, ...), joins.
// Redis Cluster: as `redis-cli --cluster add-node` (CLUSTER MEET) followed by
// `redis-cli --cluster rebalance --cluster-use-empty-masters` (cluster/rebalance.hpp), the moves done slot by slot
// by the Migrator (docs/redis-reference.md §2.4). Client-side sharding (ketama, modulo): the server is added to
// every client's ring at once; no key is migrated, keys that now map to it miss there.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

void add_node_check(const nlohmann::json&, const nlohmann::json& scenario,
                    const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const auto& c = scenario.at("cluster");
  if (c.at("mode") != "cluster" && c.value("sharding", "redis-cluster") == "redis-cluster")
    report("", "cluster mode, or client-side sharding (cluster.sharding \"ketama\" or \"modulo\")",
           "a single standalone server");
}

const RegisterFault add_node_registration(
    {"add_node",
     "a new empty master (master-N+1...) joins; Redis Cluster rebalances slots onto it as "
     "redis-cli --cluster rebalance --cluster-use-empty-masters; ketama/modulo clients recompute "
     "their ring",
     std::make_shared<schema::ObjectSpec>(), add_node_check,
     [](FaultTarget& t, const nlohmann::json&) { t.add_node(); }, /*needs_control_plane=*/false});

}  // namespace
}  // namespace cachelab
