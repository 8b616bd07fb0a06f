// The lab launcher against real redis-server processes: a 3-master/3-replica cluster comes up healthy, a
// standalone server too, and teardown (normal, or by SIGTERM to the owning process) leaves nothing behind.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"
#include "live/lab/pid_registry.hpp"

namespace cachelab::live {
namespace {

using namespace cachelab::live::testing;

TEST(LabLive, ThreeMastersThreeReplicasReachClusterStateOkAndTearDownClean) {
  CACHELAB_REQUIRE_REDIS();
  LabFootprint left;
  {
    Lab lab(cluster_config(3, 1));
    lab.start();
    ASSERT_EQ(lab.nodes().size(), 6u);
    int masters = 0, replicas = 0, slots = 0;
    for (const auto& n : lab.nodes()) {
      auto info = parse_info_fields(control_command(n.endpoint, {"CLUSTER", "INFO"}, 1000).str());
      EXPECT_EQ(info["cluster_state"], "ok") << n.name;
      EXPECT_EQ(info["cluster_known_nodes"], "6") << n.name;
      auto repl = parse_info_fields(control_command(n.endpoint, {"INFO", "replication"}, 1000).str());
      if (n.role == "master") {
        ++masters;
        EXPECT_EQ(repl["role"], "master");
        for (auto [a, b] : n.slot_ranges) slots += b - a + 1;
        EXPECT_EQ(n.name.rfind("master-", 0), 0u) << n.name;
      } else {
        ++replicas;
        EXPECT_EQ(repl["role"], "slave");
        EXPECT_EQ(repl["master_link_status"], "up") << n.name;
        EXPECT_EQ(n.name.rfind("replica-", 0), 0u) << n.name;
      }
      // Our own server, on loopback, with the config we wrote.
      auto server = parse_info_fields(control_command(n.endpoint, {"INFO", "server"}, 1000).str());
      EXPECT_EQ(server["process_id"], std::to_string(n.pid));
      auto bind = control_command(n.endpoint, {"CONFIG", "GET", "bind"}, 1000);
      EXPECT_EQ(bind.element(1).str(), "127.0.0.1");
      auto delay = control_command(n.endpoint, {"CONFIG", "GET", "repl-diskless-sync-delay"}, 1000);
      EXPECT_EQ(delay.element(1).str(), "0");
    }
    EXPECT_EQ(masters, 3);
    EXPECT_EQ(replicas, 3);
    EXPECT_EQ(slots, 16384);
    EXPECT_NO_THROW(lab.node("master-1"));
    EXPECT_NO_THROW(lab.node("replica-3-1"));
    left = footprint(lab);
    EXPECT_EQ(left.ports.size(), 12u);  // 6 client ports + 6 bus ports
    lab.teardown();
    EXPECT_FALSE(std::filesystem::exists(lab.root_dir()));
  }
  expect_nothing_left(left);
  EXPECT_EQ(registered_lab_pid_count(), 0);
}

TEST(LabLive, StandaloneServerStartsWithClusterDisabled) {
  CACHELAB_REQUIRE_REDIS();
  LabFootprint left;
  {
    Lab lab(standalone_config());
    lab.start();
    ASSERT_EQ(lab.nodes().size(), 1u);
    const auto& n = lab.nodes()[0];
    EXPECT_EQ(n.name, "standalone");
    auto cluster = parse_info_fields(control_command(n.endpoint, {"INFO", "cluster"}, 1000).str());
    EXPECT_EQ(cluster["cluster_enabled"], "0");
    left = footprint(lab);
  }  // the destructor tears down
  expect_nothing_left(left);
}

// The process that owns a lab gets SIGTERM: the signal handler must stop every server it registered.
TEST(LabLive, SigtermToTheOwnerLeavesNoServerBehind) {
  CACHELAB_REQUIRE_REDIS();
  int pipe_fds[2];
  ASSERT_EQ(::pipe2(pipe_fds, O_CLOEXEC), 0);
  pid_t owner = ::fork();
  ASSERT_GE(owner, 0);
  if (owner == 0) {
    ::close(pipe_fds[0]);
    install_teardown_signal_handlers();
    try {
      static Lab lab(cluster_config(3, 0));  // static: never destroyed normally, only the handler cleans up
      lab.start();
      // The root dir first (the handler cannot remove files, not async-signal-safe: the lab's DirJanitor does it
      // once this process is gone), then one (port, pid) record per node.
      char dir[256] = {};
      lab.root_dir().copy(dir, sizeof dir - 1);
      if (::write(pipe_fds[1], dir, sizeof dir) != sizeof dir) ::_exit(3);
      for (const auto& n : lab.nodes()) {
        int rec[2] = {n.endpoint.port, n.pid};
        if (::write(pipe_fds[1], rec, sizeof rec) != sizeof rec) ::_exit(3);
      }
      ::close(pipe_fds[1]);
      for (;;) ::pause();
    } catch (...) {
      ::_exit(4);
    }
  }
  ::close(pipe_fds[1]);
  LabFootprint f;
  char dir[256] = {};
  ASSERT_EQ(::read(pipe_fds[0], dir, sizeof dir), static_cast<ssize_t>(sizeof dir)) << "the lab did not start";
  int rec[2];
  while (::read(pipe_fds[0], rec, sizeof rec) == sizeof rec) {
    f.ports.push_back(rec[0]);
    f.ports.push_back(rec[0] + kClusterBusPortOffset);
    f.pids.push_back(rec[1]);
  }
  ::close(pipe_fds[0]);
  ASSERT_EQ(f.pids.size(), 3u) << "the lab did not start in the child";
  for (pid_t pid : f.pids) EXPECT_TRUE(process_state(pid).has_value());  // running before the signal
  ASSERT_EQ(::kill(owner, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(owner, &status, 0), owner);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << "owner exit status " << status;
  // SIGKILL is immediate, but the kernel needs a moment to close the sockets of the dead servers.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  auto all_gone = [&] {
    if (std::filesystem::exists(dir)) return false;
    for (pid_t pid : f.pids)
      if (auto s = process_state(pid); s && *s != 'Z') return false;
    for (int port : f.ports)
      if (port_has_listener(port)) return false;
    return true;
  };
  while (!all_gone() && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  expect_nothing_left(f);
  EXPECT_FALSE(std::filesystem::exists(dir)) << "the lab directory outlived its owner: " << dir;
  std::filesystem::remove_all(dir);
}

TEST(LabLive, RefusesAClusterOfFewerThanThreeMasters) {
  Lab lab(cluster_config(2, 0));
  try {
    lab.start();
    FAIL() << "started a 2-master cluster";
  } catch (const std::exception& e) {
    EXPECT_NE(std::string(e.what()).find("at least 3 masters"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace cachelab::live
