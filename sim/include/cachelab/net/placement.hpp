#pragma once
// Where a run's machines sit, from the scenario's `network.topology` (scenario/topology_knobs.cpp):
//  - layout "flat" (and no topology section): one host per node, every pair of nodes joined directly
//    (network.node_link_us); client commands take network.rtt_us. Exactly the model without a topology section.
//  - layout "zones": zones -> racks -> hosts. Every node and every client instance is a host of its own in a rack of a
//    zone; a message takes the path host -> rack switch [-> zone switch -> core -> zone switch] -> rack switch -> host,
//    one sample of each link's one-way latency (host_link_us, rack_link_us, zone_link_us). Client commands (each way
//    separately), the replication stream, its ACKs and the cluster bus all take this graph.
// Placement (zones): master-m in zone (m-1) mod Z; replica r of master m in the r-th zone after its master's, skipping
// the master's own (so never there when Z >= 2); add_node masters continue the masters' round. Explicit entries in
// network.topology.nodes override that node. Client instance i sits in the (i mod k)-th zone of clients.zone (k names;
// default: every zone). Within a zone, nodes then clients take its racks round-robin in index order.
// Partitions act on hosts (net/topology.hpp); client hosts are "ungrouped": a cut names them or leaves them alone.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab {

class Topology;
struct Scenario;

struct Placement {
  bool zoned = false;              // layout zones
  std::vector<std::string> zones;  // zone names (zoned only)
  int racks_per_zone = 1;
  std::vector<int> node_zone, node_rack;          // per node (node_names order); rack within its zone
  std::vector<int> client_zone, client_rack;      // per client instance
  int zone_index(const std::string& name) const;  // -1 if none
  std::vector<int> nodes_in(int zone) const;
  std::vector<int> clients_in(int zone) const;
};

// A pure function of the resolved scenario (validation and the runner share it). REQUIRES: the scenario resolved,
// its topology knobs valid except for what check_placement reports.
Placement place(const nlohmann::json& scenario);

// "a,b,c" -> names (empty items dropped).
std::vector<std::string> split_names(const std::string& list);

// A partition's client list: comma-separated items, each an instance number ("3"), a range of them ("0-11"), or a
// zone name (every instance placed in that zone). Appends the instances (sorted, unique) to `out`; on a bad item
// returns false and says why in `error`.
bool parse_client_list(const std::string& text, const Placement& p, int instances, std::vector<int>& out,
                       std::string& error);

// The network of one run: the topology (null when nothing needs a graph: no control plane, no zones), which host each
// node and client instance is, and the placement. Nodes are hosts 0..nodes-1 (the control plane's order); client
// instance c is host first_client_host + c when clients are hosts (zones, or a partition that names clients).
struct NetworkMap {
  Placement placement;
  std::unique_ptr<Topology> topology;
  int nodes = 0;
  int first_client_host = -1;  // -1: clients are not hosts
  // Transfer time per byte (8 / Gbit/s, in ns): every host's NIC (network.nic_gbps; zones: host_link_gbps if set)
  // and, with zones, the rack and zone links (net/network.hpp).
  double nic_ns_per_byte = 0, rack_ns_per_byte = 0, zone_ns_per_byte = 0;
  bool zoned() const { return placement.zoned && topology != nullptr; }
  NetworkMap();
  ~NetworkMap();
};

// Builds the run's network: `nodes` nodes (the runner's node vector, joining ones included); `control_plane`: the
// cluster bus runs (a flat layout needs a graph only then).
std::shared_ptr<NetworkMap> build_network(const Scenario& s, int nodes, bool control_plane);

}  // namespace cachelab
