// cachelab sweep / sweep-merge / plan, end to end on a tiny scenario, and the grid and plan-search logic alone.
#include <gtest/gtest.h>

#include <set>

#include <nlohmann/json.hpp>

#include "cachelab/sweep/grid.hpp"
#include "cachelab/sweep/plan.hpp"
#include "test_util.hpp"

using namespace cachelab;
namespace fs = std::filesystem;

namespace {

// 1000 keys of ~750 bytes as Redis counts them: "4mb" per node holds all of them, "1700kb" only about a hundred
// beside the ~1.6 MB a cluster-mode server uses empty.
const char* kTiny = R"({"cachelab": 1, "name": "tiny-sweep", "seed": 5, "duration_s": 4, "warmup_s": 2,
  "metrics_interval_ms": 500,
  "cluster": {"masters": 2, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru"},
  "network": {"rtt_us": {"dist": "fixed", "value": 200}},
  "workload": {"keys": 1000, "popularity": {"dist": "zipf", "alpha": 0.8}, "value_bytes": {"dist": "fixed", "value": 512},
               "read_fraction": 1, "arrival": {"rate_per_s": 5000}},
  "origin": {"servers": 16, "service_ms": {"dist": "exponential", "mean": 2}},
  "slo": {"hit_ratio_min": 0.9}})";

std::vector<std::string> csv_lines(const fs::path& p) {
  std::vector<std::string> lines;
  std::stringstream ss(test::read_file(p));
  for (std::string l; std::getline(ss, l);) lines.push_back(l);
  return lines;
}

std::string grid_args() { return " --vary /cluster/masters=2,3 --vary /cluster/maxmemory=1700kb,4mb --seeds 2"; }

}  // namespace

TEST(SweepGrid, RowMajorProductAndShards) {
  const auto a = sweep::parse_vary("/cluster/masters=2,3");
  const auto b =
      sweep::parse_vary("/workload/value_bytes=[{\"dist\":\"fixed\",\"value\":1},{\"dist\":\"fixed\",\"value\":2}]");
  ASSERT_EQ(b.values.size(), 2u);
  EXPECT_EQ(b.values[0], R"({"dist":"fixed","value":1})");
  const auto pts = sweep::grid_points({a, b});
  ASSERT_EQ(pts.size(), 4u);
  EXPECT_EQ(pts[1].values[0], "2");
  EXPECT_EQ(pts[1].values[1], b.values[1]);
  EXPECT_EQ(pts[2].values[0], "3");
  const auto ov = sweep::point_overrides({a, b}, pts[3], 9);
  EXPECT_EQ(ov.back(), "/seed=9");
  std::set<size_t> covered;
  for (int i = 1; i <= 3; ++i)
    for (const auto& p : pts)
      if (sweep::parse_shard(std::to_string(i) + "/3").contains(p.index)) {
        EXPECT_TRUE(covered.insert(p.index).second);
      }
  EXPECT_EQ(covered.size(), 4u);
  EXPECT_THROW(sweep::parse_shard("0/3"), sweep::SpecError);
  EXPECT_THROW(sweep::parse_shard("4/3"), sweep::SpecError);
  EXPECT_THROW(sweep::parse_shard("1-3"), sweep::SpecError);
  EXPECT_THROW(sweep::parse_vary("cluster/masters=1"), sweep::SpecError);
  EXPECT_THROW(sweep::parse_vary("/cluster/masters"), sweep::SpecError);
  EXPECT_THROW(sweep::parse_vary("/cluster/masters=1,,2"), sweep::SpecError);
  EXPECT_THROW(sweep::check_axes({a, a}), sweep::SpecError);
}

