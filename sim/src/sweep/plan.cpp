#include "cachelab/sweep/plan.hpp"

#include <algorithm>

namespace cachelab::sweep {

PlanOutcome plan_search(const PlanProblem& pr) {
  PlanOutcome out;
  auto pass = [&](const Config& c) {
    if (auto it = out.evaluated.find(c); it != out.evaluated.end()) return it->second;
    if (auto it = out.pruned.find(c); it != out.pruned.end()) return false;
    if (pr.hopeless && pr.hopeless(c)) {
      out.pruned[c] = false;
      return false;
    }
    const bool ok = pr.passes(c);
    out.evaluated[c] = ok;
    return ok;
  };
  if (pr.memories == 0 || pr.masters_max < pr.masters_min) return out;
  const size_t top = pr.memories - 1;
  // The fewest nodes that pass with the most memory (monotone in m: bisection).
  int lo = pr.masters_min, hi = pr.masters_max;
  if (!pass({hi, top})) return out;
  while (lo < hi) {
    const int mid = lo + (hi - lo) / 2;
    if (pass({mid, top}))
      hi = mid;
    else
      lo = mid + 1;
  }
  // The staircase: t(m) by bisection in [0, t(m-1)], knowing t(m-1) passes at m too.
  size_t upper = top;
  for (int m = lo; m <= pr.masters_max; ++m) {
    size_t a = 0, b = upper;      // invariant: pass(m, b)
    if (!pass({m, b})) continue;  // cannot happen under monotonicity; noise in a simulation can cause it
    while (a < b) {
      const size_t mid = a + (b - a) / 2;
      if (pass({m, mid}))
        b = mid;
      else
        a = mid + 1;
    }
    out.frontier.push_back({m, b});
    upper = b;
    if (b == 0) {
      // Every larger m passes with the least memory too and costs more: nothing beyond m can be cheaper.
      break;
    }
  }
  // Candidates: the frontier, and the step just above each frontier point in memory (the same m with more memory
  // passes by monotonicity; it can be the runner-up). Cheapest first; ties prefer fewer nodes.
  std::vector<Config> cands = out.frontier;
  for (const auto& f : out.frontier)
    if (f.memory_index < top) cands.push_back({f.masters, f.memory_index + 1});
  if (!out.frontier.empty() && out.frontier.back().masters < pr.masters_max)
    cands.push_back({out.frontier.back().masters + 1, out.frontier.back().memory_index});
  std::sort(cands.begin(), cands.end(), [&](const Config& x, const Config& y) {
    const double cx = pr.cost(x), cy = pr.cost(y);
    return cx != cy ? cx < cy : x < y;
  });
  cands.erase(
      std::unique(cands.begin(), cands.end(), [](const Config& x, const Config& y) { return !(x < y) && !(y < x); }),
      cands.end());
  // Confirm: the best two that really pass (the extra candidates are simulated now if they were not yet).
  for (const auto& c : cands) {
    if (!pass(c)) continue;
    if (!out.best)
      out.best = c;
    else {
      out.runner_up = c;
      break;
    }
  }
  return out;
}

}  // namespace cachelab::sweep
