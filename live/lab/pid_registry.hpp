#pragma once
// The PIDs of every lab process alive in this process, readable from a signal handler. A process-wide table is
// unavoidable here: a signal handler has no other way to find the servers it must stop.
#include <sys/types.h>

namespace cachelab::live {

// Lock-free, allocation-free: safe to call anywhere. Returns false when the table (256 entries) is full, in which
// case that PID is still torn down normally but not by the signal handler.
bool register_lab_pid(pid_t pid);
void unregister_lab_pid(pid_t pid);

// Number of registered PIDs (tests use it to check teardown forgot nothing).
int registered_lab_pid_count();

// Installs handlers for SIGINT, SIGTERM and SIGHUP that SIGKILL every registered PID (kill(2) is
// async-signal-safe; the handler does nothing else), then restore the default action and re-raise the signal,
// so the process ends the way the signal asked. SIGKILLed servers are reparented and reaped by init once we die.
// Idempotent.
void install_teardown_signal_handlers();

}  // namespace cachelab::live
