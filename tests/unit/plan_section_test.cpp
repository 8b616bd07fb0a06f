// `cachelab plan FILE` with the scenario's own plan section (no flags): the answer is priced from a node-type
// catalogue, every candidate cheaper than it failed (checked in its own summary.json files), a plan with an
// impossible SLO names the SLO that stops every candidate and exits 4, and a bad plan section or catalogue is
// exit 2 with the file, the JSON Pointer, what was expected and what was found.
#include <gtest/gtest.h>

#include <regex>

#include <nlohmann/json.hpp>

#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;

namespace {

const std::string kCatalogue = test::source_dir() + "/scenarios/capacity/node-types.example.catalogue.json";

// A small cache with one replica per master: 1 master cannot survive its kill (the whole keyspace is down until
// the failover), more masters can; node_timeout_ms is free and searched too.
std::string scenario(const std::string& slo) {
  return R"({"cachelab": 1, "name": "plansec", "duration_s": 20, "warmup_s": 4, "seed": 5,
    "cluster": {"masters": 1, "replicas_per_master": 1, "node_timeout_ms": 1000, "maxmemory_policy": "allkeys-lru"},
    "workload": {"keys": 20000, "read_fraction": 0.95, "arrival": {"rate_per_s": 4000}},
    "clients": {"timeout_ms": 200},
    "origin": {"servers": 64, "service_ms": {"dist": "exponential", "mean": 1}},
    "slo": )" +
         slo + R"(,
    "plan": {"search": [{"pointer": "/cluster/masters", "values": [1, 3]},
                        {"pointer": "/cluster/require_full_coverage", "values": [true, false]}],
             "catalogue": ")" +
         kCatalogue + R"(",
             "node_types": ["cache.t-small", "cache.t-micro"],
             "failures": ["steady", "kill:master-1"]}})";
}

}  // namespace

