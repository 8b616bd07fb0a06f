#pragma once
// Classifying error replies, by their text (docs/redis-reference.md §2): the one classification of live mode, used by
// the cluster client and by the replay back-end (which maps it onto the simulator's ReplyKind).
#include <optional>
#include <string_view>

#include "live/client/endpoint.hpp"

namespace cachelab::live {

// CrossSlot: multi-key command over several slots. NoReplicas: min-replicas-to-write refused a write.
// Unavailable: the node cannot serve now (-LOADING, -MASTERDOWN, -BUSY): like a node that cannot be reached.
// Auth: the connection may not run commands at all (-NOAUTH, -WRONGPASS, -NOPERM): nothing the client can retry.
// Other: the command itself failed (-WRONGTYPE, -ERR ...): an application error, the node is fine.
enum class ErrorKind { Moved, Ask, TryAgain, ClusterDown, Oom, CrossSlot, NoReplicas, Unavailable, Auth, Other };

struct ClusterError {
  ErrorKind kind = ErrorKind::Other;
  int slot = -1;    // MOVED / ASK
  Endpoint target;  // MOVED / ASK
};

// `error_text` is the error reply without the leading '-' ("MOVED 3999 127.0.0.1:6381"). `replied_by` fills in
// an empty host (":6381"), which Redis 7 sends when it does not know its own announced address.
ClusterError classify_error(std::string_view error_text, const Endpoint& replied_by);

}  // namespace cachelab::live
