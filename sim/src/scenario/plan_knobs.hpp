#pragma once
// The `plan` section's knobs (the search space, node types, failure cases of `cachelab plan`), declared in
// plan_knobs.cpp and used by knobs.cpp. What each candidate value means is checked by `cachelab plan` through the
// declaration of the knob it names (sweep/plan_space.cpp), so a value is validated exactly as a --set would be.
#include <memory>

#include "cachelab/schema/schema.hpp"

namespace cachelab {

std::shared_ptr<const schema::ObjectSpec> plan_spec();

}  // namespace cachelab
