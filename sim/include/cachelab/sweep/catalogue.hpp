#pragma once
// A catalogue of node types for `cachelab plan`'s cost model: name, memory, vCPUs, network and price per hour, in a
// JSON file the user supplies (format: results/README.md "Node-type catalogue"; an example with made-up prices is
// scenarios/capacity/node-types.example.json). The simulator uses the memory (maxmemory) and the price; vCPUs and
// network are shown, not simulated (a Redis node runs commands on one thread; bandwidth is not modelled).
#include <string>
#include <vector>

namespace cachelab::sweep {

struct NodeType {
  std::string name;
  double memory_gib = 0;
  int vcpus = 0;
  double network_gbps = 0;
  double price_per_hour = 0;
};

struct NodeCatalogue {
  std::string file;
  std::string note;      // what the prices are (the example says: examples, not quotes)
  std::string currency;  // shown before prices: "USD"
  double hours_per_month = 730;
  std::vector<NodeType> types;
  const NodeType* find(const std::string& name) const;
};

// Reads and validates a catalogue file. Throws ScenarioError naming the file, the JSON Pointer, what was expected
// and what was found (the scenario loader's error type, so the CLI reports it the same way, exit 2).
NodeCatalogue load_node_catalogue(const std::string& path);

}  // namespace cachelab::sweep
