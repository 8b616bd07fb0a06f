// {"at_s": T, "action": "failover", "node": "replica-1-1", "mode": "default"}: CLUSTER FAILOVER [FORCE|TAKEOVER]
// sent to a replica (docs/redis-reference.md §5.4).
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr failover_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("node").req().about("the replica that takes over"));
  o->fields.push_back(
      schema::enumeration("mode", {"default", "force", "takeover"})
          .dflt("default")
          .about("default: coordinated with the master; force: without the master; takeover: without votes"));
  return o;
}

const RegisterFault failover_registration(
    {"failover", "manual failover: CLUSTER FAILOVER on a replica", failover_params(),
     [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
       check_node_param(item, scenario, "node", report);
       if (item.at("node").get<std::string>().rfind("replica-", 0) != 0)
         report("/node", "a replica (replica-M-R)", item.at("node").dump());
     },
     [](FaultTarget& t, const nlohmann::json& item) {
       t.failover(t.node_index(item.at("node")), item.at("mode").get<std::string>());
     }});

}  // namespace
}  // namespace cachelab
