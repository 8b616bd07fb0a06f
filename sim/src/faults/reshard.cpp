// {"at_s": T, "action": "reshard", "from": "master-1", "to": "master-2", "count": 1000}: online resharding as
// `redis-cli --cluster reshard` does it (docs/redis-reference.md §2.4): per slot, SETSLOT IMPORTING on the target,
// MIGRATING on the source, GETKEYSINSLOT + MIGRATE in batches of 10, then SETSLOT NODE to the target, the source,
// and every other master.
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr reshard_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("from").req().about("the master giving slots"));
  o->fields.push_back(schema::string("to").req().about("the master receiving them"));
  o->fields.push_back(
      schema::integer("count").req().min(1).max(16384).about("how many of the source's slots to move, lowest first"));
  return o;
}

void reshard_check(const nlohmann::json& item, const nlohmann::json& scenario,
                   const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const auto names = node_names(scenario);
  const int masters = scenario.at("cluster").at("masters").get<int>();
  auto is_master = [&](const std::string& n) {
    for (int m = 0; m < masters; ++m)
      if (names[static_cast<size_t>(m)] == n) return true;
    return false;
  };
  for (const char* key : {"from", "to"}) {
    const std::string n = item.at(key).get<std::string>();
    if (!is_master(n))
      report(std::string("/") + key, "a master of this cluster (master-1 .. master-" + std::to_string(masters) + ")",
             "\"" + n + "\"");
  }
  if (item.at("from") == item.at("to")) report("/to", "a master other than \"from\"", item.at("to").dump());
  if (scenario.at("cluster").at("mode") != "cluster")
    report("", "cluster mode (slots exist only in a cluster)", "standalone mode");
}

const RegisterFault reshard_registration(
    {"reshard", "move slots between masters online, as redis-cli --cluster reshard", reshard_params(), reshard_check,
     [](FaultTarget& t, const nlohmann::json& item) {
       t.reshard(t.node_index(item.at("from")), t.node_index(item.at("to")), item.at("count").get<int>());
     },
     /*needs_control_plane=*/false});

}  // namespace
}  // namespace cachelab
