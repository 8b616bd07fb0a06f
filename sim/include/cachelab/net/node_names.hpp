#pragma once
// The cluster's node names as a resolved scenario defines them (master-M, replica-M-R, then the masters add_node
// faults will add): what faults, the placement and the knob checks name nodes by.
#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachelab {

// A fault's node list, "master-1,replica-1-1": the names between commas, empty ones dropped (no trimming: a name is
// then checked against node_names).
std::vector<std::string> split_node_list(const std::string& list);

// Node names of a resolved scenario: master-1..N (and replica-m-r when replicas exist), then master-(N+1)... for
// each add_node on the timeline (the nodes that will join).
std::vector<std::string> node_names(const nlohmann::json& scenario);

// The masters that are members at time `at_s` (before the faults at that time that come after item `before`):
// master-1..N, plus those added, minus those removed earlier on the timeline. For checks.
std::vector<std::string> masters_at(const nlohmann::json& scenario, size_t before);

}  // namespace cachelab
