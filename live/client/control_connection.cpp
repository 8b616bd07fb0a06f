#include "live/client/control_connection.hpp"

#include <hiredis/hiredis.h>

#include <utility>

#include "live/client/credentials.hpp"

namespace cachelab::live {
namespace {

timeval to_timeval(int ms) { return timeval{ms / 1000, (ms % 1000) * 1000}; }

}  // namespace

ControlConnection::ControlConnection(const Endpoint& endpoint, int timeout_ms, const std::string& password)
    : endpoint_(endpoint) {
  ctx_ = redisConnectWithTimeout(endpoint.host.c_str(), endpoint.port, to_timeval(timeout_ms));
  if (!ctx_) throw ConnectionError("cannot reach " + endpoint.str() + ": out of memory");
  if (ctx_->err) {
    std::string why = ctx_->errstr;
    redisFree(ctx_);
    ctx_ = nullptr;
    throw ConnectionError("cannot reach " + endpoint.str() + ": " + why);
  }
  redisSetTimeout(ctx_, to_timeval(timeout_ms));
  const std::string pw = password.empty() ? password_for(endpoint) : password;
  if (!pw.empty()) {
    Reply r;
    try {
      r = command({"AUTH", pw});
    } catch (...) {
      // A node that dies between the connect and the AUTH reply (chaos, seeds going down): the constructor throws,
      // so no destructor frees the context (LeakSanitizer under make sanitize-full).
      redisFree(ctx_);
      ctx_ = nullptr;
      throw;
    }
    if (r.is_error()) {
      redisFree(ctx_);
      ctx_ = nullptr;
      throw AuthError(endpoint.str() + " refused the password: " + std::string(r.str()));
    }
  }
}

ControlConnection::~ControlConnection() {
  if (ctx_) redisFree(ctx_);
}

ControlConnection::ControlConnection(ControlConnection&& other) noexcept
    : endpoint_(std::move(other.endpoint_)), ctx_(std::exchange(other.ctx_, nullptr)), last_(std::move(other.last_)) {}

ControlConnection& ControlConnection::operator=(ControlConnection&& other) noexcept {
  if (this != &other) {
    if (ctx_) redisFree(ctx_);
    endpoint_ = std::move(other.endpoint_);
    ctx_ = std::exchange(other.ctx_, nullptr);
    last_ = std::move(other.last_);
  }
  return *this;
}

void ControlConnection::append(const std::vector<std::string>& args) {
  if (!ctx_ || ctx_->err) throw ConnectionError("connection to " + endpoint_.str() + " is broken");
  std::vector<const char*> argv;
  std::vector<size_t> argvlen;
  for (const auto& a : args) {
    argv.push_back(a.data());
    argvlen.push_back(a.size());
  }
  if (redisAppendCommandArgv(ctx_, static_cast<int>(args.size()), argv.data(), argvlen.data()) != REDIS_OK)
    throw ConnectionError("cannot queue " + (args.empty() ? std::string("a command") : args[0]) + " to " +
                          endpoint_.str());
  last_ = args.empty() ? std::string("command") : args[0];
}

Reply ControlConnection::read() {
  if (!ctx_) throw ConnectionError("connection to " + endpoint_.str() + " is broken");
  void* raw = nullptr;
  if (redisGetReply(ctx_, &raw) != REDIS_OK || !raw) {
    std::string why = ctx_->err ? ctx_->errstr : "no reply";
    if (why.find("Resource temporarily unavailable") != std::string::npos) why = "timed out";
    throw ConnectionError(last_ + " to " + endpoint_.str() + " failed: " + why);
  }
  return Reply::adopt(static_cast<redisReply*>(raw));
}

Reply ControlConnection::command(const std::vector<std::string>& args) {
  append(args);
  return read();
}

Reply no_error(Reply r) {
  if (r.is_error()) throw std::runtime_error("redis error: " + std::string(r.str()));
  return r;
}

std::string reply_text(const Reply& r) {
  switch (r.type()) {
    case Reply::Type::String:
    case Reply::Type::Status:
    case Reply::Type::Error:
      return std::string(r.str());
    case Reply::Type::Integer:
      return std::to_string(r.integer());
    default:
      return "";
  }
}

Reply control_command(const Endpoint& endpoint, const std::vector<std::string>& args, int timeout_ms,
                      const std::string& password) {
  ControlConnection c(endpoint, timeout_ms, password);
  return c.command(args);
}

}  // namespace cachelab::live
