// Same scenario + seed = byte-identical summary.json, series.csv and events.jsonl; another seed differs.
#include <gtest/gtest.h>

#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {
const char* kScenario = R"({
  "cachelab": 1, "name": "det", "duration_s": 6, "warmup_s": 1, "seed": 5,
  "cluster": { "masters": 3, "maxmemory": "3mb", "maxmemory_policy": "allkeys-lfu" },
  "workload": { "keys": 20000, "read_fraction": 0.8, "value_bytes": {"dist": "lognormal", "median": 200, "p99": 2000},
                "arrival": { "rate_per_s": 20000, "shape": [{"at_s": 3, "rate_per_s": 40000, "ramp_s": 1}] },
                "ttl_s": {"dist": "uniform", "min": 1, "max": 3} },
  "origin": { "servers": 8, "service_ms": {"dist": "exponential", "mean": 0.3}, "timeout_ms": 50 }
})";
}  // namespace

TEST(Determinism, SameSeedSameBytesInProcess) {
  const Scenario s = load_scenario_text(kScenario, "det.json");
  const RunOutput a = simulate(s), b = simulate(s);
  EXPECT_EQ(format_json(a.summary), format_json(b.summary));
  EXPECT_EQ(format_series_csv(a.series), format_series_csv(b.series));
  EXPECT_EQ(format_events_jsonl(a.events), format_events_jsonl(b.events));
  EXPECT_EQ(a.events_processed, b.events_processed);
  // The run did real work: evictions, expiries and origin load, so identity is not trivial.
  EXPECT_GT(a.summary["evicted_keys"].get<uint64_t>(), 0u);
  EXPECT_GT(a.summary["expired_keys"].get<uint64_t>(), 0u);
  EXPECT_GT(a.summary["origin"]["requests"].get<uint64_t>(), 0u);
}

TEST(Determinism, AnotherSeedGivesAnotherResult) {
  const Scenario s1 = load_scenario_text(kScenario, "det.json");
  const Scenario s2 = load_scenario_text(kScenario, "det.json", {"/seed=6"});
  EXPECT_NE(format_series_csv(simulate(s1).series), format_series_csv(simulate(s2).series));
}

TEST(Determinism, CommandLineRunsWriteIdenticalFiles) {
  const auto dir = test::temp_dir("det-cli");
  const std::string file = test::write_file(dir / "det.json", kScenario);
  for (const char* out : {"a", "b"}) {
    auto r = test::run_command(test::cachelab() + " run " + file + " --out " + (dir / out).string());
    ASSERT_EQ(r.exit_code, 0) << r.out;
    EXPECT_EQ(r.out.rfind("seed 5\n", 0), 0u) << "the seed is printed first";
  }
  for (const char* f : {"summary.json", "series.csv", "events.jsonl"})
    EXPECT_EQ(test::read_file(dir / "a" / f), test::read_file(dir / "b" / f)) << f;
  // run.json records the resolved scenario and the seed.
  const auto run = nlohmann::json::parse(test::read_file(dir / "a" / "run.json"));
  EXPECT_EQ(run["seed"], 5);
  EXPECT_EQ(run["mode"], "sim");
  EXPECT_EQ(run["scenario"]["cluster"]["maxmemory_samples"], 5);
  // An existing run directory is never overwritten.
  auto r = test::run_command(test::cachelab() + " run " + file + " --out " + (dir / "a").string());
  EXPECT_NE(r.exit_code, 0);
  // --seed overrides and is recorded.
  r = test::run_command(test::cachelab() + " run " + file + " --seed 9 --json --out " + (dir / "c").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(nlohmann::json::parse(test::read_file(dir / "c" / "run.json"))["seed"], 9);
  std::filesystem::remove_all(dir);
}

// `--out NAME` with no directory part lands in the working directory (it once failed with "cannot create :").
TEST(Determinism, RelativeOutDirectoryIsTheWorkingDirectory) {
  const auto dir = test::temp_dir("det-rel");
  test::write_file(dir / "det.json", kScenario);
  auto r = test::run_command("cd " + dir.string() + " && " + test::cachelab() + " run det.json --out rel");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(std::filesystem::exists(dir / "rel" / "summary.json"));
  std::filesystem::remove_all(dir);
}
