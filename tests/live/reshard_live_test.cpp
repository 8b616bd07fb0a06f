// The `reshard` fault live: CLUSTER SETSLOT IMPORTING/MIGRATING + GETKEYSINSLOT + MIGRATE + SETSLOT NODE
// (live/faults/reshard.cpp) while the workload runs. The client must be redirected (MOVED; ASK when a request meets
// a slot mid-migration) and follow, so no request fails, and the slots end on the target.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

TEST(LiveReshard, ClientFollowsRedirectsAndTheSlotsEndOnTheTarget) {
  CACHELAB_REQUIRE_REDIS();
  const fs::path dir = fs::temp_directory_path() / ("cachelab-live-reshard-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  CliRun r = run_live("live " + std::string(CACHELAB_LIVE_SCENARIOS) + "/reshard.json --spawn --out " + dir.string());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(dir);
  const auto& reshards = run.summary.raw.at("resharding");
  ASSERT_EQ(reshards.size(), 1u);
  EXPECT_EQ(reshards[0].at("slots").get<int>(), 500);
  EXPECT_GT(reshards[0].at("keys_moved").get<int>(), 0);
  EXPECT_GT(reshards[0].at("t_end_s").get<double>(), reshards[0].at("t_start_s").get<double>());
  // Redirected and followed: every request completed, none failed or degraded.
  EXPECT_GT(run.summary.errors.moved + run.summary.errors.ask, 0) << "no redirect seen";
  EXPECT_EQ(run.summary.raw.at("failed_requests").get<uint64_t>(), 0u);
  EXPECT_EQ(run.summary.raw.at("degraded_requests").get<uint64_t>(), 0u);
  // The slots left master-1 for master-2 (16384 split 5461 / 5462 / 5461 by redis-cli, docs/redis-reference.md §1.4).
  for (const auto& n : run.summary.nodes) {
    if (n.name == "master-1") {
      EXPECT_EQ(n.slot_count, 5461 - 500);
    }
    if (n.name == "master-2") {
      EXPECT_EQ(n.slot_count, 5462 + 500);
    }
  }
  bool start = false, end = false;
  for (const auto& e : run.events) start |= e.type == "reshard_start", end |= e.type == "reshard_end";
  EXPECT_TRUE(start && end);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace cachelab::live
