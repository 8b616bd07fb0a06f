#pragma once
// The `network.topology` section's knobs and the checks that tie it to the rest of the scenario (client placement,
// node names, faults), declared in topology_knobs.cpp and used by knobs.cpp.
#include <functional>
#include <memory>
#include <string>

#include "cachelab/schema/schema.hpp"

namespace cachelab {

std::shared_ptr<const schema::ObjectSpec> topology_spec();

// Root-level checks (the whole resolved scenario): report(pointer, expected, found).
void check_topology(const nlohmann::json& scenario,
                    const std::function<void(const std::string&, const std::string&, const std::string&)>& report);

}  // namespace cachelab
