#include "live/replay/fatal_guard.hpp"

namespace cachelab::live {

void FatalReplyGuard::auth_refused(std::string_view text, const Endpoint& from) {
  if (tripped()) return;
  why_ = from.str() + " refused the run's commands: " + std::string(text);
  if (text.starts_with("NOAUTH"))
    why_ += " (the server requires a password: set CACHELAB_REDIS_PASSWORD)";
  else if (text.starts_with("WRONGPASS"))
    why_ += " (check CACHELAB_REDIS_PASSWORD)";
  else if (text.starts_with("NOPERM"))
    why_ += " (the user needs GET, SET, DEL, INCR, MGET, MSET and CLUSTER SLOTS on the run's keys)";
}

void FatalReplyGuard::reply(bool error_reply, std::string_view text, const Endpoint& from) {
  if (!error_reply) {
    streak_ = 0;
    return;
  }
  if (++streak_ < kStreak || tripped()) return;
  why_ = "every command fails: the last " + std::to_string(kStreak) +
         " replies were errors and none succeeded in between; the last one, from " + from.str() + ": " +
         std::string(text);
}

}  // namespace cachelab::live
