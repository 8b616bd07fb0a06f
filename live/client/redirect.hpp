#pragma once
// Classifying error replies the cluster client acts on (redis-cluster.md §2).
#include <optional>
#include <string_view>

#include "live/client/endpoint.hpp"

namespace cachelab::live {

enum class ErrorKind { Moved, Ask, TryAgain, ClusterDown, Oom, Other };

struct ClusterError {
  ErrorKind kind = ErrorKind::Other;
  int slot = -1;      // MOVED / ASK
  Endpoint target;    // MOVED / ASK
};

// `error_text` is the error reply without the leading '-' ("MOVED 3999 127.0.0.1:6381"). `replied_by` fills in
// an empty host (":6381"), which Redis 7 sends when it does not know its own announced address.
ClusterError classify_error(std::string_view error_text, const Endpoint& replied_by);

}  // namespace cachelab::live
