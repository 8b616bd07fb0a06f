// The memory grid (issue 16 part 6) on real Redis 7.0: the keys one node keeps under allkeys-lru, against the
// simulator's Store filled the same way, within 0.5% at every point. CI runs the `ci` subset (every value shape, with
// and without TTL, 2mb and 16mb, one 64mb point; ~40 s) in cluster mode and a few standalone points; the full grid
// (112 points, ~10 min) is `cachelab-live memgrid --grid full --out grid.csv`.
#include <gtest/gtest.h>

#include <cmath>

#include "lab_helpers.hpp"
#include "live/memgrid/memory_grid.hpp"

using namespace cachelab::live;

namespace {

// In cluster mode about one 2mb point in twenty keeps ~5 KB (36-40 keys) fewer in a run, and the same point agrees in
// the next: a transient allocation of the live server (5,000-5,200 B, a 5,120-B size class; never seen standalone),
// likely a cluster-bus send buffer that sdscatlen grew for a ~2.5 KB ping, which the model does not have. A point
// beyond the tolerance is measured again, up to twice, and one of its later measurements must agree (a systematic
// error fails all three; the transient three times in a row has odds of about 1 in 8,000).
std::vector<MemGridResult> remeasure_outliers(std::vector<MemGridResult> results, bool cluster_mode,
                                              double tolerance_pct) {
  for (int round = 0; round < 2; ++round) {
    std::vector<MemGridPoint> again;
    for (const auto& r : results)
      if (std::fabs(r.error_pct()) > tolerance_pct) again.push_back(r.point);
    if (again.empty()) return results;
    const auto next = memgrid_run(again, cluster_mode);
    for (const auto& s : next)
      for (auto& r : results)
        if (r.point.label() == s.point.label()) r = s;
  }
  return results;
}

void expect_all_within(const std::vector<MemGridResult>& results, double tolerance_pct) {
  for (const MemGridResult& r : results) {
    EXPECT_LE(std::fabs(r.error_pct()), tolerance_pct)
        << r.point.label() << ": live kept " << r.live_kept << ", simulator " << r.sim_kept << " (" << r.commands
        << " commands run, used_memory " << r.live_used_memory << ")";
    EXPECT_GT(r.live_kept, 0u) << r.point.label();
    EXPECT_LT(r.live_kept, r.filled) << r.point.label() << ": nothing was evicted";
  }
}

}  // namespace

TEST(MemoryGridLive, ClusterNodeKeepsWhatRedisKeepsWithinHalfPercent) {
  CACHELAB_REQUIRE_REDIS();
  const auto points = memgrid_ci();
  const auto results = remeasure_outliers(memgrid_run(points, true), true, 0.5);
  ASSERT_EQ(results.size(), points.size());
  expect_all_within(results, 0.5);
}

TEST(MemoryGridLive, StandaloneServerKeepsWhatRedisKeepsWithinHalfPercent) {
  CACHELAB_REQUIRE_REDIS();
  const auto points = memgrid_parse("int1,k10,2mb;v44,k40,ttl,2mb;v45,k10,2mb;v16384,k40,2mb;v100,k40,ttl,16mb");
  const auto results = remeasure_outliers(memgrid_run(points, false), false, 0.5);
  ASSERT_EQ(results.size(), points.size());
  expect_all_within(results, 0.5);
}

TEST(MemoryGrid, PointsParseAndLabel) {
  const auto p = memgrid_parse("int1,k40,ttl,16mb;v45,k10,2mb");
  ASSERT_EQ(p.size(), 2u);
  EXPECT_TRUE(p[0].integer);
  EXPECT_EQ(p[0].value_len, 1u);
  EXPECT_EQ(p[0].key_len, 40u);
  EXPECT_TRUE(p[0].ttl);
  EXPECT_EQ(p[0].maxmemory, 16u << 20);
  EXPECT_EQ(p[1].label(), "v45 k10 2mb");
  EXPECT_THROW(memgrid_parse("v16,zz"), std::invalid_argument);
  EXPECT_EQ(memgrid_full().size(), 112u);
}
