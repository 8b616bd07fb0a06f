// Port claims are machine-wide: a port this process claimed stays locked for every other process until it is
// released, even while nothing is bound to it (a lab restarting a node it killed on purpose). The CI run of stop 17
// failed on exactly that: a parallel test took the port of a killed master before the lab restarted it.
#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include "gtest/gtest.h"
#include "live/lab/free_port.hpp"

namespace cachelab::live {
namespace {

std::string lock_file(int port) {
  const char* tmp = std::getenv("TMPDIR");
  std::string dir = (tmp != nullptr && *tmp != '\0') ? tmp : "/tmp";
  return dir + "/cachelab-port-locks-" + std::to_string(::getuid()) + "/" + std::to_string(port) + ".lock";
}

// Exit status of util-linux `flock -n FILE true` run as another process: 0 when it could take the lock, 1 when
// someone holds it.
int other_process_locks(int port) {
  const std::string cmd = "flock -n '" + lock_file(port) + "' true";
  const int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(FreePort, AClaimIsLockedForOtherProcessesUntilReleased) {
  if (std::system("command -v flock >/dev/null 2>&1") != 0) GTEST_SKIP() << "util-linux flock not installed";
  const std::vector<int> ports = claim_free_ports(2, /*need_bus_port=*/true);
  ASSERT_EQ(ports.size(), 2u);
  EXPECT_NE(ports[0], ports[1]);
  for (int p : ports) {
    EXPECT_EQ(other_process_locks(p), 1) << "client port " << p << " is claimed but another process could lock it";
    EXPECT_EQ(other_process_locks(p + kClusterBusPortOffset), 1) << "bus port of " << p;
  }
  // A second claim in this process never returns a port it already holds.
  const std::vector<int> more = claim_free_ports(3, true);
  for (int q : more)
    for (int p : ports) EXPECT_NE(q, p);
  release_ports(more);
  release_ports(ports);
  for (int p : ports) {
    EXPECT_EQ(other_process_locks(p), 0) << "port " << p << " still locked after release";
    EXPECT_EQ(other_process_locks(p + kClusterBusPortOffset), 0);
  }
}

TEST(FreePort, APortAnotherProcessHoldsIsNotClaimedEvenWhenNothingIsBound) {
  if (std::system("command -v flock >/dev/null 2>&1") != 0) GTEST_SKIP() << "util-linux flock not installed";
  const int port = claim_free_ports(1, false)[0];
  release_ports({port});
  // Another process (a forked child) holds the claim of that port while nothing is bound to it; it says so through
  // a pipe, so the test never races it.
  int ready[2];
  ASSERT_EQ(::pipe(ready), 0);
  const pid_t holder = ::fork();
  ASSERT_GE(holder, 0);
  if (holder == 0) {
    const int fd = ::open(lock_file(port).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    const char ok = (fd >= 0 && ::flock(fd, LOCK_EX) == 0) ? '1' : '0';
    (void)!::write(ready[1], &ok, 1);
    for (;;) ::pause();
  }
  char ok = 0;
  ASSERT_EQ(::read(ready[0], &ok, 1), 1);
  ASSERT_EQ(ok, '1');
  EXPECT_EQ(other_process_locks(port), 1);
  EXPECT_TRUE(loopback_port_free(port));
  EXPECT_FALSE(try_claim_port(port, false)) << "claimed port " << port << " that another process holds";
  // Once the holder is gone the port can be claimed again: the kernel drops a dead process's lock.
  ::kill(holder, SIGKILL);
  ::waitpid(holder, nullptr, 0);
  ::close(ready[0]);
  ::close(ready[1]);
  EXPECT_EQ(other_process_locks(port), 0);
  EXPECT_TRUE(try_claim_port(port, false));
  release_ports({port});
}

}  // namespace
}  // namespace cachelab::live
