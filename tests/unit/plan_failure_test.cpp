// `cachelab plan --with-failure`: a configuration must also meet its SLOs with master-1 killed at the peak. With a
// replica per master the failover keeps the hit ratio up and a configuration passes; without replicas the killed
// master's third of the keyspace is gone (and the cluster stops until then), so nothing passes.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace cachelab;

TEST(PlanWithFailure, ReplicasAreWhatMakesAConfigurationSurviveAKill) {
  const auto dir = test::temp_dir("plan-failure");
  const std::string file = test::write_file(dir / "s.json", R"({"cachelab": 1, "name": "planfo", "duration_s": 24,
    "warmup_s": 2, "seed": 3,
    "cluster": {"masters": 3, "replicas_per_master": 1, "node_timeout_ms": 1000, "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": 20000, "read_fraction": 0.9, "arrival": {"rate_per_s": 5000}},
    "clients": {"timeout_ms": 200},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "slo": {"hit_ratio_min": 0.5}})");
  const std::string plan = test::cachelab() + " plan " + file + " --masters 3 --maxmemory 1mb,2mb,4mb --with-failure";
  auto with = test::run_command(plan + " --out " + (dir / "with").string());
  EXPECT_EQ(with.exit_code, 0) << with.out;
  EXPECT_NE(with.out.find("best: /cluster/masters=3, /cluster/maxmemory="), std::string::npos) << with.out;
  EXPECT_NE(with.out.find("cases: steady, kill:master-1"), std::string::npos) << with.out;
  const auto pj = nlohmann::json::parse(test::read_file(dir / "with" / "plan.json"));
  bool killed_run = false;
  for (const auto& c : pj["candidates"])
    if (c["rank"] == pj["best"]["rank"])
      for (const auto& cs : c["cases"])
        if (cs["case"] == "master-1 killed")
          killed_run = std::filesystem::exists(dir / "with" / cs["runs"][0].get<std::string>() / "summary.json");
  EXPECT_TRUE(killed_run);
  auto without = test::run_command(plan + " --set /cluster/replicas_per_master=0 --out " + (dir / "without").string());
  EXPECT_EQ(without.exit_code, 4) << without.out;
  EXPECT_NE(without.out.find("best: none"), std::string::npos) << without.out;
  std::filesystem::remove_all(dir);
}

TEST(PlanCost, ScenarioPricesUnlessTheCommandLineSaysOtherwise) {
  const auto dir = test::temp_dir("plan-cost");
  const std::string file = test::write_file(dir / "s.json", R"({"cachelab": 1, "name": "pc", "duration_s": 6, "seed": 3,
    "cluster": {"masters": 3, "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": 5000, "arrival": {"rate_per_s": 2000}},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "cost": {"price_per_node": 10, "price_per_gb": 0},
    "slo": {"hit_ratio_min": 0.01}})");
  const std::string plan = test::cachelab() + " plan " + file + " --masters 3 --maxmemory 4mb";
  auto r = test::run_command(plan + " --out " + (dir / "a").string());
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("best: /cluster/masters=3, /cluster/maxmemory=4mb (cost 30.0)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cost: masters x (10 + 0 x GiB of maxmemory)"), std::string::npos) << r.out;
  r = test::run_command(plan + " --price-node 1 --price-gb 0.25 --out " + (dir / "b").string());
  EXPECT_NE(r.out.find("best: /cluster/masters=3, /cluster/maxmemory=4mb (cost 3.00)"), std::string::npos) << r.out;
  // The prices as written, without padding zeros ("1.000 + 0.2500" before).
  EXPECT_NE(r.out.find("cost: masters x (1 + 0.25 x GiB of maxmemory)"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// plan's answer on a small real case equals the cheapest passing point of the full grid, run as a sweep.
TEST(PlanCli, AnswerEqualsTheCheapestPassingPointOfTheFullGrid) {
  const auto dir = test::temp_dir("plan-grid");
  const std::string file = test::write_file(dir / "s.json", R"({"cachelab": 1, "name": "pg", "duration_s": 8,
    "warmup_s": 3, "seed": 9,
    "cluster": {"masters": 2, "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": 20000, "popularity": {"dist": "zipf", "alpha": 0.9}, "read_fraction": 1,
                 "arrival": {"rate_per_s": 8000}},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "slo": {"hit_ratio_min": 0.6}})");
  const std::vector<int> masters{1, 2, 3};
  const std::vector<std::pair<std::string, double>> mems{{"1mb", 1}, {"2mb", 2}, {"4mb", 4}, {"8mb", 8}};
  auto r = test::run_command(test::cachelab() + " sweep " + file +
                             " --vary /cluster/masters=1,2,3 --vary /cluster/maxmemory=1mb,2mb,4mb,8mb --out " +
                             (dir / "grid").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto grid = nlohmann::json::parse(test::read_file(dir / "grid" / "sweep.json"));
  double best_cost = 1e18;
  std::string best;
  for (const auto& p : grid["points"]) {
    if (!p["slo_pass"].get<bool>()) continue;
    const auto& mk = p["knobs"]["/cluster/masters"];
    const int m = mk.is_string() ? std::stoi(mk.get<std::string>()) : mk.get<int>();
    const std::string mem = p["knobs"]["/cluster/maxmemory"].get<std::string>();
    double mb = 0;
    for (const auto& [t, v] : mems)
      if (t == mem) mb = v;
    const double cost = m * mb;  // the default cost: nodes x memory
    if (cost < best_cost) {
      best_cost = cost;
      best = "/cluster/masters=" + std::to_string(m) + ", /cluster/maxmemory=" + mem;
    }
  }
  ASSERT_FALSE(best.empty()) << "no grid point passes: the test scenario is wrong";
  r = test::run_command(test::cachelab() + " plan " + file + " --masters 1..3 --maxmemory 1mb,2mb,4mb,8mb --out " +
                        (dir / "plan").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("best: " + best), std::string::npos) << "grid says " << best << "\n" << r.out;
  EXPECT_NE(best, "/cluster/masters=3, /cluster/maxmemory=8mb")
      << "the optimum should be inside the grid for the test to mean something";
  std::filesystem::remove_all(dir);
}
