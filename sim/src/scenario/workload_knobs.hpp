#pragma once
// The `workload` section's knobs (declared in workload_knobs.cpp, used by knobs.cpp's root declaration).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "cachelab/schema/schema.hpp"

namespace cachelab {

std::shared_ptr<const schema::ObjectSpec> workload_spec();

// Parses a stream's client_instances ("0-3,7": instance numbers and inclusive ranges, comma-separated) into the
// sorted distinct instances below `instances`. False with `error` (what was found) set on anything else.
bool parse_instance_list(const std::string& text, uint32_t instances, std::vector<uint32_t>& out, std::string& error);

// The root's checks of workload.streams against the rest of the scenario (client instances, duration) and of the
// stream names slo.streams gives.
void check_streams(const nlohmann::json& root,
                   const std::function<void(const std::string&, const std::string&, const std::string&)>& report);

}  // namespace cachelab
