// cachelab-live lab up/status/pause/kill/down (issue 17): the lab outlives the command that started it, the other
// subcommands find it through the state file, and `lab down` leaves nothing running.
#include <signal.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_run.hpp"
#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

// A process that exists and has not exited (a zombie has: its parent, init here, reaps it later).
bool running(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!f || !std::getline(f, text)) return false;
  const auto close = text.rfind(')');
  return close != std::string::npos && close + 2 < text.size() && text[close + 2] != 'Z';
}

char state_of(pid_t pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  std::getline(f, text);
  const auto close = text.rfind(')');
  return close == std::string::npos ? '?' : text[close + 2];
}

TEST(LabCli, UpLeavesALabRunningAndDownLeavesNothing) {
  CACHELAB_REQUIRE_REDIS();
  const auto state =
      std::filesystem::temp_directory_path() / ("cachelab-lab-test-" + std::to_string(::getpid()) + ".json");
  ::setenv("CACHELAB_LAB_STATE", state.c_str(), 1);

  auto r = run_live("lab status");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("no lab is up"), std::string::npos) << r.output;

  r = run_live("lab up --masters 3 --replicas 0 --node-timeout-ms 2000");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("redis-cli -c -p"), std::string::npos) << r.output;
  std::ifstream f(state);
  ASSERT_TRUE(f.good());
  const auto st = nlohmann::json::parse(f);
  ASSERT_EQ(st["nodes"].size(), 3u);
  std::vector<pid_t> pids;
  for (const auto& n : st["nodes"]) pids.push_back(n["pid"].get<pid_t>());
  const std::string dir = st["dir"];
  // The servers outlived `lab up`.
  for (pid_t p : pids) EXPECT_TRUE(running(p)) << p;

  r = run_live("lab up");
  EXPECT_EQ(r.exit_code, 2) << r.output;  // one lab at a time
  EXPECT_NE(r.output.find("already up"), std::string::npos) << r.output;

  r = run_live("lab pause master-1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_EQ(state_of(pids[0]), 'T');
  r = run_live("lab status");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("paused"), std::string::npos) << r.output;
  r = run_live("lab kill master-2");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (int i = 0; i < 200 && running(pids[1]); ++i) ::usleep(10000);
  EXPECT_FALSE(running(pids[1]));
  r = run_live("lab kill master-9");
  EXPECT_EQ(r.exit_code, 2) << r.output;

  r = run_live("lab down");  // also stops the paused master-1
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (pid_t p : pids) EXPECT_FALSE(running(p)) << "left running: " << p;
  EXPECT_FALSE(std::filesystem::exists(state));
  EXPECT_FALSE(std::filesystem::exists(dir));
  r = run_live("lab down");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  ::unsetenv("CACHELAB_LAB_STATE");
}

}  // namespace
}  // namespace cachelab::live
