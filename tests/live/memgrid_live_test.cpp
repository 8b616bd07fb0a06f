// The memory grid (issue 16 part 6) on real Redis 7.0: the keys one node keeps under allkeys-lru, against the
// simulator's Store filled the same way, within 0.5% at every point. CI runs the `ci` subset (every value shape, with
// and without TTL, 2mb and 16mb, one 64mb point; ~40 s) in cluster mode and a few standalone points; the full grid
// (112 points, ~10 min) is `cachelab-live memgrid --grid full --out grid.csv`.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "cachelab/cache/memory_model.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"
#include "live/memgrid/memory_grid.hpp"

using namespace cachelab::live;

namespace {

// Within `tolerance_pct` of the live count, strictly: at 2mb one v1024 key is 0.6 % of the node's keys and one v16384
// key 9 %, so those points must agree to the key. They can since every lab's command tables are rehashed before the
// first point (docs/redis-reference.md §7.8.2): the emptied node's used_memory is then the same to the byte from lab
// to lab (it varied by up to ~130 B before, by the hash seed) and the model's baseline is that state's.
void expect_all_within(const std::vector<MemGridResult>& results, double tolerance_pct) {
  for (const MemGridResult& r : results) {
    EXPECT_LE(std::fabs(r.error_pct()), tolerance_pct)
        << r.point.label() << ": live kept " << r.live_kept << ", simulator " << r.sim_kept << " (" << r.commands
        << " commands run, used_memory " << r.live_used_memory << ")";
    EXPECT_GT(r.live_kept, 0u) << r.point.label();
    EXPECT_LT(r.live_kept, r.filled) << r.point.label() << ": nothing was evicted";
    // The count was taken with no cluster-bus send buffer held (docs/redis-reference.md §7.8.1).
    EXPECT_LT(r.bus_retries, kMemGridMaxBusRetries) << r.point.label();
    // A close point's fill ran with no bus message sent (its dict expansion decided as in the quiet model).
    EXPECT_TRUE(r.fill_quiet) << r.point.label() << ": " << r.fill_attempts << " fills, margin " << r.sim_expand_margin;
  }
}

}  // namespace

TEST(MemoryGridLive, ClusterNodeKeepsWhatRedisKeepsWithinHalfPercent) {
  CACHELAB_REQUIRE_REDIS();
  const auto points = memgrid_ci();
  const auto results = memgrid_run(points, true);
  ASSERT_EQ(results.size(), points.size());
  expect_all_within(results, 0.5);
}

TEST(MemoryGridLive, StandaloneServerKeepsWhatRedisKeepsWithinHalfPercent) {
  CACHELAB_REQUIRE_REDIS();
  const auto points = memgrid_parse("int1,k10,2mb;v44,k40,ttl,2mb;v45,k10,2mb;v16384,k40,2mb;v100,k40,ttl,16mb");
  const auto results = memgrid_run(points, false);
  ASSERT_EQ(results.size(), points.size());
  expect_all_within(results, 0.5);
}

// 2mb points late on a lab that has filled other points: the case that missed by 2-6 % (sim keeping more) before the
// count waited for a quiet cluster bus. The empty node's memory after FLUSHALL differs from a fresh lab's only by the
// latency histograms of the commands run since (counted in `commands`); a 5-10 KB cluster-bus send buffer held at
// the count was the rest (docs/redis-reference.md §7.8.1). A 16mb fill comes first (the biggest dicts to free).
TEST(MemoryGridLive, TwoMegabytePointsAfterOtherPointsOnTheSameLab) {
  CACHELAB_REQUIRE_REDIS();
  const auto points = memgrid_parse(
      "v100,k40,16mb;v16,k10,ttl,2mb;int1,k40,2mb;v100,k40,2mb;v1024,k10,ttl,2mb;"
      "v16,k10,ttl,2mb;v100,k40,2mb");
  const auto results = memgrid_run(points, true);
  ASSERT_EQ(results.size(), points.size());
  expect_all_within(results, 0.5);
  // After the first point every command the grid runs has its histogram, so a shape measured again later keeps as
  // many keys on the node: nothing accumulates from point to point (without the model in the comparison).
  EXPECT_EQ(results[1].commands, results[5].commands);
  EXPECT_LE(std::fabs(static_cast<double>(results[5].live_kept) - static_cast<double>(results[1].live_kept)),
            0.005 * static_cast<double>(results[1].live_kept));
  EXPECT_LE(std::fabs(static_cast<double>(results[6].live_kept) - static_cast<double>(results[3].live_kept)),
            0.005 * static_cast<double>(results[3].live_kept));
}