// Every point of a 2x2 grid x 2 seeds equals `cachelab run --set ...` alone (byte-identical summary.json), and
// shards merge into the same sweep.csv.
TEST(SweepCli, GridMatchesSingleRunsAndShardsMerge) {
  const fs::path d = test::temp_dir("sweep-grid");
  const std::string file = test::write_file(d / "tiny.json", kTiny);
  const auto r =
      test::run_command(test::cachelab() + " sweep " + file + grid_args() + " --jobs 2 --out " + (d / "all").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto lines = csv_lines(d / "all" / "sweep.csv");
  ASSERT_EQ(lines.size(), 5u) << test::read_file(d / "all" / "sweep.csv");
  EXPECT_EQ(lines[0].rfind("point,/cluster/masters,/cluster/maxmemory,seeds,hit_ratio_mean,hit_ratio_sd", 0), 0u)
      << lines[0];
  const char* expect[] = {"0,2,1700kb,2,", "1,2,4mb,2,", "2,3,1700kb,2,", "3,3,4mb,2,"};
  for (int i = 0; i < 4; ++i)
    EXPECT_EQ(lines[static_cast<size_t>(i + 1)].rfind(expect[i], 0), 0u) << lines[static_cast<size_t>(i + 1)];

  const auto sweep = nlohmann::json::parse(test::read_file(d / "all" / "sweep.json"));
  ASSERT_EQ(sweep["points"].size(), 4u);
  for (const auto& p : sweep["points"]) {
    ASSERT_EQ(p["runs"].size(), 2u);
    for (const auto& run : p["runs"]) {
      const std::string alone = (d / ("alone-" + run["dir"].get<std::string>())).string();
      const auto rr =
          test::run_command(test::cachelab() + " run " + file +
                            " --set /cluster/masters=" + p["knobs"]["/cluster/masters"].get<std::string>() +
                            " --set /cluster/maxmemory=" + p["knobs"]["/cluster/maxmemory"].get<std::string>() +
                            " --seed " + std::to_string(run["seed"].get<uint64_t>()) + " --out " + alone);
      ASSERT_EQ(rr.exit_code, 0) << rr.out;
      EXPECT_EQ(test::read_file(fs::path(alone) / "summary.json"),
                test::read_file(d / "all" / run["dir"].get<std::string>() / "summary.json"))
          << run["dir"];
    }
  }
  // The SLO (hit ratio >= 0.9) holds only where every key fits.
  EXPECT_FALSE(sweep["points"][0]["slo_pass"].get<bool>());
  EXPECT_TRUE(sweep["points"][1]["slo_pass"].get<bool>());

  std::string dirs;
  for (int i = 1; i <= 3; ++i) {
    const fs::path sd = d / ("shard" + std::to_string(i));
    const auto s = test::run_command(test::cachelab() + " sweep " + file + grid_args() + " --jobs 1 --shard " +
                                     std::to_string(i) + "/3 --out " + sd.string());
    ASSERT_EQ(s.exit_code, 0) << s.out;
    dirs += " " + sd.string();
  }
  const auto m = test::run_command(test::cachelab() + " sweep-merge" + dirs + " --out " + (d / "merged").string());
  ASSERT_EQ(m.exit_code, 0) << m.out;
  EXPECT_EQ(test::read_file(d / "merged" / "sweep.csv"), test::read_file(d / "all" / "sweep.csv"));
  const auto m2 = test::run_command(test::cachelab() + " sweep --merge" + dirs + " --out " + (d / "merged2").string());
  ASSERT_EQ(m2.exit_code, 0) << m2.out;
  EXPECT_EQ(test::read_file(d / "merged2" / "sweep.csv"), test::read_file(d / "all" / "sweep.csv"));
  // A shard merged twice is refused.
  const auto dup = test::run_command(test::cachelab() + " sweep-merge" + dirs + " " + (d / "shard1").string() +
                                     " --out " + (d / "merged3").string());
  EXPECT_EQ(dup.exit_code, 2) << dup.out;
  fs::remove_all(d);
}

TEST(SweepCli, BadVaryExitsTwoWithAClearMessage) {
  const fs::path d = test::temp_dir("sweep-bad");
  const std::string file = test::write_file(d / "tiny.json", kTiny);
  struct Case {
    std::string vary, says;
  };
  for (const Case& c : {Case{"cluster/masters=2,3", "JSON Pointer"}, Case{"/cluster/masters", "no '=' found"},
                        Case{"/cluster/masters=2,,3", "empty value"}, Case{"/cluster/mastrs=2,3", "/cluster/mastrs"},
                        Case{"/cluster/masters=0,2", "/cluster/masters"}}) {
    const auto r = test::run_command(test::cachelab() + " sweep " + file + " --vary '" + c.vary + "' --out " +
                                     (d / "out").string());
    EXPECT_EQ(r.exit_code, 2) << c.vary << "\n" << r.out;
    EXPECT_NE(r.out.find(c.says), std::string::npos) << c.vary << "\n" << r.out;
    EXPECT_FALSE(fs::exists(d / "out" / "sweep.csv"));
  }
  fs::remove_all(d);
}

// The staircase search on a synthetic monotone problem: passes iff masters * memory >= need. Its answer equals the
// brute-force optimum over the grid, with fewer oracle calls than the grid has points.
TEST(PlanSearch, FindsKnownOptimumOfMonotoneCase) {
  const std::vector<double> mem_gb = {1, 2, 4, 8, 16, 32};
  for (double need : {3.0, 20.0, 50.0, 100.0}) {
    for (double price_node : {0.0, 5.0}) {
      int calls = 0;
      sweep::PlanProblem pr;
      pr.masters_min = 1;
      pr.masters_max = 12;
      pr.memories = mem_gb.size();
      pr.cost = [&](const sweep::Config& c) { return c.masters * (price_node + mem_gb[c.memory_index]); };
      pr.passes = [&](const sweep::Config& c) {
        ++calls;
        return c.masters * mem_gb[c.memory_index] >= need;
      };
      const auto out = sweep::plan_search(pr);
      std::vector<std::pair<double, sweep::Config>> all;
      for (int m = 1; m <= 12; ++m)
        for (size_t j = 0; j < mem_gb.size(); ++j)
          if (m * mem_gb[j] >= need) all.push_back({pr.cost({m, j}), {m, j}});
      std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) {
        return a.first != b.first ? a.first < b.first : a.second < b.second;
      });
      ASSERT_TRUE(out.best.has_value()) << need;
      EXPECT_EQ(pr.cost(*out.best), all[0].first) << "need " << need << " price " << price_node;
      ASSERT_TRUE(out.runner_up.has_value());
      EXPECT_EQ(pr.cost(*out.runner_up), all[1].first) << "need " << need << " price " << price_node;
      EXPECT_LT(calls, 12 * 6);
    }
  }
  sweep::PlanProblem none{
      1, 3, 2, [](const sweep::Config&) { return 1.0; }, {}, [](const sweep::Config&) { return false; }};
  EXPECT_FALSE(sweep::plan_search(none).best.has_value());
}

