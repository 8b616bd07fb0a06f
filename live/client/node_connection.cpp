#include "live/client/node_connection.hpp"

#include <hiredis/hiredis.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cachelab::live {

void append_resp_command(std::string& out, const std::vector<std::string>& args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (const auto& a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
}

void append_resp_command(std::string& out, std::initializer_list<std::string_view> args) {
  out += '*';
  out += std::to_string(args.size());
  out += "\r\n";
  for (auto a : args) {
    out += '$';
    out += std::to_string(a.size());
    out += "\r\n";
    out += a;
    out += "\r\n";
  }
}

NodeConnection::NodeConnection(Endpoint endpoint) : endpoint_(std::move(endpoint)) {}

NodeConnection::~NodeConnection() { close(); }

bool NodeConnection::open(std::string& error) {
  close();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* res = nullptr;
  const std::string port = std::to_string(endpoint_.port);
  if (int rc = ::getaddrinfo(endpoint_.host.c_str(), port.c_str(), &hints, &res); rc != 0) {
    error = std::string("cannot resolve host: ") + ::gai_strerror(rc);
    return false;
  }
  int fd = ::socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    error = std::string("socket: ") + std::strerror(errno);
    ::freeaddrinfo(res);
    return false;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);  // small pipelined commands must not wait
  int rc = ::connect(fd, res->ai_addr, res->ai_addrlen);
  ::freeaddrinfo(res);
  if (rc != 0 && errno != EINPROGRESS) {
    error = std::strerror(errno);
    ::close(fd);
    return false;
  }
  fd_ = fd;
  connecting_ = rc != 0;
  reader_ = redisReaderCreate();
  // Keep the reader's buffer between replies, as redis-benchmark does (its createClient: "suppress hiredis cleanup of
  // unused buffers for max speed"). By default (REDIS_READER_MAX_BUF, 16 KB) hiredis frees an emptied buffer with
  // more than 16 KB unused, so every reply over 16 KB grows a new one; past 64 KB the growth crosses glibc's mmap
  // threshold (128 KB) and each reply paid an mmap, its page faults and a munmap: live GETs of 65,536 bytes ran at
  // half the rate of 65,000-byte ones (docs/redis-reference.md §12.4). The buffer then stays as large as the largest
  // reply the connection has read.
  if (reader_) reader_->maxbuf = 0;
  return true;
}

void NodeConnection::close() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  connecting_ = false;
  out_.clear();
  out_offset_ = 0;
  if (reader_) redisReaderFree(reader_);
  reader_ = nullptr;
}

bool NodeConnection::finish_connect(std::string& error) {
  int err = 0;
  socklen_t len = sizeof err;
  if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    error = std::strerror(err);
    return false;
  }
  connecting_ = false;
  return true;
}

bool NodeConnection::flush(std::string& error) {
  while (out_offset_ < out_.size()) {
    ssize_t n = ::send(fd_, out_.data() + out_offset_, out_.size() - out_offset_, MSG_NOSIGNAL);
    if (n > 0) {
      out_offset_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return true;
    error = std::string("send: ") + std::strerror(errno);
    return false;
  }
  out_.clear();
  out_offset_ = 0;
  return true;
}

bool NodeConnection::read_replies(std::vector<Reply>& replies, std::string& error) {
  char buf[64 * 1024];
  std::string broken;  // set on EOF or error; replies that arrived before it are still delivered
  for (;;) {
    ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
    if (n > 0) {
      if (redisReaderFeed(reader_, buf, static_cast<size_t>(n)) != REDIS_OK) {
        error = "protocol error";
        return false;
      }
      if (static_cast<size_t>(n) < sizeof buf) break;  // drained what the kernel had
      continue;
    }
    if (n == 0) {
      broken = "connection closed by server";
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    broken = std::string("recv: ") + std::strerror(errno);
    break;
  }
  for (;;) {
    void* raw = nullptr;
    if (redisReaderGetReply(reader_, &raw) != REDIS_OK) {
      error = std::string("protocol error: ") + reader_->errstr;
      return false;
    }
    if (!raw) break;
    replies.push_back(Reply::adopt(static_cast<redisReply*>(raw)));
  }
  if (!broken.empty()) {
    error = broken;
    return false;
  }
  return true;
}

}  // namespace cachelab::live
