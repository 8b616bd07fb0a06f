// network.topology: flat (the default model) or zones -> racks -> hosts with per-level link latencies; where nodes
// and client instances sit (net/placement.hpp implements the placement these knobs describe).
#include "topology_knobs.hpp"

#include <algorithm>
#include <regex>

#include "cachelab/core/dist.hpp"
#include "cachelab/faults/fault.hpp"
#include "cachelab/net/placement.hpp"

namespace cachelab {

using nlohmann::json;

namespace {

bool zone_name_ok(const std::string& s) {
  static const std::regex re("[A-Za-z][A-Za-z0-9_.]*(-[A-Za-z0-9_.]+)*");
  return s.size() <= 32 && std::regex_match(s, re) && s != "all";
}

}  // namespace

std::shared_ptr<const schema::ObjectSpec> topology_spec() {
  auto place = std::make_shared<schema::ObjectSpec>();
  place->doc = "where one node sits";
  place->fields.push_back(schema::string("node").req().about("the node's name (master-M, replica-M-R)"));
  place->fields.push_back(schema::string("zone").req().about("one of network.topology.zones"));
  place->fields.push_back(schema::integer("rack").dflt(json()).null_ok().min(0).about(
      "rack within the zone, 0-based (below racks_per_zone); null = the zone's racks round-robin"));

  auto o = std::make_shared<schema::ObjectSpec>();
  o->doc =
      "the machines and links (net/placement.hpp): client commands, the replication stream and the cluster bus "
      "all take this graph";
  o->fields.push_back(schema::enumeration("layout", {"flat", "zones"})
                          .req()
                          .about("flat: today's model (client round trips sample rtt_us, every pair of nodes is linked "
                                 "by node_link_us); zones: "
                                 "zones -> racks -> hosts, every node and client instance a host, each message summing "
                                 "one sample per link of "
                                 "its path (rtt_us and node_link_us are then unused)"));
  auto zones = schema::string("zones").dflt("a,b,c").about(
      "zones: comma-separated zone names (letters, digits, '_', '.', inner '-'; starting with a letter)");
  zones.check = [](const std::string& s) {
    const auto names = split_names(s);
    if (names.empty() || names.size() > 64) return false;
    for (size_t i = 0; i < names.size(); ++i) {
      if (!zone_name_ok(names[i])) return false;
      for (size_t k = 0; k < i; ++k)
        if (names[k] == names[i]) return false;
    }
    return true;
  };
  zones.check_doc =
      "1-64 distinct zone names, comma-separated, each a letter then letters, digits, '_', '.', inner '-'";
  o->fields.push_back(zones);
  o->fields.push_back(schema::integer("racks_per_zone")
                          .dflt(1)
                          .min(1)
                          .max(1000)
                          .about("zones: racks in each zone; two hosts of one rack talk through its switch only"));
  o->fields.push_back(dist_field("host_link_us", {{"dist", "lognormal"}, {"median", 25}, {"p99", 100}})
                          .in("us")
                          .max(1e7)
                          .about("zones: one-way delay host <-> its rack switch (every path has two of these)"));
  o->fields.push_back(dist_field("rack_link_us", {{"dist", "lognormal"}, {"median", 10}, {"p99", 50}})
                          .in("us")
                          .max(1e7)
                          .about("zones: one-way delay rack switch <-> zone switch (two on a path between racks)"));
  o->fields.push_back(
      dist_field("zone_link_us", {{"dist", "lognormal"}, {"median", 200}, {"p99", 800}})
          .in("us")
          .max(1e7)
          .about("zones: one-way delay zone switch <-> core (two on a path between zones: cross-zone traffic)"));
  o->fields.push_back(schema::number("host_link_gbps")
                          .dflt(json())
                          .null_ok()
                          .min(0, true)
                          .max(1e5)
                          .in("Gbit/s")
                          .about("zones: bandwidth of a host <-> rack switch link (the host's NIC: a node sends one "
                                 "reply at a time through it); null = network.nic_gbps"));
  o->fields.push_back(schema::number("rack_link_gbps")
                          .dflt(100)
                          .min(0, true)
                          .max(1e5)
                          .in("Gbit/s")
                          .about("zones: bandwidth of a rack switch <-> zone switch link (serialisation only: links do "
                                 "not queue)"));
  o->fields.push_back(schema::number("zone_link_gbps")
                          .dflt(100)
                          .min(0, true)
                          .max(1e5)
                          .in("Gbit/s")
                          .about("zones: bandwidth of a zone switch <-> core link (serialisation only: links do not "
                                 "queue)"));
  o->fields.push_back(schema::array("nodes", place)
                          .about("zones: explicit placements; a node not listed is spread: masters round-robin over "
                                 "the zones, each replica in "
                                 "a zone other than its master's"));
  return o;
}

void check_topology(const json& j,
                    const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const json& topo = j.at("network").at("topology");
  const bool zoned = !topo.is_null() && topo.at("layout") == "zones";
  const json& client_zone = j.at("clients").at("zone");
  if (!zoned) {
    if (!client_zone.is_null())
      report("/clients/zone", "null unless network.topology has layout \"zones\" (zones place the clients)",
             client_zone.dump());
    if (!topo.is_null() && !topo.at("nodes").empty())
      report("/network/topology/nodes", "[] with layout \"flat\" (zones place the nodes)", "a non-empty array");
    return;
  }
  const auto zones = split_names(topo.at("zones").get<std::string>());
  auto zone_list = [&] {
    std::string s;
    for (size_t i = 0; i < zones.size(); ++i) s += (i ? ", " : "") + zones[i];
    return s;
  };
  auto known = [&](const std::string& z) { return std::find(zones.begin(), zones.end(), z) != zones.end(); };
  const auto names = node_names(j);
  const int racks = topo.at("racks_per_zone").get<int>();
  std::vector<std::string> seen;
  for (size_t i = 0; i < topo.at("nodes").size(); ++i) {
    const json& e = topo.at("nodes")[i];
    const std::string base = "/network/topology/nodes/" + std::to_string(i);
    const std::string n = e.at("node");
    if (std::find(names.begin(), names.end(), n) == names.end())
      report(base + "/node", "a node of this cluster (" + names.front() + " .. " + names.back() + ")", "\"" + n + "\"");
    else if (std::find(seen.begin(), seen.end(), n) != seen.end())
      report(base + "/node", "each node placed once", "\"" + n + "\" again");
    seen.push_back(n);
    if (!known(e.at("zone").get<std::string>()))
      report(base + "/zone", "one of the zones (" + zone_list() + ")", e.at("zone").dump());
    if (!e.at("rack").is_null() && e.at("rack").get<int>() >= racks)
      report(base + "/rack", "a rack below racks_per_zone (" + std::to_string(racks) + ")", e.at("rack").dump());
  }
  if (!client_zone.is_null()) {
    const auto list = split_names(client_zone.get<std::string>());
    if (list.empty())
      report("/clients/zone", "one or more zone names (" + zone_list() + "), or null", client_zone.dump());
    for (const auto& z : list)
      if (!known(z)) {
        report("/clients/zone", "zone names of network.topology.zones (" + zone_list() + ")", "\"" + z + "\"");
        break;
      }
  }
  const auto& faults = j.at("faults");
  for (size_t i = 0; i < faults.size(); ++i)
    if (faults[i].at("action") == "link")
      report("/faults/" + std::to_string(i) + "/action",
             "no \"link\" fault with network.topology layout \"zones\" (it changes the flat layout's node-to-node "
             "links; in zones the links are per level)",
             "\"link\"");
}

}  // namespace cachelab
