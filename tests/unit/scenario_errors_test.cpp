// Bad scenario files: each gets exit code 2 from `cachelab validate` and `cachelab run`, a message naming the file,
// the JSON Pointer, what was expected and what was found; and `run` writes nothing.
#include <gtest/gtest.h>

#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/catalogue.hpp"
#include "cachelab/sweep/plan_space.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {

const char* kGood = R"({
  "cachelab": 1, "name": "tiny", "duration_s": 2, "warmup_s": 0.5,
  "cluster": { "masters": 3, "maxmemory": "1mb", "maxmemory_policy": "allkeys-lru" },
  "workload": { "keys": 1000, "arrival": { "rate_per_s": 1000 } }
})";

struct BadCase {
  const char* name;
  std::string json;
  const char* pointer;   // expected in the message, as ": <pointer>: "
  const char* fragment;  // also expected (what was expected or found)
};

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto p = s.find(from);
  if (p == std::string::npos) throw std::logic_error("test bug: " + from);
  return s.replace(p, from.size(), to);
}

std::vector<BadCase> cases() {
  const std::string g = kGood;
  return {
      {"malformed_json", replace(g, "\"duration_s\": 2,", "\"duration_s\": 2"), "(document)", "invalid JSON at line 2"},
      {"not_an_object", "[1, 2, 3]", "(document)", "expected an object"},
      {"unknown_top_key", replace(g, "\"duration_s\"", "\"duraton_s\": 3, \"duration_s\""), "/duraton_s",
       "did you mean \"duration_s\""},
      {"unknown_nested_key", replace(g, "\"masters\": 3", "\"master\": 3"), "/cluster/master",
       "did you mean \"masters\""},
      {"missing_required", replace(g, "\"name\": \"tiny\",", ""), "/name", "the key is missing"},
      {"wrong_version", replace(g, "\"cachelab\": 1", "\"cachelab\": 2"), "/cachelab", "found 2"},
      {"wrong_type_string_for_number", replace(g, "\"duration_s\": 2", "\"duration_s\": \"2\""), "/duration_s",
       "\"2\" (a string)"},
      {"negative_duration", replace(g, "\"duration_s\": 2", "\"duration_s\": -5"), "/duration_s", "> 0"},
      {"fractional_integer", replace(g, "\"masters\": 3", "\"masters\": 2.5"), "/cluster/masters", "an integer"},
      {"out_of_range_integer", replace(g, "\"masters\": 3", "\"masters\": 0"), "/cluster/masters", ">= 1"},
      {"bad_size_unit", replace(g, "\"1mb\"", "\"1mib\""), "/cluster/maxmemory", "\"1mib\""},
      {"negative_size", replace(g, "\"1mb\"", "-1"), "/cluster/maxmemory", "a size in bytes"},
      {"unknown_policy", replace(g, "allkeys-lru", "allkeys-lr"), "/cluster/maxmemory_policy",
       "did you mean \"allkeys-lru\""},
      {"zipf_alpha_zero",
       replace(g, "\"keys\": 1000", "\"keys\": 1000, \"popularity\": {\"dist\": \"zipf\", \"alpha\": 0}"),
       "/workload/popularity/alpha", "> 0"},
      {"unknown_distribution",
       replace(g, "\"keys\": 1000", "\"keys\": 1000, \"value_bytes\": {\"dist\": \"gauss\", \"mean\": 3}"),
       "/workload/value_bytes/dist", "\"gauss\""},
      {"distribution_missing_param",
       replace(g, "\"keys\": 1000", "\"keys\": 1000, \"value_bytes\": {\"dist\": \"lognormal\", \"median\": 3}"),
       "/workload/value_bytes/p99", "the key is missing"},
      {"lognormal_p99_below_median",
       replace(g, "\"keys\": 1000",
               "\"keys\": 1000, \"value_bytes\": {\"dist\": \"lognormal\", \"median\": 30, \"p99\": 3}"),
       "/workload/value_bytes/p99", ">= median"},
      {"read_fraction_above_one", replace(g, "\"keys\": 1000", "\"keys\": 1000, \"read_fraction\": 1.5"),
       "/workload/read_fraction", "<= 1"},
      {"warmup_not_before_end", replace(g, "\"warmup_s\": 0.5", "\"warmup_s\": 2"), "/warmup_s", "< duration_s"},
      {"shape_out_of_order",
       replace(g, "\"rate_per_s\": 1000 }",
               "\"rate_per_s\": 1000, \"shape\": [{\"at_s\": 5, \"rate_per_s\": 10, \"ramp_s\": 2}, {\"at_s\": 6, "
               "\"rate_per_s\": 1}] }"),
       "/workload/arrival/shape/1/at_s", ">= 7"},
      {"shape_item_not_object", replace(g, "\"rate_per_s\": 1000 }", "\"rate_per_s\": 1000, \"shape\": [3] }"),
       "/workload/arrival/shape/0", "an object"},
      {"bad_name", replace(g, "\"tiny\"", "\"../etc\""), "/name", "letters, digits"},
      {"duplicate_key", replace(g, "\"duration_s\": 2,", "\"duration_s\": 2, \"duration_s\": 3,"), "/duration_s",
       "twice"},
      {"null_not_allowed", replace(g, "\"masters\": 3", "\"masters\": null"), "/cluster/masters", "found null"},
      {"standalone_with_three_masters", replace(g, "\"masters\": 3", "\"masters\": 3, \"mode\": \"standalone\""),
       "/cluster/masters", "1 in standalone mode"},
      {"compare_negative_tolerance",
       replace(g, "\"duration_s\": 2,",
               "\"duration_s\": 2, \"compare\": {\"validates\": [{\"metric\": \"hit_ratio\", \"tolerance\": -1}]},"),
       "/compare/validates/0/tolerance", ">= 0"},
  };
}

}  // namespace

