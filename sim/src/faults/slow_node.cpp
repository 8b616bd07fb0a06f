// {"at_s": T, "action": "slow_node", "node": "master-1", "factor": 5, "duration_s": 30}: the node's command service
// times are multiplied by `factor` (a noisy neighbour, a throttled VM, swapping); after `duration_s` (null: until a
// later slow_node on the node, e.g. factor 1) they are back to normal. The cluster bus is not slowed.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr slow_node_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("node").req().about("the node's name (master-M or replica-M-R)"));
  o->fields.push_back(
      schema::number("factor").req().min(0, true).max(1e6).about("service time multiplier (1 = normal again)"));
  o->fields.push_back(
      schema::number("duration_s")
          .dflt(nullptr)
          .null_ok()
          .min(0, true)
          .in("s")
          .about("back to factor 1 after this long (null: stays until the next slow_node on this node)"));
  return o;
}

const RegisterFault slow_node_registration(
    {"slow_node", "multiply a node's command service times by a factor, for a while (sim only)", slow_node_params(),
     [](const nlohmann::json& item, const nlohmann::json& scenario, const auto& report) {
       check_node_param(item, scenario, "node", report);
     },
     [](FaultTarget& t, const nlohmann::json& item) {
       const auto& d = item.at("duration_s");
       t.slow_node(t.node_index(item.at("node")), item.at("factor").get<double>(), d.is_null() ? 0.0 : d.get<double>());
     },
     /*needs_control_plane=*/false});

}  // namespace
}  // namespace cachelab
