#pragma once
// Child processes of the lab (redis-server, redis-cli), handled by PID only: never by name, never by group-wide
// kill, so we can only ever touch processes we started.
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace cachelab::live {

struct SpawnSpec {
  std::string program;            // looked up in PATH before fork (execve in the child is async-signal-safe)
  std::vector<std::string> args;  // argv[1..]
  std::string output_path;        // stdout and stderr go here (appended); empty = /dev/null
  bool die_with_parent = true;    // PR_SET_PDEATHSIG: servers never outlive a crashed or SIGKILLed cachelab
  // "NAME=value" entries added to (or replacing in) the child's environment only, e.g. REDISCLI_AUTH: a secret
  // passed so is never on any argv (ps) and never in our own environment.
  std::vector<std::string> env;
};

// fork + execve. The child gets its own process group (a terminal Ctrl-C reaches only us, and our teardown
// decides what happens to the servers), an empty signal mask and, with die_with_parent, SIGKILL when we die.
// Throws std::runtime_error when the program is not found or fork fails.
pid_t spawn_process(const SpawnSpec& spec);

// Full path of `program` from PATH, or empty when it is not there.
std::string find_in_path(const std::string& program);

// waitpid(WNOHANG): the exit status (as waitpid encodes it) when the child has ended and is now reaped.
std::optional<int> try_reap(pid_t pid);

// Ends a child we started: SIGCONT (a paused server cannot act on SIGTERM), SIGTERM, up to grace_ms for it to
// exit, then SIGKILL, and always reaps it (no <defunct> left). Safe on an already reaped PID of ours.
void terminate_process(pid_t pid, int grace_ms);

// SIGKILL and reap.
void kill_process(pid_t pid);

// The state letter of /proc/PID/stat ('R', 'S', 'T' stopped, 'Z' zombie, ...), or nullopt when PID is gone.
std::optional<char> process_state(pid_t pid);

// Runs a program to completion (with a deadline, after which it is killed), capturing stdout+stderr.
struct RunResult {
  int exit_code = -1;  // -1 when killed or timed out
  bool timed_out = false;
  std::string output;
};
RunResult run_to_completion(const std::string& program, const std::vector<std::string>& args, int timeout_ms,
                            const std::string& output_path, const std::vector<std::string>& env = {});

}  // namespace cachelab::live
