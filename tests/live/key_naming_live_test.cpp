// Issue 17 live: one object under two key names (workload.streams[].key_prefix). Live mode names its keys with the
// run session's namer, so Redis holds "user:N" and "users:N" as two keys, as the simulator does: the keys held, the
// hit ratio and the stale reads of scenarios/validation/live/key-naming.json agree with the simulator on the
// identical request stream. Spawned redis-server processes on 127.0.0.1 only.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>

#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

double key_naming_live_keys(const results::Run& run) {
  double keys = 0;
  for (const auto& n : run.summary.nodes) keys += static_cast<double>(n.keys);
  return keys;
}

TEST(LiveKeyNaming, TwoNamesAreTwoRedisKeysAndTheStaleReadsAgreeWithTheSimulator) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path base = fs::temp_directory_path() / ("cachelab-keynaming-" + std::to_string(::getpid()));
  fs::remove_all(base);
  fs::create_directories(base);
  const std::string file = std::string(CACHELAB_SOURCE_DIR) + "/scenarios/validation/live/key-naming.json";
  const fs::path live = base / "two", sim = base / "two-sim", live1 = base / "one", sim1 = base / "one-sim";
  const CliRun two = run_live("live " + file + " --spawn --compare --out " + live.string());
  ASSERT_TRUE(fs::exists(live / "summary.json") && fs::exists(sim / "summary.json")) << two.output;
  // The scenario's compare.validates (keys within 2%, hit ratio within 0.02, stale reads within 15%) held.
  EXPECT_EQ(two.exit_code, 0) << two.output;
  // The same paths with one name (the stream's prefix unset: the main workload's).
  const CliRun one =
      run_live("live " + file + " --set /workload/streams/0/key_prefix=null --spawn --compare --out " + live1.string());
  ASSERT_TRUE(fs::exists(live1 / "summary.json") && fs::exists(sim1 / "summary.json")) << one.output;
  const results::Run a = results::load_run(live), b = results::load_run(sim), a1 = results::load_run(live1),
                     b1 = results::load_run(sim1);
  EXPECT_EQ(a.info.mode, "live");
  std::cout << "[ measured ] keys two names: live " << key_naming_live_keys(a) << ", sim " << key_naming_live_keys(b)
            << "; one name: live " << key_naming_live_keys(a1) << ", sim " << key_naming_live_keys(b1) << "\n"
            << "[ measured ] hit ratio two names: live " << a.summary.hit_ratio << ", sim " << b.summary.hit_ratio
            << "; one name: live " << a1.summary.hit_ratio << ", sim " << b1.summary.hit_ratio << "\n"
            << "[ measured ] stale reads two names: live " << a.summary.stale_reads.cache.reads << ", sim "
            << b.summary.stale_reads.cache.reads << "; one name: live " << a1.summary.stale_reads.cache.reads
            << ", sim " << b1.summary.stale_reads.cache.reads << "\n";
  // Real Redis held two keys per object read by both paths: far more than with one name, as the simulator says.
  EXPECT_GT(key_naming_live_keys(a), 1.6 * key_naming_live_keys(a1));
  EXPECT_NEAR(key_naming_live_keys(a1), key_naming_live_keys(b1), 0.02 * key_naming_live_keys(b1));
  EXPECT_NEAR(a1.summary.hit_ratio, b1.summary.hit_ratio, 0.02);
  EXPECT_GT(a1.summary.hit_ratio, a.summary.hit_ratio + 0.03);
  // The API's name is never invalidated by the main path's writes: many stale reads with two names, few with one.
  EXPECT_GT(a.summary.stale_reads.cache.reads, 100.0);
  EXPECT_LT(a1.summary.stale_reads.cache.reads, 0.1 * a.summary.stale_reads.cache.reads);
  fs::remove_all(base);
}

}  // namespace
}  // namespace cachelab::live
