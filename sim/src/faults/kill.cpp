// {"at_s": T, "action": "kill", "node": "master-1"}: SIGKILL the node: it stops at once; connections to it are refused.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("node").req().about("the node's name (master-M or replica-M-R)"));
  return o;
}

const RegisterFault reg({"kill", "SIGKILL the node: it stops at once; connections to it are refused", params(),
                         [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
                           check_node_param(item, scenario, "node", report);
                         },
                         [](FaultTarget& t, const nlohmann::json& item) { t.kill(t.node_index(item.at("node"))); }});

}  // namespace
}  // namespace cachelab
