#pragma once
// One non-blocking TCP connection to one Redis node: bytes out, replies in (hiredis' reader parses RESP). No
// policy here (timeouts, retries, routing): ClusterClient drives it from its poll() loop.
#include <string>
#include <string_view>
#include <vector>

#include "live/client/endpoint.hpp"
#include "live/client/reply.hpp"

struct redisReader;

namespace cachelab::live {

// Appends a command in RESP (array of bulk strings) to `out`.
void append_resp_command(std::string& out, const std::vector<std::string>& args);
void append_resp_command(std::string& out, std::initializer_list<std::string_view> args);

class NodeConnection {
 public:
  explicit NodeConnection(Endpoint endpoint);
  ~NodeConnection();
  NodeConnection(const NodeConnection&) = delete;
  NodeConnection& operator=(const NodeConnection&) = delete;

  // Starts a non-blocking connect. False (and `error`) when it fails at once.
  bool open(std::string& error);
  void close();  // drops unsent bytes and the reader's partial input
  bool is_open() const { return fd_ >= 0; }
  bool connecting() const { return connecting_; }
  int fd() const { return fd_; }
  const Endpoint& endpoint() const { return endpoint_; }

  // After poll() reports the socket writable (or in error) while connecting: true when established.
  bool finish_connect(std::string& error);
  std::string& out() { return out_; }  // bytes to send: append with append_resp_command, then flush()
  bool wants_write() const { return out_offset_ < out_.size(); }
  // Writes what the socket takes now. False on a broken connection.
  bool flush(std::string& error);
  // Reads what is available; appends each complete reply. False on EOF, I/O or protocol error.
  bool read_replies(std::vector<Reply>& replies, std::string& error);

 private:
  Endpoint endpoint_;
  int fd_ = -1;
  bool connecting_ = false;
  std::string out_;
  size_t out_offset_ = 0;
  redisReader* reader_ = nullptr;
};

}  // namespace cachelab::live
