// Seed-list start (clients.seeds, issue 16 part 8): each client instance asks its seeds in turn for CLUSTER SLOTS
// and cannot serve a request until one answers; a round where none does fails the requests that waited for it
// (failed_by_cause client_not_started) and the next round comes after a doubling backoff. Expectations follow from the
// model's rules (client/seeds.cpp), not from a run's output.
#include <gtest/gtest.h>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

// 3 masters, 4 instances at 2000 requests/s, round trips of 200 µs, a 500 ms command timeout.
RunOutput seeds_run(const std::string& seeds, const std::string& faults, double warmup_s = 0) {
  const std::string text = R"({"cachelab": 1, "name": "seeds", "seed": 7, "duration_s": 6, "warmup_s": )" +
                           json(warmup_s).dump() + R"(, "metrics_interval_ms": 500,
    "cluster": {"masters": 3}, "network": {"rtt_us": {"dist": "fixed", "value": 200}},
    "workload": {"keys": 20000, "read_fraction": 0.95, "arrival": {"rate_per_s": 2000}},
    "clients": {"instances": 4, "timeout_ms": 500, "seeds": )" +
                           seeds + R"(},
    "origin": {"servers": 64, "service_ms": {"dist": "fixed", "value": 1}},
    "faults": )" + faults + "}";
  return simulate(load_scenario_text(text, "seeds.json"));
}

double num(const json& s, const char* ptr) { return s.at(json::json_pointer(ptr)).get<double>(); }

const char* const kBothSeedsDown = R"([{"at_s": 0, "action": "kill", "node": "master-1"},
  {"at_s": 0, "action": "kill", "node": "master-2"}, {"at_s": 2, "action": "restart", "node": "master-2"}])";

}  // namespace

// Every seed down at the start: no instance starts, the requests of each round fail with the reason; the rounds come
// at 0, 0.1, 0.3, 0.7, 1.5 and 3.1 s (backoff 100 ms doubling), so the round at 3.1 s finds master-2 restarted (at
// 2 s) and every instance starts then; from there on no request fails for that reason.
TEST(ClientSeeds, AllSeedsDownFailsRequestsUntilASeedComesBack) {
  const RunOutput r = seeds_run(R"("master-1,master-2")", kBothSeedsDown);
  const json& s = r.summary;
  EXPECT_GT(num(s, "/failed_by_cause/client_not_started"), 1000);  // about 1.5 s of 2000 requests/s
  EXPECT_EQ(num(s, "/failed_by_cause/client_not_started"), num(s, "/clients/start/failed_requests"));
  const json& st = s.at("/clients/start"_json_pointer);
  EXPECT_EQ(st.at("seeds").get<int>(), 2);
  EXPECT_EQ(st.at("instances_started").get<int>(), 4);
  EXPECT_EQ(st.at("failed_rounds").get<int>(), 4 * 5);
  EXPECT_EQ(st.at("seed_failures").get<int>(), 4 * 5 * 2 + 4);  // each failed round asked both; the last, master-1
  EXPECT_EQ(st.at("seed_fetches").get<int>(), 4 * 6 * 2);
  EXPECT_GT(st.at("last_started_s").get<double>(), 3.1);
  EXPECT_LT(st.at("last_started_s").get<double>(), 3.11);

  // Measured from 3.5 s: every instance has started, nothing fails for want of a slot map.
  const RunOutput later = seeds_run(R"("master-1,master-2")", kBothSeedsDown, 3.5);
  EXPECT_EQ(num(later.summary, "/failed_by_cause/client_not_started"), 0);
  EXPECT_GT(num(later.summary, "/requests"), 4000);
}

// One seed down, the next one up: each instance starts within its first round (one refused connection, then an
// answer), and no request fails; the dead seed costs each instance one failure.
TEST(ClientSeeds, ADeadFirstSeedIsSkipped) {
  const RunOutput r = seeds_run(R"("master-1,master-3")", R"([{"at_s": 0, "action": "kill", "node": "master-1"}])");
  const json& st = r.summary.at("/clients/start"_json_pointer);
  EXPECT_EQ(st.at("instances_started").get<int>(), 4);
  EXPECT_EQ(st.at("seed_failures").get<int>(), 4);
  EXPECT_EQ(st.at("failed_rounds").get<int>(), 0);
  EXPECT_LT(st.at("last_started_s").get<double>(), 0.01);
  EXPECT_EQ(num(r.summary, "/failed_by_cause/client_not_started"), 0);
}

