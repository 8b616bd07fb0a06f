// {"at_s": T, "action": "resume", "node": "master-1"}: SIGCONT a paused node.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("node").req().about("the node's name (master-M or replica-M-R)"));
  return o;
}

const RegisterFault reg({"resume", "SIGCONT a paused node", params(),
                         [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
                           check_node_param(item, scenario, "node", report);
                         },
                         [](FaultTarget& t, const nlohmann::json& item) { t.resume(t.node_index(item.at("node"))); }});

}  // namespace
}  // namespace cachelab
