#pragma once
// Removes a lab's temporary directory when this process dies, however it dies (SIGKILL included): a forked
// watcher process waits on a socket whose only other end is ours; EOF (we are gone, our fds closed by the kernel) means
// "remove it", one byte means "the lab removed it itself, just exit". A signal handler could not do this (removing
// a tree is not async-signal-safe) and nothing at all runs in a SIGKILLed process.
#include <sys/types.h>

#include <string>

namespace cachelab::live {

class DirJanitor {
 public:
  DirJanitor() = default;
  ~DirJanitor();  // dismiss()
  DirJanitor(const DirJanitor&) = delete;
  DirJanitor& operator=(const DirJanitor&) = delete;

  // Starts watching `dir` (an absolute path). Throws std::runtime_error when rm or fork are not available.
  void watch(const std::string& dir);
  // The owner removed the directory (or keeps it on purpose): the watcher exits without touching anything.
  // Idempotent.
  void dismiss();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int write_fd_ = -1;
};

}  // namespace cachelab::live
