#include "cachelab/core/time.hpp"

#include <cmath>

namespace cachelab {

Time Time::from_seconds(double s) { return Time::ns(static_cast<int64_t>(std::llround(s * 1e9))); }

}  // namespace cachelab