// `cachelab plan` on the tiny scenario: only 4mb per node holds every key and meets hit_ratio_min 0.9, so the
// answer is 1 master x 4mb even though 2 x 1700kb costs less; the runner-up is 2 x 4mb.
TEST(PlanCli, PicksTheOnlyMemoryThatMeetsTheHitRatio) {
  const fs::path d = test::temp_dir("plan");
  const std::string file = test::write_file(d / "tiny.json", kTiny);
  const auto r = test::run_command(test::cachelab() + " plan " + file +
                                   " --masters 1..2 --maxmemory 1700kb,4mb --jobs 2 --out " + (d / "plan").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("best: /cluster/masters=1, /cluster/maxmemory=4mb"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("runner_up: /cluster/masters=2, /cluster/maxmemory=4mb"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("binding SLO: hit_ratio_min"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cases: steady;"), std::string::npos) << r.out;
  const auto plan = nlohmann::json::parse(test::read_file(d / "plan" / "plan.json"));
  EXPECT_EQ(plan["best"]["knobs"]["/cluster/maxmemory"], "4mb");
  EXPECT_EQ(plan["best"]["knobs"]["/cluster/masters"], "1");
  fs::remove_all(d);
}

// Without analytic pruning the search simulates its way to the same answer.
TEST(PlanCli, SameAnswerWithoutPruning) {
  const fs::path d = test::temp_dir("plan-noprune");
  const std::string file = test::write_file(d / "tiny.json", kTiny);
  const auto r =
      test::run_command(test::cachelab() + " plan " + file +
                        " --masters 1..2 --maxmemory 1700kb,4mb --no-prune --jobs 2 --out " + (d / "plan").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("best: /cluster/masters=1, /cluster/maxmemory=4mb"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("misses hit_ratio_min"), std::string::npos) << r.out;
  fs::remove_all(d);
}
