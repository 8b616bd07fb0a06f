#pragma once
// Runs the cachelab-live binary as a child the test can signal: its PID, its output (stdout + stderr, read from a
// pipe as it comes) and extra environment entries. popen (cli_run.hpp) gives no PID.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

extern char** environ;

namespace cachelab::live::testing {

class LiveChild {
 public:
  // argv[1..] for cachelab-live; env: "NAME=value" entries added to the test's environment.
  LiveChild(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    std::vector<std::string> argv_s = {CACHELAB_LIVE_BINARY};
    argv_s.insert(argv_s.end(), args.begin(), args.end());
    std::vector<std::string> env_s = env;
    for (char** e = environ; *e; ++e) env_s.emplace_back(*e);  // the first of a name wins in getenv
    std::vector<char*> argv, envp;
    for (auto& a : argv_s) argv.push_back(a.data());
    argv.push_back(nullptr);
    for (auto& e : env_s) envp.push_back(e.data());
    envp.push_back(nullptr);
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return;
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(fds[1], 1);
      ::dup2(fds[1], 2);
      ::execve(argv[0], argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(fds[1]);
    fd_ = fds[0];
    ::fcntl(fd_, F_SETFL, O_NONBLOCK);
  }
  ~LiveChild() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      wait(std::chrono::seconds(10));
    }
    if (fd_ >= 0) ::close(fd_);
  }
  LiveChild(const LiveChild&) = delete;
  LiveChild& operator=(const LiveChild&) = delete;

  pid_t pid() const { return pid_; }
  const std::string& output() const { return out_; }

  // Reads output until `text` appears (true) or the child ends or the time is up (false).
  bool wait_for(const std::string& text, std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (out_.find(text) == std::string::npos) {
      if (!read_some(20) && (status_ || reap())) return out_.find(text) != std::string::npos;
      if (std::chrono::steady_clock::now() >= deadline) return false;
    }
    return true;
  }
  // Waits for the child to end (reading its output meanwhile); its waitpid status, or nullopt at the deadline.
  std::optional<int> wait(std::chrono::milliseconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    while (!status_ && !reap()) {
      read_some(20);
      if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    }
    while (read_some(0)) {}
    return status_;
  }
  bool running() { return !status_ && !reap(); }

 private:
  // True when bytes came.
  bool read_some(int timeout_ms) {
    if (fd_ < 0) return false;
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) return false;
    char buf[4096];
    const ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n <= 0) return false;
    out_.append(buf, static_cast<size_t>(n));
    return true;
  }
  bool reap() {
    int st = 0;
    if (pid_ <= 0) return true;
    if (::waitpid(pid_, &st, WNOHANG) == pid_) status_ = st;
    return status_.has_value();
  }

  pid_t pid_ = -1;
  int fd_ = -1;
  std::string out_;
  std::optional<int> status_;
};

}  // namespace cachelab::live::testing
