#pragma once
// Reading untrusted input files with bounded memory and no hang (issue 21): only regular files are read (a FIFO,
// a terminal or /dev/zero would block or never end), and a file larger than the caller's limit is refused before
// it is read, with the limit named in the message.
#include <cstdint>
#include <stdexcept>
#include <string>

#include <sys/stat.h>

namespace cachelab::io {

// The message says what was wrong ("'x': a FIFO (named pipe), not a regular file; special files are refused").
// Callers wrap it into their own error type (ScenarioError, TraceError, ResultsError).
struct InputError : std::runtime_error {
  InputError(const std::string& path_text, std::string found)
      : std::runtime_error(path_text + ": " + found), found_(std::move(found)) {}
  // What was found, without the path ("a FIFO (named pipe), not a regular file; ...").
  const std::string& found() const { return found_; }

 private:
  std::string found_;
};

// Reads the whole of `path`, at most `max_bytes` bytes. `what` names the input in messages ("scenario file").
// Throws InputError: cannot be opened, not a regular file, or larger than `max_bytes`.
std::string read_regular_file(const std::string& path, uint64_t max_bytes, const std::string& what);

// Opens `path` for reading when it is a regular file, and fills `st`; the caller closes the descriptor (a streamed
// trace). Throws InputError as read_regular_file does.
int open_regular_file(const std::string& path, const std::string& what, struct ::stat& st);

// "16 MiB", "4 GiB", "1000 bytes": a limit for people.
std::string bytes_text(uint64_t bytes);

// Half of the machine's physical memory (a ceiling for inputs that are held in memory whole, such as traces).
uint64_t half_physical_memory_bytes();

}  // namespace cachelab::io
