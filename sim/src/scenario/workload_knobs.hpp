#pragma once
// The `workload` section's knobs (declared in workload_knobs.cpp, used by knobs.cpp's root declaration).
#include <memory>

#include "cachelab/schema/schema.hpp"

namespace cachelab {

std::shared_ptr<const schema::ObjectSpec> workload_spec();

}  // namespace cachelab
