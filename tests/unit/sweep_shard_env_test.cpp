// `cachelab sweep --shard auto/N`: the shard index taken from a job array's environment (Kubernetes Indexed Job's
// JOB_COMPLETION_INDEX, SLURM's SLURM_ARRAY_TASK_ID, both 0-based), the errors (exit 2), and shards run that way
// merging into the same sweep.csv as the whole sweep.
#include <gtest/gtest.h>

#include <map>

#include "cachelab/sweep/grid.hpp"
#include "test_util.hpp"

using namespace cachelab;
namespace fs = std::filesystem;

namespace {

sweep::EnvLookup env_of(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    const auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

// The error's message, or "" when it did not throw.
std::string error_of(const std::string& arg, std::map<std::string, std::string> vars) {
  try {
    sweep::resolve_shard(arg, env_of(std::move(vars)));
  } catch (const sweep::SpecError& e) {
    return e.what();
  }
  return "";
}

const char* kTiny = R"({"cachelab": 1, "name": "tiny-shard", "seed": 5, "duration_s": 2, "warmup_s": 1,
  "metrics_interval_ms": 500,
  "cluster": {"masters": 2, "maxmemory": "4mb", "maxmemory_policy": "allkeys-lru"},
  "network": {"rtt_us": {"dist": "fixed", "value": 200}},
  "workload": {"keys": 1000, "popularity": {"dist": "zipf", "alpha": 0.8}, "value_bytes": {"dist": "fixed", "value": 512},
               "read_fraction": 1, "arrival": {"rate_per_s": 2000}},
  "origin": {"servers": 16, "service_ms": {"dist": "exponential", "mean": 2}}})";

// The test must not inherit a job array's variables from wherever it runs.
const std::string kCleanEnv = "env -u JOB_COMPLETION_INDEX -u SLURM_ARRAY_TASK_ID ";

}  // namespace

