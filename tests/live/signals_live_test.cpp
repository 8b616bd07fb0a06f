// Issue 21 part 5: whatever signal ends `cachelab live --spawn` (SIGINT, SIGTERM, SIGHUP, SIGKILL) and whenever
// it comes (while the lab starts, mid-run, while the lab is torn down), nothing is left: no redis-server (nor any
// other process of the run), no listening port of the lab, no lab directory. The run gets its own TMPDIR, so what
// is counted is exactly what this run created.
#include <gtest/gtest.h>
#include <signal.h>
#include <stdlib.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

#include "child_process.hpp"
#include "lab_helpers.hpp"
#include "live/lab/free_port.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

enum class When { StartUp, MidRun, Teardown };
const char* when_name(When w) { return w == When::StartUp ? "start-up" : w == When::MidRun ? "mid-run" : "teardown"; }

// PIDs of processes that belong to the run under `dir`: the lab's servers work in their node directory under it
// (redis-server chdirs to its `dir`, and rewrites its command line, so that cannot be used); cachelab itself and
// its lab-directory watcher have the run's --out, under it too, on their command line.
std::set<pid_t> processes_mentioning(const std::string& dir) {
  std::set<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    const std::string name = e.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    std::ifstream in(e.path() / "cmdline", std::ios::binary);
    std::string cmd((std::istreambuf_iterator<char>(in)), {});
    std::error_code ec;
    const std::string cwd = fs::read_symlink(e.path() / "cwd", ec).string();
    if (cmd.find(dir) == std::string::npos && cwd.rfind(dir, 0) != 0) continue;
    const auto state = process_state(std::stoi(name));
    if (state && *state != 'Z') out.insert(std::stoi(name));
  }
  return out;
}

// Client and bus ports of every node config of every lab under `tmp`.
std::set<int> lab_ports(const fs::path& tmp) {
  std::set<int> ports;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(tmp, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    if (it->path().filename() != "redis.conf") continue;
    std::ifstream in(it->path());
    for (std::string line; std::getline(in, line);)
      if (line.rfind("port ", 0) == 0) {
        ports.insert(std::stoi(line.substr(5)));
        ports.insert(std::stoi(line.substr(5)) + kClusterBusPortOffset);
      }
  }
  return ports;
}

int lab_dirs(const fs::path& tmp) {
  int n = 0;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(tmp, ec))
    n += e.path().filename().string().rfind("cachelab-lab-", 0) == 0;
  return n;
}

bool any_node_config(const fs::path& tmp) { return !lab_ports(tmp).empty(); }

void trial(int sig, When when, bool cluster) {
  SCOPED_TRACE(std::string(strsignal(sig)) + " during " + when_name(when) + (cluster ? " (cluster)" : ""));
  char templ[] = "/tmp/cachelab-sigtest-XXXXXX";
  ASSERT_NE(::mkdtemp(templ), nullptr);
  const fs::path tmp = templ;
  std::vector<std::string> args = {"live", std::string(CACHELAB_LIVE_SCENARIOS) + "/signals.json", "--spawn", "--out",
                                   (tmp / "out" / "run").string()};
  if (!cluster)
    for (const char* s : {"/cluster/mode=\"standalone\"", "/cluster/masters=1"}) args.insert(args.end(), {"--set", s});
  testing::LiveChild child(args, {"TMPDIR=" + tmp.string()});
  ASSERT_GT(child.pid(), 0);
  std::set<int> ports;
  std::set<pid_t> pids;
  // Reach the point, then record what exists there, then signal.
  if (when == When::StartUp) {
    ASSERT_TRUE(child.wait_for("starting", std::chrono::seconds(20))) << child.output();
    const auto deadline = Clock::now() + std::chrono::seconds(20);
    while (!any_node_config(tmp) && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    // A cluster's start-up lasts seconds (redis-cli --cluster create, then convergence): land inside it.
    if (cluster) std::this_thread::sleep_for(std::chrono::milliseconds(300));
  } else if (when == When::MidRun) {
    ASSERT_TRUE(child.wait_for("cachelab live: running", std::chrono::seconds(30))) << child.output();
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
  } else {
    ASSERT_TRUE(child.wait_for("stopping the lab", std::chrono::seconds(30))) << child.output();
  }
  ports = lab_ports(tmp);
  pids = processes_mentioning(tmp.string());
  const bool was_running = child.running();
  ::kill(child.pid(), sig);
  const auto status = child.wait(std::chrono::seconds(30));
  ASSERT_TRUE(status.has_value()) << "cachelab did not end after the signal:\n" << child.output();
  if (was_running && when != When::Teardown) {  // during teardown it may have finished first
    EXPECT_TRUE(WIFSIGNALED(*status) && WTERMSIG(*status) == sig) << "status " << *status << "\n" << child.output();
  }
  EXPECT_FALSE(ports.empty()) << "no lab node existed at the signal";
  // Mid-run: cachelab, its directory watcher and the server. At start-up at least cachelab; at teardown too (the
  // teardown may already have stopped the server when the snapshot is taken: a race, not a finding).
  EXPECT_GE(pids.size(), when == When::MidRun ? 3u : 1u) << "cachelab and its servers were running";
  // The kernel needs a moment to close the sockets of SIGKILLed servers, and the lab-directory watcher a moment
  // to notice its owner is gone: wait for it, then count.
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  auto clean = [&] {
    if (!processes_mentioning(tmp.string()).empty() || lab_dirs(tmp) != 0) return false;
    for (int p : ports)
      if (port_has_listener(p)) return false;
    return true;
  };
  while (!clean() && Clock::now() < deadline) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_TRUE(processes_mentioning(tmp.string()).empty()) << "processes left";
  EXPECT_EQ(lab_dirs(tmp), 0) << "lab directories left under " << tmp;
  for (int p : ports) EXPECT_FALSE(port_has_listener(p)) << "port " << p << " still listening";
  fs::remove_all(tmp);
}

TEST(LiveSignals, NothingLeftAfterAnySignalAtStartUp) {
  CACHELAB_REQUIRE_REDIS();
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGKILL}) trial(sig, When::StartUp, true);
}

TEST(LiveSignals, NothingLeftAfterAnySignalMidRun) {
  CACHELAB_REQUIRE_REDIS();
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGKILL}) trial(sig, When::MidRun, false);
}

TEST(LiveSignals, NothingLeftAfterAnySignalDuringTeardown) {
  CACHELAB_REQUIRE_REDIS();
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGKILL}) trial(sig, When::Teardown, false);
}

}  // namespace
}  // namespace cachelab::live
