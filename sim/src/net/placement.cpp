// Placement of nodes and client instances in zones and racks, and the run's Topology built from it.
#include "cachelab/net/placement.hpp"

#include <algorithm>

#include "cachelab/net/node_names.hpp"
#include "cachelab/net/topology.hpp"
#include "cachelab/scenario/scenario.hpp"

namespace cachelab {

using nlohmann::json;

NetworkMap::NetworkMap() = default;
NetworkMap::~NetworkMap() = default;

int Placement::zone_index(const std::string& name) const {
  for (size_t z = 0; z < zones.size(); ++z)
    if (zones[z] == name) return static_cast<int>(z);
  return -1;
}

std::vector<int> Placement::nodes_in(int zone) const {
  std::vector<int> out;
  for (size_t i = 0; i < node_zone.size(); ++i)
    if (node_zone[i] == zone) out.push_back(static_cast<int>(i));
  return out;
}

std::vector<int> Placement::clients_in(int zone) const {
  std::vector<int> out;
  for (size_t i = 0; i < client_zone.size(); ++i)
    if (client_zone[i] == zone) out.push_back(static_cast<int>(i));
  return out;
}

std::vector<std::string> split_names(const std::string& list) { return split_node_list(list); }

Placement place(const json& scenario) {
  Placement p;
  const json& topo = scenario.at("network").at("topology");
  if (topo.is_null() || topo.at("layout") != "zones") return p;
  p.zoned = true;
  p.zones = split_names(topo.at("zones").get<std::string>());
  if (p.zones.empty()) p.zones.push_back("a");  // refused by validation; keeps the arithmetic defined meanwhile
  p.racks_per_zone = std::max(1, topo.at("racks_per_zone").get<int>());
  const int zones = static_cast<int>(p.zones.size());
  auto zone_of = [&](const json& name) {
    const int z = name.is_string() ? p.zone_index(name.get<std::string>()) : -1;
    return z < 0 ? 0 : z;  // an unknown name is reported by validation
  };
  std::vector<int> next_rack(static_cast<size_t>(zones), 0);
  auto rack_in = [&](int zone) { return next_rack[static_cast<size_t>(zone)]++ % p.racks_per_zone; };

  const auto names = node_names(scenario);
  const int masters = scenario.at("cluster").at("masters").get<int>();
  const int replicas = scenario.at("cluster").at("replicas_per_master").get<int>();
  for (int i = 0; i < static_cast<int>(names.size()); ++i) {
    int zone;
    if (i < masters) {
      zone = i % zones;
    } else if (i < masters + masters * replicas) {
      const int m = (i - masters) / replicas, r = (i - masters) % replicas;  // 0-based master, replica
      zone = zones == 1 ? 0 : (m + 1 + r % (zones - 1)) % zones;             // never the master's zone
    } else {
      zone = (masters + (i - masters - masters * replicas)) % zones;  // add_node masters continue the round
    }
    int rack = -1;
    for (const auto& e : topo.at("nodes"))
      if (e.at("node") == names[static_cast<size_t>(i)]) {
        zone = zone_of(e.at("zone"));
        if (!e.at("rack").is_null()) rack = std::min(e.at("rack").get<int>(), p.racks_per_zone - 1);
      }
    p.node_zone.push_back(zone);
    p.node_rack.push_back(rack >= 0 ? rack : rack_in(zone));
  }

  std::vector<int> client_zones;
  const json& cz = scenario.at("clients").at("zone");
  if (cz.is_null()) {
    for (int z = 0; z < zones; ++z) client_zones.push_back(z);
  } else {
    for (const auto& n : split_names(cz.get<std::string>())) client_zones.push_back(zone_of(n));
    if (client_zones.empty()) client_zones.push_back(0);
  }
  const int instances = scenario.at("clients").at("instances").get<int>();
  for (int c = 0; c < instances; ++c) {
    const int zone = client_zones[static_cast<size_t>(c) % client_zones.size()];
    p.client_zone.push_back(zone);
    p.client_rack.push_back(rack_in(zone));
  }
  return p;
}

bool parse_client_list(const std::string& text, const Placement& p, int instances, std::vector<int>& out,
                       std::string& error) {
  const auto items = split_names(text);
  if (items.empty()) {
    error = "no client instance in \"" + text + "\"";
    return false;
  }
  auto number = [](const std::string& s, int& v) {
    if (s.empty() || s.size() > 9 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
      return false;
    v = std::stoi(s);
    return true;
  };
  std::vector<int> got;
  for (const auto& item : items) {
    int a = 0, b = 0;
    const auto dash = item.find('-');
    const bool single = number(item, a);
    const bool range =
        !single && dash != std::string::npos && number(item.substr(0, dash), a) && number(item.substr(dash + 1), b);
    if (single || range) {
      if (single) b = a;
      if (a > b) {
        error = "the range \"" + item + "\" runs backwards";
        return false;
      }
      if (b >= instances) {
        error = "instance " + std::to_string(b) + " (in \"" + item + "\") is not below clients.instances (" +
                std::to_string(instances) + ")";
        return false;
      }
      for (int c = a; c <= b; ++c) got.push_back(c);
      continue;
    }
    const int z = p.zoned ? p.zone_index(item) : -1;
    if (z < 0) {
      std::string zones;
      for (size_t i = 0; i < p.zones.size(); ++i) zones += (i ? ", " : "") + p.zones[i];
      error = "\"" + item + "\" is neither an instance number, a range N-M" +
              (p.zoned ? " nor a zone (" + zones + ")" : " nor a zone (zone names need network.topology layout zones)");
      return false;
    }
    for (int c : p.clients_in(z)) got.push_back(c);
  }
  out.insert(out.end(), got.begin(), got.end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return true;
}

std::shared_ptr<NetworkMap> build_network(const Scenario& s, int nodes, bool control_plane) {
  auto m = std::make_shared<NetworkMap>();
  m->placement = place(s.resolved);
  m->nodes = nodes;
  const Placement& p = m->placement;
  const int instances = s.clients.instances;
  m->nic_ns_per_byte = 8.0 / s.network.nic_gbps;
  if (p.zoned) {
    const json& tb = s.network.topology;
    if (!tb.at("host_link_gbps").is_null()) m->nic_ns_per_byte = 8.0 / tb.at("host_link_gbps").get<double>();
    m->rack_ns_per_byte = 8.0 / tb.at("rack_link_gbps").get<double>();
    m->zone_ns_per_byte = 8.0 / tb.at("zone_link_gbps").get<double>();
    const int racks = static_cast<int>(p.zones.size()) * p.racks_per_zone;
    std::vector<int> rack_of_host, zone_of_rack;
    for (int i = 0; i < nodes; ++i) {
      const size_t k = std::min(static_cast<size_t>(i), p.node_zone.size() - 1);
      rack_of_host.push_back(p.node_zone[k] * p.racks_per_zone + p.node_rack[k]);
    }
    for (int c = 0; c < instances; ++c)
      rack_of_host.push_back(p.client_zone[static_cast<size_t>(c)] * p.racks_per_zone +
                             p.client_rack[static_cast<size_t>(c)]);
    for (int r = 0; r < racks; ++r) zone_of_rack.push_back(r / p.racks_per_zone);
    const json& t = s.network.topology;
    m->topology = std::make_unique<Topology>(
        Topology::racked(rack_of_host, zone_of_rack, t.at("host_link_us"), t.at("rack_link_us"), t.at("zone_link_us")));
    m->first_client_host = nodes;
    for (int c = 0; c < instances; ++c) m->topology->set_grouped(nodes + c, false);
    // network.bus_loss stays a per-message probability: it sits on each node's uplink (host -> rack switch), the
    // first hop of every message a node sends. Client commands (TCP) and the replication stream ignore loss.
    if (s.network.bus_loss > 0) {
      const int hosts = nodes + instances, zones = static_cast<int>(p.zones.size());
      for (int i = 0; i < nodes; ++i)
        m->topology->change_link(i, hosts + 1 + zones + rack_of_host[static_cast<size_t>(i)], nullptr,
                                 &s.network.bus_loss);
    }
    return m;
  }
  if (!control_plane) return m;
  m->topology = std::make_unique<Topology>(Topology::flat(nodes, s.network.node_link_us, s.network.bus_loss));
  // A partition that names client instances: they become hosts (no links: their round trips keep network.rtt_us),
  // so cuts can block them.
  bool client_cuts = false;
  for (const auto& f : s.resolved.at("faults"))
    client_cuts = client_cuts || (f.at("action").get_ref<const std::string&>() == "partition" &&
                                  !f.at("clients").is_null());  // a string compare: json == "..." trips GCC 12's
                                                                // -Warray-bounds inside nlohmann's operator==
  if (client_cuts) {
    m->first_client_host = nodes;
    for (int c = 0; c < instances; ++c) m->topology->add_host("client-" + std::to_string(c), false);
  }
  return m;
}

}  // namespace cachelab
