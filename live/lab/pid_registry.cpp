#include "live/lab/pid_registry.hpp"

#include <signal.h>

#include <atomic>
#include <cstring>

namespace cachelab::live {
namespace {

constexpr int kMaxPids = 256;
static_assert(std::atomic<pid_t>::is_always_lock_free, "the signal handler needs lock-free PID slots");
std::atomic<pid_t> g_pids[kMaxPids];  // 0 = empty slot
std::atomic<bool> g_installed{false};

extern "C" void teardown_handler(int sig) {
  for (auto& slot : g_pids) {
    pid_t pid = slot.load(std::memory_order_relaxed);
    if (pid > 0) ::kill(pid, SIGKILL);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

}  // namespace

bool register_lab_pid(pid_t pid) {
  for (auto& slot : g_pids) {
    pid_t empty = 0;
    if (slot.compare_exchange_strong(empty, pid)) return true;
  }
  return false;
}

void unregister_lab_pid(pid_t pid) {
  for (auto& slot : g_pids) {
    pid_t expected = pid;
    if (slot.compare_exchange_strong(expected, 0)) return;
  }
}

int registered_lab_pid_count() {
  int n = 0;
  for (auto& slot : g_pids) n += slot.load() > 0 ? 1 : 0;
  return n;
}

void install_teardown_signal_handlers() {
  if (g_installed.exchange(true)) return;
  struct sigaction sa;
  std::memset(&sa, 0, sizeof sa);
  sa.sa_handler = teardown_handler;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

}  // namespace cachelab::live