TEST(SweepShardEnv, IndexFromEitherSchedulerIsZeroBased) {
  std::string source;
  sweep::Shard s = sweep::resolve_shard("auto/4", env_of({{"JOB_COMPLETION_INDEX", "0"}}), &source);
  EXPECT_EQ(s.index, 1);
  EXPECT_EQ(s.count, 4);
  EXPECT_EQ(source, "JOB_COMPLETION_INDEX");
  s = sweep::resolve_shard("auto/4", env_of({{"SLURM_ARRAY_TASK_ID", "3"}}), &source);
  EXPECT_EQ(s.index, 4);
  EXPECT_EQ(source, "SLURM_ARRAY_TASK_ID");
  // SLURM_ARRAY_TASK_MIN does not shift the index (a rerun of --array=3,7 keeps shards 4 and 8).
  s = sweep::resolve_shard("auto/8", env_of({{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_MIN", "3"}}));
  EXPECT_EQ(s.index, 8);
  // Both set and equal: fine.
  s = sweep::resolve_shard("auto/2", env_of({{"SLURM_ARRAY_TASK_ID", "1"}, {"JOB_COMPLETION_INDEX", "1"}}));
  EXPECT_EQ(s.index, 2);
  // i/n is unchanged and ignores the environment.
  s = sweep::resolve_shard("2/3", env_of({{"JOB_COMPLETION_INDEX", "0"}}), &source);
  EXPECT_EQ(s.index, 2);
  EXPECT_EQ(s.count, 3);
  // Every index of an array of N covers every point exactly once.
  for (size_t point = 0; point < 20; ++point) {
    int owners = 0;
    for (int k = 0; k < 3; ++k)
      owners += sweep::resolve_shard("auto/3", env_of({{"JOB_COMPLETION_INDEX", std::to_string(k)}})).contains(point);
    EXPECT_EQ(owners, 1) << point;
  }
}

TEST(SweepShardEnv, ClearErrors) {
  EXPECT_NE(error_of("auto/4", {}).find("neither JOB_COMPLETION_INDEX"), std::string::npos) << error_of("auto/4", {});
  const std::string slurm = error_of("auto/4", {{"SLURM_ARRAY_TASK_ID", "4"}});
  EXPECT_NE(slurm.find("out of range"), std::string::npos) << slurm;
  EXPECT_NE(slurm.find("--array=0-3"), std::string::npos) << slurm;
  const std::string k8s = error_of("auto/4", {{"JOB_COMPLETION_INDEX", "9"}});
  EXPECT_NE(k8s.find("completions: 4"), std::string::npos) << k8s;
  EXPECT_NE(error_of("auto/4", {{"JOB_COMPLETION_INDEX", "-1"}}).find("not a non-negative integer"), std::string::npos);
  EXPECT_NE(error_of("auto/4", {{"SLURM_ARRAY_TASK_ID", "2x"}}).find("not a non-negative integer"), std::string::npos);
  EXPECT_NE(error_of("auto/4", {{"SLURM_ARRAY_TASK_ID", "1"}, {"JOB_COMPLETION_INDEX", "2"}}).find("disagree"),
            std::string::npos);
  EXPECT_NE(error_of("auto/0", {{"JOB_COMPLETION_INDEX", "0"}}).find("at least 1"), std::string::npos);
  EXPECT_NE(error_of("auto/x", {{"JOB_COMPLETION_INDEX", "0"}}).find("auto/N"), std::string::npos);
}

// Three shards run as an array would run them (one per index, from each scheduler's variable) merge into the
// sweep.csv of the whole sweep; the CLI exits 2 without an index or with one out of range.
TEST(SweepShardEnv, CliShardsFromTheEnvironmentMerge) {
  const fs::path d = test::temp_dir("sweep-shard-env");
  const std::string file = test::write_file(d / "tiny.json", kTiny);
  const std::string grid = " --vary /cluster/masters=2,3 --vary /cluster/maxmemory=1700kb,4mb --jobs 1";
  const auto all =
      test::run_command(kCleanEnv + test::cachelab() + " sweep " + file + grid + " --out " + (d / "all").string());
  ASSERT_EQ(all.exit_code, 0) << all.out;
  std::string dirs;
  for (int k = 0; k < 3; ++k) {
    const std::string var = k == 1 ? "SLURM_ARRAY_TASK_ID" : "JOB_COMPLETION_INDEX";
    const fs::path sd = d / ("shard-" + std::to_string(k));
    const auto s = test::run_command(kCleanEnv + var + "=" + std::to_string(k) + " " + test::cachelab() + " sweep " +
                                     file + grid + " --shard auto/3 --out " + sd.string());
    ASSERT_EQ(s.exit_code, 0) << s.out;
    EXPECT_NE(s.out.find("shard " + std::to_string(k + 1) + "/3 (" + var + "=" + std::to_string(k) + ")"),
              std::string::npos)
        << s.out;
    dirs += " " + sd.string();
  }
  const auto m = test::run_command(test::cachelab() + " sweep-merge" + dirs + " --out " + (d / "merged").string());
  ASSERT_EQ(m.exit_code, 0) << m.out;
  EXPECT_EQ(test::read_file(d / "merged" / "sweep.csv"), test::read_file(d / "all" / "sweep.csv"));

  const auto none = test::run_command(kCleanEnv + test::cachelab() + " sweep " + file + grid +
                                      " --shard auto/3 --out " + (d / "none").string());
  EXPECT_EQ(none.exit_code, 2) << none.out;
  EXPECT_NE(none.out.find("neither JOB_COMPLETION_INDEX"), std::string::npos) << none.out;
  const auto out_of_range = test::run_command(kCleanEnv + "SLURM_ARRAY_TASK_ID=3 " + test::cachelab() + " sweep " +
                                              file + grid + " --shard auto/3 --out " + (d / "oor").string());
  EXPECT_EQ(out_of_range.exit_code, 2) << out_of_range.out;
  EXPECT_NE(out_of_range.out.find("--array=0-2"), std::string::npos) << out_of_range.out;
  EXPECT_FALSE(fs::exists(d / "none"));
  fs::remove_all(d);
}
