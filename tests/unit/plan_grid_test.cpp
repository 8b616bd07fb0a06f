// The plan's search over any number of knobs (sweep/plan_grid.hpp), against brute force on synthetic monotone
// oracles: the answer is the cheapest passing candidate, a pruned candidate is really dominated by a failure (so
// it would fail), and the pruning saves runs.
#include <gtest/gtest.h>

#include <set>

#include "cachelab/sweep/plan_grid.hpp"

using namespace cachelab::sweep;

namespace {

// Passes when a weighted capacity reaches a threshold: monotone in every coordinate.
struct Oracle {
  std::vector<double> weight;
  double threshold;
  bool operator()(const GridIndex& g) const {
    double s = 0;
    for (size_t d = 0; d < g.size(); ++d) s += weight[d] * static_cast<double>(g[d] + 1);
    return s >= threshold;
  }
};

}  // namespace

TEST(PlanGrid, AnswerIsTheCheapestPassingCandidateAndPrunedOnesWouldFail) {
  const std::vector<size_t> sizes = {4, 3, 3};  // masters x node_timeout x node type
  // Cost: masters x price of the node type; node_timeout is free (ties are broken toward weaker candidates).
  auto cost = [](const GridIndex& g) {
    return static_cast<double>(g[0] + 3) * (1.0 + 2.0 * static_cast<double>(g[2]));
  };
  int answered = 0;
  for (double threshold : {3.0, 5.5, 7.0, 8.5, 10.0, 12.5, 100.0}) {
    const Oracle oracle{{1.0, 1.5, 0.5}, threshold};
    std::set<GridIndex> ran;
    GridProblem pr{sizes, cost, {}, [&](const GridIndex& g) {
                     ran.insert(g);
                     return oracle(g);
                   }};
    const GridOutcome out = grid_search(pr);
    // Brute force: the first passing candidate in the search's own cost order.
    std::optional<GridIndex> brute;
    for (const auto& g : out.order)
      if (oracle(g)) {
        brute = g;
        break;
      }
    ASSERT_EQ(out.best.has_value(), brute.has_value()) << threshold;
    if (brute) {
      ++answered;
      EXPECT_EQ(*out.best, *brute) << threshold;
      for (const auto& g : out.order)
        if (oracle(g)) {
          EXPECT_LE(cost(*out.best), cost(g));
        }
    }
    for (const auto& [g, v] : out.verdict) {
      if (v == GridVerdict::PrunedDominated) {
        EXPECT_FALSE(oracle(g)) << "a pruned candidate would have passed";
        EXPECT_TRUE(weaker_or_equal(g, out.pruned_by.at(g)));
        EXPECT_EQ(out.verdict.at(out.pruned_by.at(g)), GridVerdict::Fail);
        EXPECT_FALSE(ran.count(g));
      }
      if (v == GridVerdict::Pass || v == GridVerdict::Fail) {
        EXPECT_EQ(v == GridVerdict::Pass, oracle(g));
      }
    }
    EXPECT_EQ(out.runs, ran.size());
    EXPECT_LE(ran.size(), out.order.size());
    if (!brute) {
      EXPECT_LT(ran.size(), out.order.size()) << "nothing passes: pruning must still save runs";
    }
  }
  EXPECT_GE(answered, 4);
}

TEST(PlanGrid, RunLimitLeavesTheRestNotVisited) {
  GridProblem pr{{5, 5},
                 [](const GridIndex& g) { return static_cast<double>(g[0] + g[1]); },
                 {},
                 [](const GridIndex&) { return false; },
                 3};
  const GridOutcome out = grid_search(pr);
  EXPECT_EQ(out.runs, 3u);
  EXPECT_TRUE(out.run_limit_hit);
  EXPECT_FALSE(out.best.has_value());
}
