#include "live/lab/process.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <thread>

#include "live/lab/pid_registry.hpp"

extern char** environ;

namespace cachelab::live {

std::string find_in_path(const std::string& program) {
  if (program.find('/') != std::string::npos) return ::access(program.c_str(), X_OK) == 0 ? program : "";
  const char* path = std::getenv("PATH");
  std::stringstream dirs(path ? path : "/usr/local/bin:/usr/bin:/bin");
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) dir = ".";
    std::string full = dir;
    full += '/';
    full += program;
    if (::access(full.c_str(), X_OK) == 0) return full;
  }
  return "";
}

pid_t spawn_process(const SpawnSpec& spec) {
  const std::string path = find_in_path(spec.program);
  if (path.empty()) throw std::runtime_error("'" + spec.program + "' not found in PATH");
  // Everything the child needs is prepared here: between fork and exec only async-signal-safe calls are allowed.
  std::vector<std::string> storage;
  storage.push_back(path);
  storage.insert(storage.end(), spec.args.begin(), spec.args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  argv.push_back(nullptr);
  const char* out = spec.output_path.empty() ? "/dev/null" : spec.output_path.c_str();
  // The child's environment: ours, minus the names spec.env sets, plus spec.env.
  std::vector<std::string> env_storage;
  for (char** e = environ; e && *e; ++e) {
    const std::string_view entry(*e);
    bool replaced = false;
    for (const auto& add : spec.env)
      replaced |= entry.substr(0, entry.find('=') + 1) == std::string_view(add).substr(0, add.find('=') + 1);
    if (!replaced) env_storage.emplace_back(entry);
  }
  env_storage.insert(env_storage.end(), spec.env.begin(), spec.env.end());
  std::vector<char*> envp;
  for (auto& e : env_storage) envp.push_back(e.data());
  envp.push_back(nullptr);
  const pid_t parent = ::getpid();

  pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error(std::string("fork failed: ") + std::strerror(errno));
  if (pid == 0) {
    ::setpgid(0, 0);
    if (spec.die_with_parent) {
      ::prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (::getppid() != parent) ::_exit(127);  // the parent died before prctl took effect
    }
    sigset_t none;
    ::sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    int in = ::open("/dev/null", O_RDONLY);
    int fd = ::open(out, O_WRONLY | O_CREAT | O_APPEND, 0644);
    if (in >= 0) ::dup2(in, 0);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    // Nothing of ours leaks into the server: no sockets, no pipe ends (a pipe end held by a server would keep
    // a reader waiting for EOF forever).
    if (::close_range(3, ~0U, 0) != 0)
      for (int i = 3; i < 4096; ++i) ::close(i);
    ::execve(argv[0], argv.data(), envp.data());
    ::_exit(127);
  }
  // Also set from the parent: whichever runs first, the group exists before anyone signals it.
  ::setpgid(pid, pid);
  return pid;
}

std::optional<int> try_reap(pid_t pid) {
  int status = 0;
  pid_t r = ::waitpid(pid, &status, WNOHANG);
  if (r == pid) return status;
  if (r < 0 && errno == ECHILD) return -1;  // already reaped (or not ours): nothing left to wait for
  return std::nullopt;
}

void terminate_process(pid_t pid, int grace_ms) {
  if (pid <= 0) return;
  if (try_reap(pid)) {
    unregister_lab_pid(pid);
    return;
  }
  ::kill(pid, SIGCONT);
  ::kill(pid, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(grace_ms);
  while (std::chrono::steady_clock::now() < deadline) {
    if (try_reap(pid)) {
      unregister_lab_pid(pid);
      return;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  kill_process(pid);
}

void kill_process(pid_t pid) {
  if (pid <= 0) return;
  ::kill(pid, SIGKILL);
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
  unregister_lab_pid(pid);
}

std::optional<char> process_state(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  // Format: "PID (comm) S ...": comm may contain spaces and parentheses, so look after the last ')'.
  auto close = line.rfind(')');
  if (close == std::string::npos || close + 2 >= line.size()) return std::nullopt;
  return line[close + 2];
}

RunResult run_to_completion(const std::string& program, const std::vector<std::string>& args, int timeout_ms,
                            const std::string& output_path, const std::vector<std::string>& env) {
  ::unlink(output_path.c_str());
  SpawnSpec spec{program, args, output_path, true, env};
  pid_t pid = spawn_process(spec);
  register_lab_pid(pid);
  RunResult result;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
  for (;;) {
    if (auto status = try_reap(pid)) {
      unregister_lab_pid(pid);
      if (WIFEXITED(*status)) result.exit_code = WEXITSTATUS(*status);
      break;
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      kill_process(pid);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::ifstream in(output_path);
  std::stringstream text;
  text << in.rdbuf();
  result.output = text.str();
  return result;
}

}  // namespace cachelab::live