// A frozen seed (pause) does not refuse: its CLUSTER SLOTS times out (500 ms), then the next seed answers. The
// requests of the first half second waited for the start and then ran: none failed.
TEST(ClientSeeds, AFrozenSeedTimesOutThenTheNextAnswers) {
  const RunOutput r = seeds_run(R"("master-1,master-3")", R"([{"at_s": 0, "action": "pause", "node": "master-1"},
    {"at_s": 4, "action": "resume", "node": "master-1"}])");
  const json& st = r.summary.at("/clients/start"_json_pointer);
  EXPECT_EQ(st.at("instances_started").get<int>(), 4);
  EXPECT_EQ(st.at("seed_failures").get<int>(), 4);
  EXPECT_GT(st.at("last_started_s").get<double>(), 0.5);
  EXPECT_LT(st.at("last_started_s").get<double>(), 0.51);
  EXPECT_EQ(num(r.summary, "/failed_by_cause/client_not_started"), 0);
  EXPECT_GT(num(r.summary, "/latency_us/max"), 500'000);  // the first requests waited for the start
}

// Without seeds (the default) nothing changes: no start section, no request fails for that reason.
TEST(ClientSeeds, NullSeedsStartWithTheMap) {
  const RunOutput r = seeds_run("null", "[]");
  EXPECT_FALSE(r.summary.at("clients").contains("start"));
  EXPECT_EQ(num(r.summary, "/failed_by_cause/client_not_started"), 0);
}

// Bad seeds are refused with the file, the pointer, what was expected and what was found (exit 2).
TEST(ClientSeeds, BadSeedsAreRefusedWithPointers) {
  const fs::path dir = test::temp_dir("client_seeds_validation");
  const std::string tiny = test::write_file(dir / "tiny.json", R"({"cachelab": 1, "name": "tiny", "duration_s": 1,
    "cluster": {"masters": 3}, "workload": {"keys": 100, "arrival": {"rate_per_s": 200}}})");
  struct Case {
    std::string set, expected, found;
  };
  for (const Case& c : std::vector<Case>{{"/clients/seeds=\"master-9\"", "node names of this cluster", "\"master-9\""},
                                         {"/clients/seeds=\",\"", "one or more node names", "\",\""},
                                         {"/clients/seeds=3", "/clients/seeds: expected", "3"},
                                         {"/clients/seed_backoff_ms=0", "/clients/seed_backoff_ms: expected", "0"}}) {
    const auto r = test::run_command(test::cachelab() + " run --no-write " + tiny + " --set '" + c.set + "'");
    EXPECT_EQ(r.exit_code, 2) << c.set << ": " << r.out;
    EXPECT_NE(r.out.find("tiny.json"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find(c.expected), std::string::npos) << c.set << ": " << r.out;
    EXPECT_NE(r.out.find(c.found), std::string::npos) << c.set << ": " << r.out;
  }
  const auto standalone = test::run_command(test::cachelab() + " run --no-write " + tiny +
                                            " --set '/cluster/mode=\"standalone\"' --set '/cluster/masters=1' --set "
                                            "'/clients/seeds=\"master-1\"'");
  EXPECT_EQ(standalone.exit_code, 2) << standalone.out;
  EXPECT_NE(standalone.out.find("/clients/seeds: expected null unless cluster.mode"), std::string::npos)
      << standalone.out;
  const auto ok =
      test::run_command(test::cachelab() + " run --no-write " + tiny + " --set '/clients/seeds=\"replica-1-1\"'");
  EXPECT_EQ(ok.exit_code, 2) << ok.out;  // no replicas in this cluster
  const auto good =
      test::run_command(test::cachelab() + " run --no-write " + tiny + " --set '/clients/seeds=\"master-2\"'");
  EXPECT_EQ(good.exit_code, 0) << good.out;
  fs::remove_all(dir);
}
