// `cachelab workload dump`, closed-loop runs, the YCSB presets, and bad workload sections (exit 2 with the pointer).
#include <gtest/gtest.h>

#include <algorithm>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {

const char* kDumpScenario = R"({"cachelab": 1, "name": "d", "duration_s": 5, "seed": 3,
  "workload": {"keys": 1000, "key_prefix": "p,x:", "arrival": {"rate_per_s": 2000},
               "ops": {"get": 0.8, "set": 0.1, "mget": 0.1}, "multi_key_count": {"min": 2, "max": 3},
               "ttl_s": {"dist": "fixed", "value": 60}}})";

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

}  // namespace

TEST(WorkloadDump, DeterministicAndLimited) {
  const auto dir = test::temp_dir("wl-dump");
  const std::string file = test::write_file(dir / "d.json", kDumpScenario);
  const std::string a = (dir / "a.csv").string(), b = (dir / "b.csv").string();
  auto r = test::run_command(test::cachelab() + " workload dump " + file + " --limit 500 --out " + a);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  r = test::run_command(test::cachelab() + " workload dump " + file + " --limit 500 --out " + b);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string ta = test::read_file(a);
  EXPECT_EQ(ta, test::read_file(b));
  EXPECT_EQ(lines(ta), 501u);  // header + --limit rows
  EXPECT_EQ(ta.rfind("seq,due_ns,op,key_count,keys,client,session,value_bytes,ttl_ms\n", 0), 0u);
  EXPECT_NE(ta.find(",mget,"), std::string::npos);
  EXPECT_NE(ta.find("\"p,x:"), std::string::npos) << "a name with a comma is quoted";
  EXPECT_NE(ta.find(",60000\n"), std::string::npos) << "ttl in ms";
  // Without --limit: the whole stream up to duration_s (about 10,000 requests); on stdout.
  r = test::run_command(test::cachelab() + " workload dump " + file);
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NEAR(static_cast<double>(lines(r.out)), 10001, 5 * 100);
  EXPECT_EQ(r.out.substr(0, ta.size()), ta) << "--limit is a prefix of the full stream";
  // --seed changes it.
  r = test::run_command(test::cachelab() + " workload dump " + file + " --limit 500 --seed 4");
  EXPECT_NE(r.out, ta);
  // A bad scenario: exit 2.
  r = test::run_command(test::cachelab() + " workload dump " + file + " --set /workload/ops/get=0.5");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("/workload/ops: expected shares that sum to 1"), std::string::npos) << r.out;
  std::filesystem::remove_all(dir);
}

// Closed loop: each session issues its next request think_time after the previous completes, so throughput is
// sessions / (mean latency + think) (the interactive response-time law).
TEST(ClosedLoop, ThroughputIsSessionsOverLatencyPlusThink) {
  const Scenario s = load_scenario_text(R"({"cachelab": 1, "name": "cl", "duration_s": 20, "warmup_s": 2,
    "cluster": {"masters": 3},
    "clients": {"instances": 4},
    "workload": {"keys": 2000, "read_fraction": 0.9, "arrival": {"dist": "closed", "sessions_per_instance": 3,
                 "think_time_ms": {"dist": "exponential", "mean": 2}}},
    "origin": {"servers": 50, "service_ms": {"dist": "exponential", "mean": 1}}})",
                                        "cl.json");
  const RunOutput out = simulate(s);
  const auto& sum = out.summary;
  const double measured = sum.at("measured_s").get<double>();
  const double throughput = sum.at("requests").get<double>() / measured;
  const double latency_s = sum.at("latency_us").at("mean").get<double>() * 1e-6;
  const double expected = 12 / (latency_s + 0.002);
  EXPECT_NEAR(throughput, expected, 0.03 * expected) << "latency " << latency_s * 1e3 << " ms";
  EXPECT_GT(sum.at("requests").get<double>(), 50000);
  // Deterministic like any run.
  EXPECT_EQ(simulate(s).summary.dump(), sum.dump());
}

TEST(YcsbPresets, AllValidateAndRun) {
  for (const char* w : {"a", "b", "c", "d", "e", "f"}) {
    const std::string file = test::source_dir() + "/scenarios/ycsb/" + w + ".json";
    const Scenario s = load_scenario_file(file, {"/duration_s=1.5", "/warmup_s=0.5"});
    EXPECT_EQ(s.name, std::string("ycsb-") + w);
    EXPECT_FALSE(s.title.empty());
    const RunOutput out = simulate(s);
    EXPECT_GT(out.summary.at("requests").get<double>(), 1000) << w;
  }
}