// The grid reads its fill connection's reply buffer with CLIENT INFO before the fill, which makes Redis build and keep
// the connection's two address strings (networking.c getClientPeerId / getClientSockname): the model's
// kDescribedClientBytes. The first CLIENT INFO of a connection adds them, a second adds nothing.
TEST(MemoryGridLive, DescribingAConnectionKeepsItsTwoAddressStrings) {
  CACHELAB_REQUIRE_REDIS();
  Lab lab(cachelab::live::testing::standalone_config());
  lab.start();
  const Endpoint ep = lab.endpoints().at(0);
  ControlConnection observer(ep, 5000, lab.password());
  ControlConnection described(ep, 5000, lab.password());
  no_error(observer.command({"CLIENT", "INFO"}));  // its latency histogram exists before the first reading
  const auto used = [&] {
    return std::stoll(parse_info_fields(reply_text(no_error(observer.command({"INFO", "memory"}))))["used_memory"]);
  };
  const long long before = used();
  no_error(described.command({"CLIENT", "INFO"}));
  const long long once = used();
  no_error(described.command({"CLIENT", "INFO"}));
  const long long twice = used();
  EXPECT_EQ(once - before, static_cast<long long>(cachelab::memory::kDescribedClientBytes));
  EXPECT_EQ(twice - once, 0);
  lab.teardown();
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
  EXPECT_EQ(memgrid_parse("2mb,ttl,k10,int18")[0].value_len, 18u);  // parts in any order
  EXPECT_EQ(memgrid_full().size(), 112u);
}

// A grid the fill cannot run, or one that says something twice or nothing at all, is refused with the point, the part,
// what was expected and what was found, never filled with defaults.
TEST(MemoryGrid, BadPointsAreRefusedWithWhatWasExpected) {
  const std::pair<const char*, const char*> bad[] = {
      {"v16,zz,k10,2mb", "point 1 (\"v16,zz,k10,2mb\"): expected vN, intN, kN, ttl or Nmb, found \"zz\""},
      {"vx,k10,2mb", "value bytes: expected 1 to 1048576, found \"x\""},
      {"v0,k10,2mb", "value bytes: expected 1 to 1048576, found 0"},
      {"int0,k10,2mb", "integer digits: expected 1 to 18, found 0"},
      {"int19,k10,2mb", "integer digits: expected 1 to 18, found 19"},
      {"v16,k9,2mb", "key bytes: expected 10 to 1024, found 9"},
      {"v16,k10,0mb", "maxmemory in mb: expected 1 to 1024, found 0"},
      {"v16,k10,-2mb", "maxmemory in mb: expected 1 to 1024, found \"-2\""},
      {"v16,k10,2mb,ttl,ttl", "a second ttl part \"ttl\""},
      {"v16,v44,k10,2mb", "a second value part \"v44\""},
      {"v16,k10", "no maxmemory part"},
      {"k10,2mb", "no value part"},
      {"v16,2mb", "no key part"},
      {"v16,k10,2mb;;v16,k10,2mb", "point 2 (\"\"): empty"},
      {"v16,k10,2mb;", "point 2 (\"\"): empty"},
      {"", "found nothing"},
  };
  for (const auto& [spec, message] : bad) {
    try {
      memgrid_parse(spec);
      ADD_FAILURE() << "accepted \"" << spec << "\"";
    } catch (const std::invalid_argument& e) {
      EXPECT_NE(std::string(e.what()).find(message), std::string::npos) << spec << ": " << e.what();
    }
  }
}
