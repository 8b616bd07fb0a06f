#pragma once
// A blocking connection for control and readiness checks (PING, INFO, CLUSTER ...), one command at a time.
// Not the data path: requests of the workload go through ClusterClient's pipelined poll loop.
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "live/client/endpoint.hpp"
#include "live/client/reply.hpp"

struct redisContext;

namespace cachelab::live {

// Could not connect, or the connection broke or timed out mid-command. what() names the endpoint and the cause.
class ConnectionError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// AUTH was refused (-WRONGPASS and the like). A ConnectionError too, so probes that retry on connection errors
// keep working; callers that must tell the user (a wrong password is bad input) catch it first.
class AuthError : public ConnectionError {
 public:
  using ConnectionError::ConnectionError;
};

class ControlConnection {
 public:
  // Connects with `timeout_ms` for the connect and for every later read/write, then sends AUTH with `password`,
  // or with the lab's password for this endpoint (credentials.hpp) when `password` is empty. Throws
  // ConnectionError, or AuthError when AUTH is refused.
  ControlConnection(const Endpoint& endpoint, int timeout_ms, const std::string& password = {});
  ~ControlConnection();
  ControlConnection(ControlConnection&&) noexcept;
  ControlConnection& operator=(ControlConnection&&) noexcept;

  // Error replies are returned (Reply::is_error), I/O failures throw ConnectionError; after one, the connection
  // is unusable.
  Reply command(const std::vector<std::string>& args);
  // Pipelining for bulk loads: append() queues a command without waiting; read() returns the replies in order
  // (and sends what is queued first). The same error rules as command().
  void append(const std::vector<std::string>& args);
  Reply read();
  const Endpoint& endpoint() const { return endpoint_; }

 private:
  Endpoint endpoint_;
  redisContext* ctx_ = nullptr;
  std::string last_ = "command";  // the last command queued, for messages
};

// For tools that treat an error reply as a failure: throws std::runtime_error("redis error: ...") on one, else
// returns the reply.
Reply no_error(Reply r);
// A string, status or integer reply as text ("" for others).
std::string reply_text(const Reply& r);

// One command on a fresh connection.
Reply control_command(const Endpoint& endpoint, const std::vector<std::string>& args, int timeout_ms,
                      const std::string& password = {});

}  // namespace cachelab::live