namespace {

struct BadWorkload {
  const char* name;
  const char* workload;  // replaces the workload section
  const char* pointer;
  const char* fragment;
};

const BadWorkload kBad[] = {
    {"ops_not_summing_to_one", R"({"arrival": {"rate_per_s": 10}, "ops": {"get": 0.5, "set": 0.4}})", "/workload/ops",
     "sum to 1"},
    {"ops_and_read_fraction", R"({"arrival": {"rate_per_s": 10}, "read_fraction": 0.5, "ops": {"get": 1}})",
     "/workload/read_fraction", "null when ops is given"},
    {"unknown_op", R"({"arrival": {"rate_per_s": 10}, "ops": {"gett": 1}})", "/workload/ops/gett",
     "did you mean \"get\""},
    {"unknown_popularity", R"({"arrival": {"rate_per_s": 10}, "popularity": {"dist": "zipff"}})",
     "/workload/popularity/dist", "did you mean \"zipf\""},
    {"hotspot_fraction_above_one",
     R"({"arrival": {"rate_per_s": 10}, "popularity": {"dist": "hotspot", "hot_ops_fraction": 1.2}})",
     "/workload/popularity/hot_ops_fraction", "<= 1"},
    {"latest_loaded_beyond_keys",
     R"({"keys": 10, "arrival": {"rate_per_s": 10}, "popularity": {"dist": "latest", "loaded_keys": 11}})",
     "/workload/popularity/loaded_keys", "at most keys"},
    {"poisson_without_rate", R"({"arrival": {}})", "/workload/arrival/rate_per_s", "required with dist poisson"},
    {"closed_with_rate", R"({"arrival": {"dist": "closed", "rate_per_s": 5}})", "/workload/arrival/rate_per_s",
     "null with dist closed"},
    {"diurnal_amplitude", R"({"arrival": {"rate_per_s": 10, "diurnal": {"amplitude": 1.5}}})",
     "/workload/arrival/diurnal/amplitude", "<= 1"},
    {"spike_without_multiplier", R"({"arrival": {"rate_per_s": 10, "spikes": [{"at_s": 1}]}})",
     "/workload/arrival/spikes/0/multiplier", "the key is missing"},
    {"group_fields_count", R"({"arrival": {"rate_per_s": 10}, "key_groups": {"size": 3, "fields": "a,b"}})",
     "/workload/key_groups/fields", "3 comma-separated names"},
    {"multi_key_beyond_group",
     R"({"arrival": {"rate_per_s": 10}, "key_groups": {"size": 4}, "multi_key_count": {"min": 2, "max": 5}})",
     "/workload/multi_key_count/max", "at most key_groups.size"},
    {"multi_key_min_above_max", R"({"arrival": {"rate_per_s": 10}, "multi_key_count": {"min": 5, "max": 2}})",
     "/workload/multi_key_count/max", ">= min"},
    {"trace_missing_file",
     R"({"arrival": {"rate_per_s": 10}, "trace": {"path": "/nonexistent/t.csv", "format": "csv"}})",
     "/workload/trace/path", "a readable trace"},
    {"trace_unknown_format", R"({"arrival": {"rate_per_s": 10}, "trace": {"path": "x", "format": "parquet"}})",
     "/workload/trace/format", "\"parquet\""},
    {"weighted_without_weight",
     R"({"arrival": {"rate_per_s": 10}, "value_bytes": {"dist": "weighted", "values": [{"value": 1, "weight": 0}]}})",
     "/workload/value_bytes/values", "a weight > 0"},
};

}  // namespace

class BadWorkloadSection : public ::testing::TestWithParam<BadWorkload> {};

TEST_P(BadWorkloadSection, ValidateExitsTwoWithPointer) {
  const BadWorkload& c = GetParam();
  const auto dir = test::temp_dir(std::string("badwl-") + c.name);
  const std::string file = test::write_file(
      dir / "s.json", std::string(R"({"cachelab": 1, "name": "b", "duration_s": 2, "workload": )") + c.workload + "}");
  const auto r = test::run_command(test::cachelab() + " validate " + file);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find(file + ": " + c.pointer + ": expected"), std::string::npos)
      << "want pointer " << c.pointer << " in:\n"
      << r.out;
  EXPECT_NE(r.out.find(c.fragment), std::string::npos) << "want \"" << c.fragment << "\" in:\n" << r.out;
  std::filesystem::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Cases, BadWorkloadSection, ::testing::ValuesIn(kBad),
                         [](const auto& info) { return std::string(info.param.name); });
