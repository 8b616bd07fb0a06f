// {"at_s": T, "action": "partition", "nodes": "master-1,replica-2-1", "clients": "0-11", "zones": "a",
//  "bus_only": false}: one side holds the listed nodes, the client instances listed in `clients` and every node and
// client instance placed in a zone of `zones` (network.topology layout zones); the other side holds everything else.
// Without `clients` and `zones` the cut is between nodes only and client instances reach both sides (as before
// clients could be named). A client command across the cut is lost: the client sees its timeout (TCP to a host it
// cannot reach). bus_only cuts only the cluster bus (gossip, votes), not replication nor clients.
#include <algorithm>

#include "cachelab/faults/fault.hpp"
#include "cachelab/net/placement.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr partition_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("nodes").dflt(nullptr).null_ok().about(
      "comma-separated node names on one side of the cut (null: none but those of `zones`)"));
  o->fields.push_back(schema::string("clients").dflt(nullptr).null_ok().about(
      "client instances on that side: comma-separated numbers, ranges (0-11) and zone names (its instances); the "
      "others are on the other side. null: clients are not cut (unless `zones` is given)"));
  o->fields.push_back(schema::string("zones").dflt(nullptr).null_ok().about(
      "comma-separated zone names (network.topology layout zones): their nodes and client instances on that side"));
  o->fields.push_back(schema::boolean("bus_only").dflt(false).about("cut only the cluster bus"));
  return o;
}

using Report = std::function<void(const std::string&, const std::string&, const std::string&)>;

// The side, from the item and the placement: nodes (by index in node_names order) and client instances.
struct Side {
  std::vector<int> nodes, clients;
  bool with_clients = false;  // `clients` or `zones` given: clients take part
};

Side resolve_side(const nlohmann::json& item, const Placement& p, const std::vector<std::string>& names, int instances,
                  const Report* report) {
  Side side;
  if (!item.at("nodes").is_null()) {
    const auto list = split_node_list(item.at("nodes").get<std::string>());
    if (list.empty() && report) (*report)("/nodes", "at least one node name, or null", item.at("nodes").dump());
    for (const auto& n : list) {
      const auto it = std::find(names.begin(), names.end(), n);
      if (it != names.end())
        side.nodes.push_back(static_cast<int>(it - names.begin()));
      else if (report)
        (*report)("/nodes", "node names of this cluster (" + names.front() + " .. " + names.back() + ")",
                  "\"" + n + "\"");
    }
  }
  if (!item.at("zones").is_null()) {
    side.with_clients = true;
    const auto list = split_names(item.at("zones").get<std::string>());
    if (list.empty() && report) (*report)("/zones", "at least one zone name, or null", item.at("zones").dump());
    for (const auto& z : list) {
      const int zi = p.zone_index(z);
      if (zi < 0) {
        if (report) {
          std::string zones;
          for (size_t i = 0; i < p.zones.size(); ++i) zones += (i ? ", " : "") + p.zones[i];
          (*report)("/zones",
                    p.zoned ? "zone names of network.topology.zones (" + zones + ")"
                            : "zone names, which need network.topology layout \"zones\"",
                    "\"" + z + "\"");
        }
        continue;
      }
      for (int n : p.nodes_in(zi)) side.nodes.push_back(n);
      for (int c : p.clients_in(zi)) side.clients.push_back(c);
    }
  }
  if (!item.at("clients").is_null()) {
    side.with_clients = true;
    std::string error;
    if (!parse_client_list(item.at("clients").get<std::string>(), p, instances, side.clients, error) && report)
      (*report)("/clients", "client instances: numbers, ranges N-M or zone names, comma-separated", error);
  }
  std::sort(side.nodes.begin(), side.nodes.end());
  side.nodes.erase(std::unique(side.nodes.begin(), side.nodes.end()), side.nodes.end());
  std::sort(side.clients.begin(), side.clients.end());
  side.clients.erase(std::unique(side.clients.begin(), side.clients.end()), side.clients.end());
  return side;
}

void partition_check(const nlohmann::json& item, const nlohmann::json& scenario, const Report& report) {
  if (scenario.at("cluster").at("mode") != "cluster") {
    report("", "cluster mode", "standalone mode");
    return;
  }
  if (item.at("nodes").is_null() && item.at("clients").is_null() && item.at("zones").is_null()) {
    report("/nodes", "what is on one side: nodes, clients or zones (at least one)", "none of them");
    return;
  }
  const auto names = node_names(scenario);
  const int instances = scenario.at("clients").at("instances").get<int>();
  const Placement p = place(scenario);
  const Side side = resolve_side(item, p, names, instances, &report);
  if (side.nodes.size() >= names.size())
    report(item.at("zones").is_null() ? "/nodes" : "/zones", "a strict subset of the nodes on that side",
           "all " + std::to_string(names.size()) + " nodes");
  bool zones_known = !item.at("zones").is_null();
  if (zones_known)
    for (const auto& z : split_names(item.at("zones").get<std::string>()))
      zones_known = zones_known && p.zone_index(z) >= 0;
  if (zones_known && side.nodes.empty() && side.clients.empty())
    report("/zones", "zones holding a node or a client instance", item.at("zones").dump());
  if (item.at("bus_only").get<bool>() && !item.at("clients").is_null())
    report("/bus_only", "false with `clients` (a bus-only cut leaves client traffic alone)", "true");
}

void apply(FaultTarget& t, const nlohmann::json& item) {
  static const Placement none;
  const Placement* p = t.placement();
  std::vector<std::string> names;  // node indices come from the target
  Side side;
  if (!item.at("nodes").is_null())
    for (const auto& n : split_node_list(item.at("nodes").get<std::string>())) side.nodes.push_back(t.node_index(n));
  if (!item.at("zones").is_null() || !item.at("clients").is_null()) {
    // Zones and client lists need the placement (validated already, so no report).
    const Placement& pl = p ? *p : none;
    nlohmann::json rest = item;
    rest["nodes"] = nullptr;
    const int instances = static_cast<int>(pl.client_zone.size());
    const Side more = resolve_side(rest, pl, names, instances > 0 ? instances : 100000, nullptr);
    side.nodes.insert(side.nodes.end(), more.nodes.begin(), more.nodes.end());
    side.clients = more.clients;
    side.with_clients = true;
  }
  std::sort(side.nodes.begin(), side.nodes.end());
  side.nodes.erase(std::unique(side.nodes.begin(), side.nodes.end()), side.nodes.end());
  if (side.with_clients && !item.at("bus_only").get<bool>())
    t.partition_clients(side.nodes, side.clients);
  else
    t.partition(side.nodes, item.at("bus_only").get<bool>());
}

const RegisterFault partition_registration(
    {"partition",
     "split the nodes (and, with clients or zones, the client instances) into two sides that "
     "cannot reach each other (sim only)",
     partition_params(), partition_check, apply});

}  // namespace
}  // namespace cachelab
