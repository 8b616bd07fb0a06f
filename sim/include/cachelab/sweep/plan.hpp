#pragma once
// The search behind `cachelab plan`: the cheapest (masters, maxmemory) meeting every SLO, assuming that adding
// nodes or memory never breaks an SLO that passed (hit ratio, origin load and latency all improve with capacity).
// Under that assumption the passing set is an up-set of the grid, bounded by a staircase: for each node count m the
// least passing memory t(m) is non-increasing in m. The search finds t(m) by bisection over memories (bounded above
// by t(m-1)), after bisecting on node count for the first m that passes at all with the largest memory. A cheap
// `prefilter` (the analytic estimate) may declare configurations hopeless; they count as failing without a run.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace cachelab::sweep {

struct Config {
  int masters;
  size_t memory_index;  // into the sorted memory list
  bool operator<(const Config& o) const {
    return masters != o.masters ? masters < o.masters : memory_index < o.memory_index;
  }
};

struct PlanProblem {
  int masters_min, masters_max;
  size_t memories;                              // count; index order = increasing memory
  std::function<double(const Config&)> cost;    // monotone in both coordinates
  std::function<bool(const Config&)> hopeless;  // may be empty; true = skip the run, count as failing
  std::function<bool(const Config&)> passes;    // the expensive oracle (simulation)
};

struct PlanOutcome {
  std::optional<Config> best, runner_up;
  std::map<Config, bool> evaluated;  // oracle calls (true = pass)
  std::map<Config, bool> pruned;     // declared hopeless by the prefilter
  std::vector<Config> frontier;      // (m, t(m)) for every m with a passing memory
};

PlanOutcome plan_search(const PlanProblem& problem);

}  // namespace cachelab::sweep
