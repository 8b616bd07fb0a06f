#include "cachelab/metrics/run_metric.hpp"

#include <stdexcept>

#include "cachelab/results/compare.hpp"

namespace cachelab {

RunMetricRegistry& RunMetricRegistry::instance() {
  static RunMetricRegistry registry;  // a catalogue of metric types filled at load time; not run state
  return registry;
}

void RunMetricRegistry::add(RunMetricKind k) {
  for (const auto& existing : kinds_)
    if (existing.name == k.name) throw std::logic_error("run metric '" + k.name + "' registered twice");
  compare::add_registered_metric(k.name);  // compare lines it up (results/compare.hpp)
  kinds_.push_back(std::move(k));
}

}  // namespace cachelab
