#pragma once
// The search behind `cachelab plan` over any number of knobs: the cheapest candidate of a grid meeting every SLO.
// Each dimension lists its values from the least capacity to the most (more masters, more memory, a shorter
// node_timeout_ms, more origin servers), and the search assumes monotonicity: a candidate at least as strong as
// one that passed on every knob passes too, and one at most as strong as one that failed fails too. Candidates are
// visited cheapest first (equal costs: the strongest first); the first that passes is the answer, so a run that
// costs more is never needed. A candidate that is dominated by a failure is pruned without a run ("monotonic pruning"),
// as is one a cheap `hopeless` prefilter (the analytic estimate) rules out. The runner-up is the next passing one.
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <vector>

namespace cachelab::sweep {

using GridIndex = std::vector<size_t>;  // one value index per dimension

enum class GridVerdict { Pass, Fail, PrunedDominated, PrunedEstimate, NotVisited };

struct GridProblem {
  std::vector<size_t> sizes;                       // values per dimension (each >= 1)
  std::function<double(const GridIndex&)> cost;    // any order; equal costs are tried strongest first
  std::function<bool(const GridIndex&)> hopeless;  // may be empty; true = count as failing without a run
  std::function<bool(const GridIndex&)> passes;    // the expensive oracle (simulations)
  size_t max_runs = 1000;                          // oracle calls at most; the rest stay NotVisited
};

struct GridOutcome {
  std::vector<GridIndex> order;              // every candidate, cheapest first
  std::map<GridIndex, GridVerdict> verdict;  // for every candidate
  std::map<GridIndex, GridIndex> pruned_by;  // PrunedDominated: the failed candidate that dominates it
  std::optional<GridIndex> best, runner_up;
  size_t runs = 0;  // oracle calls
  bool run_limit_hit = false;
};

// True when every coordinate of a is <= b's (a is at most as strong as b).
bool weaker_or_equal(const GridIndex& a, const GridIndex& b);

GridOutcome grid_search(const GridProblem& problem);

}  // namespace cachelab::sweep