TEST(PlanSection, AnswersWithoutFlagsPricedFromTheCatalogue) {
  const auto dir = test::temp_dir("plan-section");
  const std::string file = test::write_file(dir / "s.json", scenario(R"({"availability_min": 0.9})"));
  const auto r = test::run_command(test::cachelab() + " plan " + file + " --jobs 2 --out " + (dir / "p").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("best: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" per month"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("monotonic pruning"), std::string::npos) << r.out;
  const json plan = json::parse(test::read_file(dir / "p" / "plan.json"));
  ASSERT_FALSE(plan["best"].is_null());
  // The catalogue, read here on its own: the answer's monthly cost is nodes x price per hour x 730.
  const json cat = json::parse(test::read_file(kCatalogue));
  double price = -1;
  for (const auto& t : cat["types"])
    if (t["name"] == plan["best"]["node_type"]) price = t["price_per_hour"];
  ASSERT_GT(price, 0);
  const int best_rank = plan["best"]["rank"];
  for (const auto& c : plan["candidates"]) {
    const int rank = c["rank"];
    if (rank == best_rank) {
      EXPECT_NEAR(c["cost"].get<double>(), c["nodes"].get<double>() * price * 730, 1e-6);
      EXPECT_EQ(c["nodes"].get<int>(), c["masters"].get<int>() * 2);
      // Every run of the answer meets every SLO, in its own summary.json.
      ASSERT_EQ(c["cases"].size(), 2u);
      for (const auto& cs : c["cases"]) {
        const json sum = json::parse(test::read_file(dir / "p" / cs["runs"][0].get<std::string>() / "summary.json"));
        for (const auto& x : sum["slo"]) EXPECT_TRUE(x["pass"].get<bool>()) << cs["case"] << " " << x.dump();
      }
    } else if (rank < best_rank) {
      // Cheaper (or as cheap and listed first): failed in a run of its own, or was no stronger than one that did.
      ASSERT_TRUE(c["verdict"] == "fail" || c["verdict"] == "pruned_dominated") << c.dump();
      if (c["verdict"] == "fail") {
        bool some_miss = false;
        for (const auto& cs : c["cases"]) {
          const json sum = json::parse(test::read_file(dir / "p" / cs["runs"][0].get<std::string>() / "summary.json"));
          for (const auto& x : sum["slo"]) some_miss = some_miss || !x["pass"].get<bool>();
        }
        EXPECT_TRUE(some_miss) << c.dump();
      }
      EXPECT_LE(c["cost"].get<double>(), plan["best"]["cost"].get<double>());
    }
  }
  // One master cannot survive its own kill: that candidate fails, and says where.
  EXPECT_NE(r.out.find("misses availability_min"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("with master-1 killed"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(PlanSection, ImpossibleSloNamesWhatStopsEveryCandidateAndExits4) {
  const auto dir = test::temp_dir("plan-impossible");
  const std::string file = test::write_file(dir / "s.json", scenario(R"({"hit_ratio_min": 0.9999})"));
  const auto r =
      test::run_command(test::cachelab() + " plan " + file + " --no-prune --jobs 2 --out " + (dir / "p").string());
  EXPECT_EQ(r.exit_code, 4) << r.out;
  EXPECT_NE(r.out.find("best: none"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stops every candidate: hit_ratio_min"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the search could widen:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/cluster/masters beyond 3"), std::string::npos) << r.out;
  // A true/false knob searched both ways has nothing beyond it ("require_full_coverage beyond false" was printed).
  EXPECT_EQ(r.out.find("/cluster/require_full_coverage beyond"), std::string::npos) << r.out;
  const json plan = json::parse(test::read_file(dir / "p" / "plan.json"));
  EXPECT_TRUE(plan["best"].is_null());
  ASSERT_FALSE(plan["blocking"].empty());
  EXPECT_EQ(plan["blocking"][0]["slo"], "hit_ratio_min");
  std::filesystem::remove_all(dir);
}

// cache_error_rate_max alone is an SLO to plan for (it was "has no SLO", exit 2), and its figures print as shares
// ("0.0566", "1.00e-07"), not as counts ("0").
TEST(PlanSection, CacheErrorRateSloIsPlannedForAndPrintedAsAShare) {
  const auto dir = test::temp_dir("plan-cache-error-rate");
  const std::string file = test::write_file(dir / "s.json", scenario(R"({"cache_error_rate_max": 0.0000001})"));
  const auto r = test::run_command(test::cachelab() + " plan " + file + " --jobs 2 --out " + (dir / "p").string());
  EXPECT_EQ(r.exit_code, 4) << r.out;  // a killed master refuses connections: some cache commands fail
  EXPECT_NE(r.out.find("SLOs: cache_error_rate_max 1.00e-07"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("stops every candidate: cache_error_rate_max (share of requests whose cache command"),
            std::string::npos)
      << r.out;
  EXPECT_TRUE(
      std::regex_search(r.out, std::regex(R"(misses cache_error_rate_max 0\.\d+, target 1\.00e-07 \(0\.\d+ over\))")))
      << r.out;
  // A true/false knob searched both ways is not a knob to widen.
  EXPECT_EQ(r.out.find("require_full_coverage beyond"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(PlanSection, BadPlanSectionIsExit2WithPointerExpectedFound) {
  const auto dir = test::temp_dir("plan-bad");
  std::string text = scenario(R"({"hit_ratio_min": 0.5})");
  auto bad = [&](const std::string& from, const std::string& to, const std::vector<std::string>& expect) {
    std::string t = text;
    const size_t at = t.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    t.replace(at, from.size(), to);
    const std::string file = test::write_file(dir / "bad.json", t);
    const auto r = test::run_command(test::cachelab() + " plan " + file + " --out " + (dir / "never").string());
    EXPECT_EQ(r.exit_code, 2) << r.out;
    EXPECT_NE(r.out.find(file), std::string::npos) << r.out;
    for (const auto& e : expect) EXPECT_NE(r.out.find(e), std::string::npos) << e << "\n" << r.out;
    EXPECT_FALSE(std::filesystem::exists(dir / "never")) << "nothing is written for bad input";
  };
  // A candidate value the knob refuses, reported where it stands in the plan section.
  bad("\"values\": [1, 3]", "\"values\": [1, \"three\"]", {"/plan/search/0/values/1", "expected", "\"three\""});
  bad("\"values\": [1, 3]", "\"values\": [1, 0]", {"/plan/search/0/values/1", "(the knob /cluster/masters)"});
  bad("\"kill:master-1\"", "\"kill:node-9\"", {"/plan/failures/1", "kill:<node>", "kill:node-9"});
  bad("\"cache.t-micro\"", "\"cache.t-nano\"", {"/plan/node_types/1", "cache.t-small", "\"cache.t-nano\""});
  bad("\"values\": [1, 3]", "\"values\": 3", {"/plan/search/0/values", "an array of at most 1000 numbers or strings"});
  bad("/cluster/require_full_coverage", "/cluster/no_such_knob", {"/plan/search/1/values/0", "no_such_knob"});
  std::filesystem::remove_all(dir);
}

TEST(PlanSection, BadCatalogueIsExit2NamingTheCatalogue) {
  const auto dir = test::temp_dir("plan-badcat");
  const std::string file = test::write_file(dir / "s.json", scenario(R"({"hit_ratio_min": 0.5})"));
  const std::string cat = test::write_file(dir / "cat.json", R"({"cachelab_node_types": 1, "note": "test",
    "types": [{"name": "a", "memory_gib": 1, "vcpus": 2, "network_gbps": 5},
              {"name": "a", "memory_gib": -1, "vcpus": 2, "network_gbps": 5, "price_per_hour": 1}]})");
  const auto r = test::run_command(test::cachelab() + " plan " + file + " --catalogue " + cat + " --out " +
                                   (dir / "never").string());
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(cat), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/types/0/price_per_hour"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("/types/1/memory_gib"), std::string::npos) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "never"));
  const std::string notjson = test::write_file(dir / "x.json", "{ nope");
  const auto r2 = test::run_command(test::cachelab() + " plan " + file + " --catalogue " + notjson + " --out " +
                                    (dir / "never").string());
  EXPECT_EQ(r2.exit_code, 2) << r2.out;
  EXPECT_NE(r2.out.find("syntax error"), std::string::npos) << r2.out;
  std::filesystem::remove_all(dir);
}

TEST(PlanSection, KillEachMasterIsOneCasePerMaster) {
  const auto dir = test::temp_dir("plan-each");
  const std::string file = test::write_file(dir / "s.json", scenario(R"({"availability_min": 0.5})"));
  const auto r = test::run_command(test::cachelab() + " plan " + file +
                                   " --masters 3 --vary /cluster/require_full_coverage=false --node-types cache.t-micro"
                                   " --set '/plan/failures=[\"kill_each_master\"]' --jobs 2 --out " +
                                   (dir / "p").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json plan = json::parse(test::read_file(dir / "p" / "plan.json"));
  ASSERT_EQ(plan["candidates"].size(), 1u);
  std::vector<std::string> cases;
  for (const auto& c : plan["candidates"][0]["cases"]) cases.push_back(c["case"]);
  EXPECT_EQ(cases, (std::vector<std::string>{"master-1 killed", "master-2 killed", "master-3 killed"}));
  // Each case's run killed its own master (events.jsonl of the run).
  for (int m = 1; m <= 3; ++m) {
    const std::string events = test::read_file(
        dir / "p" / plan["candidates"][0]["cases"][m - 1]["runs"][0].get<std::string>() / "events.jsonl");
    EXPECT_NE(events.find("\"node\":\"master-" + std::to_string(m) + "\""), std::string::npos) << events.substr(0, 400);
  }
  std::filesystem::remove_all(dir);
}
