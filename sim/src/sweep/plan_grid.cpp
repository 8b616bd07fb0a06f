#include "cachelab/sweep/plan_grid.hpp"

#include <algorithm>
#include <numeric>

namespace cachelab::sweep {

bool weaker_or_equal(const GridIndex& a, const GridIndex& b) {
  for (size_t d = 0; d < a.size(); ++d)
    if (a[d] > b[d]) return false;
  return true;
}

GridOutcome grid_search(const GridProblem& pr) {
  GridOutcome out;
  size_t total = 1;
  for (size_t n : pr.sizes) total *= n;
  if (pr.sizes.empty() || total == 0) return out;
  // Every candidate, row-major, then sorted by cost; equal costs (knobs that cost nothing, such as node_timeout_ms):
  // the strongest first, so that when it fails the weaker ones of the same cost are skipped without a run.
  for (size_t i = 0; i < total; ++i) {
    GridIndex g(pr.sizes.size());
    size_t rest = i;
    for (size_t d = pr.sizes.size(); d-- > 0;) {
      g[d] = rest % pr.sizes[d];
      rest /= pr.sizes[d];
    }
    out.order.push_back(std::move(g));
  }
  std::vector<double> costs;
  for (const auto& g : out.order) costs.push_back(pr.cost(g));
  std::vector<size_t> idx(total);
  std::iota(idx.begin(), idx.end(), 0);
  auto sum = [](const GridIndex& g) { return std::accumulate(g.begin(), g.end(), size_t{0}); };
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) {
    if (costs[a] != costs[b]) return costs[a] < costs[b];
    return sum(out.order[a]) > sum(out.order[b]);
  });
  std::vector<GridIndex> sorted;
  for (size_t i : idx) sorted.push_back(out.order[i]);
  out.order = std::move(sorted);

  std::vector<GridIndex> failures;
  for (const auto& g : out.order) {
    if (out.runner_up) {
      out.verdict[g] = GridVerdict::NotVisited;
      continue;
    }
    auto dom =
        std::find_if(failures.begin(), failures.end(), [&](const GridIndex& f) { return weaker_or_equal(g, f); });
    if (dom != failures.end()) {
      out.verdict[g] = GridVerdict::PrunedDominated;
      out.pruned_by[g] = *dom;
      continue;
    }
    if (pr.hopeless && pr.hopeless(g)) {
      out.verdict[g] = GridVerdict::PrunedEstimate;
      failures.push_back(g);  // the estimate is optimistic: weaker candidates fail too
      continue;
    }
    if (out.runs >= pr.max_runs) {
      out.verdict[g] = GridVerdict::NotVisited;
      out.run_limit_hit = true;
      continue;
    }
    ++out.runs;
    const bool ok = pr.passes(g);
    out.verdict[g] = ok ? GridVerdict::Pass : GridVerdict::Fail;
    if (!ok)
      failures.push_back(g);
    else if (!out.best)
      out.best = g;
    else
      out.runner_up = g;
  }
  return out;
}

}  // namespace cachelab::sweep
