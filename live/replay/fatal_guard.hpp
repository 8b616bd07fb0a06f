#pragma once
// Replies after which a live run cannot give a meaningful result, so the driver stops it (exit 1, no run
// directory) instead of writing a complete-looking run of failures:
//   - AUTH refused, or -NOAUTH / -WRONGPASS / -NOPERM on a command: no command of the run will ever succeed
//     (a missing or wrong password, an ACL user without the commands cachelab needs);
//   - an unbroken streak of kStreak error replies (-ERR, -WRONGTYPE ...) with no good reply in between: an error
//     that hits every command, whatever its text (a few failing INCRs among good replies are results, not this).
#include <cstdint>
#include <string>
#include <string_view>

#include "live/client/endpoint.hpp"

namespace cachelab::live {

class FatalReplyGuard {
 public:
  static constexpr uint64_t kStreak = 1000;

  // The server refused authentication or the command for lack of rights.
  void auth_refused(std::string_view error_text, const Endpoint& from);
  // Any reply of a data command: `error_reply` for one of no handled kind (ReplyKind::Error).
  void reply(bool error_reply, std::string_view error_text, const Endpoint& from);

  bool tripped() const { return !why_.empty(); }
  const std::string& why() const { return why_; }  // the first reason, for the user

 private:
  uint64_t streak_ = 0;
  std::string why_;
};

}  // namespace cachelab::live
