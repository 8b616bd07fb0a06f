#pragma once
// Redis 7's error reply texts for the errors the simulator's nodes answer with an enum (ReplyKind). Kept here,
// verbatim, so what cachelab prints and what the live client classifies can be checked against a real server
// (tests/live/validation_live_test.cpp asks one).
#include <string_view>

namespace cachelab::redis_text {

// server.c:1762 (shared.oomerr), refused for CMD_DENYOOM commands when performEvictions fails (docs/redis-reference.md
// §7.2).
inline constexpr std::string_view kOom = "OOM command not allowed when used memory > 'maxmemory'.";

}  // namespace cachelab::redis_text
