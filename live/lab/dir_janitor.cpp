#include "live/lab/dir_janitor.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <stdexcept>
#include <vector>

#include "live/lab/process.hpp"

extern char** environ;

namespace cachelab::live {
namespace {

constexpr int kAttempts = 10;  // rm -rf again while the tree is still there
constexpr long kRetryPauseNs = 200'000'000;

// The watcher, between fork and _exit: only async-signal-safe calls (the parent may have other threads, whose
// locks the child inherits in whatever state they were).
[[noreturn]] void watcher(int read_fd, char* const rm_argv[], const char* dir) {
  // A Ctrl-C in the terminal reaches the whole foreground process group: the watcher must outlive us, not die
  // with us. Its own group, and the termination signals ignored (it exits by itself as soon as we are gone).
  ::setpgid(0, 0);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) ::signal(sig, SIG_IGN);
  sigset_t none;
  ::sigemptyset(&none);
  ::sigprocmask(SIG_SETMASK, &none, nullptr);
  const int null = ::open("/dev/null", O_RDWR);
  ::dup2(read_fd, 0);
  if (null >= 0) {
    ::dup2(null, 1);
    ::dup2(null, 2);
  }
  // Nothing else of ours stays open here: no server sockets, and no other lab's pipe end (that lab's watcher
  // would otherwise wait for us too).
  if (::close_range(3, ~0U, 0) != 0)
    for (int i = 3; i < 4096; ++i) ::close(i);
  char byte;
  ssize_t n;
  while ((n = ::read(0, &byte, 1)) < 0 && errno == EINTR) {}
  if (n == 1) ::_exit(0);  // dismissed
  // Our owner is gone. Its servers die with it (PR_SET_PDEATHSIG) but may still be exiting: a file one of them
  // creates after rm walked past its directory fails the removal, so try again until the tree is gone.
  for (int attempt = 0; attempt < kAttempts; ++attempt) {
    const pid_t rm = ::fork();
    if (rm == 0) {
      ::execve(rm_argv[0], rm_argv, environ);
      ::_exit(127);
    }
    if (rm > 0) {
      int status;
      while (::waitpid(rm, &status, 0) < 0 && errno == EINTR) {}
    }
    struct stat st;
    if (::lstat(dir, &st) != 0 && errno == ENOENT) ::_exit(0);
    const timespec pause{0, kRetryPauseNs};
    ::nanosleep(&pause, nullptr);
  }
  ::_exit(1);
}

}  // namespace

DirJanitor::~DirJanitor() { dismiss(); }

void DirJanitor::watch(const std::string& dir) {
  dismiss();
  if (dir.empty() || dir[0] != '/') throw std::runtime_error("lab directory must be an absolute path: " + dir);
  const std::string rm = find_in_path("rm");
  if (rm.empty()) throw std::runtime_error("'rm' not found in PATH (needed to clean up the lab directory)");
  // Built before fork: the child must not allocate.
  std::vector<std::string> storage = {rm, "-rf", "--", dir};
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  // A socket pair, not a pipe: dismiss() can then send with MSG_NOSIGNAL, so a watcher that is already gone (killed
  // by someone) costs an EPIPE, not our life by SIGPIPE. EOF on our death works the same.
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  const pid_t pid = ::fork();
  if (pid < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  }
  if (pid == 0) watcher(fds[0], argv.data(), storage[3].c_str());
  ::close(fds[0]);
  pid_ = pid;
  write_fd_ = fds[1];
}

void DirJanitor::dismiss() {
  if (pid_ <= 0) return;
  const char byte = 'x';
  while (::send(write_fd_, &byte, 1, MSG_NOSIGNAL) < 0 && errno == EINTR) {}
  ::close(write_fd_);
  int status;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {}
  pid_ = -1;
  write_fd_ = -1;
}

}  // namespace cachelab::live
