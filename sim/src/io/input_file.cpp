#include "cachelab/io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cachelab/io/text.hpp"

namespace cachelab::io {

namespace {

const char* special_kind(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO (named pipe)";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISSOCK(m)) return "a socket";
  return "a special file";
}

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

}  // namespace

std::string bytes_text(uint64_t bytes) {
  const char* units[] = {"bytes", "KiB", "MiB", "GiB", "TiB"};
  int u = 0;
  uint64_t v = bytes;
  while (u < 4 && v >= 1024 && v % 1024 == 0) v /= 1024, ++u;
  return std::to_string(v) + " " + units[u];
}

uint64_t half_physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return uint64_t{4} << 30;
  return static_cast<uint64_t>(pages) / 2 * static_cast<uint64_t>(page);
}

int open_regular_file(const std::string& path, const std::string& what, struct stat& st) {
  // Appended, not "'" + ... + "'": GCC 12 warns falsely (-Wrestrict) on that inlined operator+.
  std::string name(1, '\'');
  name.append(printable(path)).push_back('\'');
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer; it is refused below anyway.
  Fd f{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)};
  if (f.fd < 0) {
    const int err = errno;
    throw InputError(name, "a " + what + " that cannot be opened (" + std::strerror(err) + ")");
  }
  if (::fstat(f.fd, &st) != 0)
    throw InputError(name, "a " + what + " that cannot be read (" + std::strerror(errno) + ")");
  if (!S_ISREG(st.st_mode))
    throw InputError(name, std::string(special_kind(st.st_mode)) + ", not a regular file (the " + what +
                               " must be one: special files are refused, they may never end or may block)");
  const int fd = f.fd;
  f.fd = -1;
  return fd;
}

std::string read_regular_file(const std::string& path, uint64_t max_bytes, const std::string& what) {
  std::string name(1, '\'');
  name.append(printable(path)).push_back('\'');
  struct stat st {};
  Fd f{open_regular_file(path, what, st)};
  if (static_cast<uint64_t>(st.st_size) > max_bytes)
    throw InputError(name, "a " + what + " of " + std::to_string(st.st_size) + " bytes, more than the limit of " +
                               bytes_text(max_bytes));
  // Read what is there, one byte past the limit at most: a file that grows while it is read is still bounded.
  std::string out;
  out.resize(static_cast<size_t>(st.st_size));
  size_t got = 0;
  char probe = 0;
  for (;;) {
    char* dst = got < out.size() ? out.data() + got : &probe;
    const size_t room = got < out.size() ? out.size() - got : 1;
    const ssize_t n = ::read(f.fd, dst, room);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw InputError(name, "an error reading the " + what + " (" + std::strerror(errno) + ")");
    }
    if (n == 0) break;
    if (got >= out.size()) {  // the file grew since fstat
      if (out.size() + 1 > max_bytes)
        throw InputError(name, "a " + what + " that grew past the limit of " + bytes_text(max_bytes) + " while read");
      out.push_back(probe);
      ++got;
      out.resize(std::min<uint64_t>(max_bytes, out.size() * 2 + 4096));
      continue;
    }
    got += static_cast<size_t>(n);
  }
  out.resize(got);
  return out;
}

}  // namespace cachelab::io