class BadScenario : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadScenario, ValidateExitsTwoWithPointer) {
  const BadCase& c = GetParam();
  const auto dir = test::temp_dir(std::string("bad-") + c.name);
  const std::string file = test::write_file(dir / "s.json", c.json);
  auto r = test::run_command(test::cachelab() + " validate " + file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(file + ": " + c.pointer + ": expected"), std::string::npos)
      << "want pointer " << c.pointer << " in:\n"
      << r.out;
  EXPECT_NE(r.out.find(c.fragment), std::string::npos) << "want \"" << c.fragment << "\" in:\n" << r.out;

  // run refuses too, and leaves nothing behind.
  r = test::run_command("cd " + dir.string() + " && " + test::cachelab() + " run " + file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_FALSE(std::filesystem::exists(dir / "results")) << "a bad scenario must not create results";
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Cases, BadScenario, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(ScenarioErrors, EveryProblemIsReportedNotJustTheFirst) {
  std::string s = kGood;
  s = replace(s, "\"masters\": 3", "\"masters\": 0, \"bogus\": 1");
  s = replace(s, "\"keys\": 1000", "\"keys\": -4");
  try {
    load_scenario_text(s, "x.json");
    FAIL() << "accepted";
  } catch (const ScenarioError& e) {
    EXPECT_EQ(e.issues().size(), 3u) << e.what();
  }
}

TEST(ScenarioErrors, UnreadableFileIsExitTwo) {
  auto r = test::run_command(test::cachelab() + " validate /nonexistent/scenario.json");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("/nonexistent/scenario.json"), std::string::npos);
}

TEST(ScenarioErrors, BadOverrideIsReported) {
  const auto dir = test::temp_dir("override");
  const std::string file = test::write_file(dir / "s.json", kGood);
  auto r = test::run_command(test::cachelab() + " validate " + file + " --set /cluster/masterz=4");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("/cluster/masterz"), std::string::npos) << r.out;
  r = test::run_command(test::cachelab() + " validate " + file + " --set cluster.masters=4");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = test::run_command(test::cachelab() + " validate " + file + " --set /cluster/masters=5");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  std::filesystem::remove_all(dir);
}

TEST(Scenario, DefaultsAreFilledInAndSizesParsed) {
  const Scenario s = load_scenario_text(kGood, "x.json");
  EXPECT_EQ(s.cluster.store.maxmemory_bytes, 1024u * 1024u);
  EXPECT_EQ(s.cluster.store.maxmemory_samples, 5);  // Redis default
  EXPECT_EQ(s.resolved["origin"]["service_ms"]["dist"], "exponential");
  EXPECT_TRUE(s.resolved["workload"]["ttl_s"].is_null());
  EXPECT_EQ(s.seed, 1u);
  uint64_t b;
  ASSERT_TRUE(schema::parse_size("1k", b));
  EXPECT_EQ(b, 1000u);
  ASSERT_TRUE(schema::parse_size("1KB", b));
  EXPECT_EQ(b, 1024u);
  ASSERT_TRUE(schema::parse_size("2gb", b));
  EXPECT_EQ(b, 2ull << 30);
  EXPECT_FALSE(schema::parse_size("1.5mb", b));
  EXPECT_FALSE(schema::parse_size("mb", b));
}

// Scenarios are tests too: every file under scenarios/ must validate. Lesson files (*.lesson.json) are not
// scenarios: tests/unit/lesson_test.cpp validates them, and through them every scenario variant they run.
// Node-type catalogues (*.catalogue.json) are validated as catalogues, and a scenario's plan section as
// `cachelab plan` reads it (every candidate value through its knob, the catalogue it names).
TEST(Scenario, EveryShippedScenarioValidates) {
  int n = 0, catalogues = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(test::source_dir() + "/scenarios")) {
    if (e.path().extension() != ".json") continue;
    if (e.path().stem().extension() == ".lesson") continue;
    if (e.path().stem().extension() == ".catalogue") {
      ++catalogues;
      EXPECT_NO_THROW(sweep::load_node_catalogue(e.path().string())) << e.path();
      continue;
    }
    ++n;
    try {
      const Scenario s = load_scenario_file(e.path().string());
      if (!s.resolved.at("plan").at("search").empty() || !s.resolved.at("plan").at("node_types").empty())
        (void)sweep::build_plan_space(e.path().string(), s, {});
    } catch (const std::exception& x) {
      ADD_FAILURE() << e.path() << ": " << x.what();
    }
  }
  EXPECT_GE(n, 1);
  EXPECT_GE(catalogues, 1);
}
