#pragma once
// What the cluster client reports: the outcome of one request, and counters of every cluster event it handled.
// The counter names follow summary.json's `errors` object (docs/design.md §5).
#include <cstdint>
#include <functional>
#include <string>

#include "live/client/endpoint.hpp"
#include "live/client/reply.hpp"

namespace cachelab::live {

enum class Status {
  Ok,                // a reply that is not an error (nil included: a miss is Ok with reply.is_nil())
  ErrorReply,        // an error reply the client does not handle (WRONGTYPE, CROSSSLOT, ...)
  Oom,               // -OOM: maxmemory reached under noeviction
  Timeout,           // no reply before the request's deadline
  Connection,        // the deadline passed while the node could not be reached
  TryAgain,          // still -TRYAGAIN after the allowed retries
  ClusterDown,       // still -CLUSTERDOWN after the allowed retries
  TooManyRedirects,  // MOVED/ASK chain longer than max_redirects
};
const char* to_string(Status status);

struct Result {
  Status status = Status::Ok;
  Reply reply;             // the final reply (when there was one)
  std::string error;       // human-readable cause when status != Ok
  Endpoint served_by;      // the node that gave the final reply (or the last one tried)
  int redirects = 0;       // MOVED + ASK followed for this request
  int retries = 0;         // TRYAGAIN / CLUSTERDOWN / connection retries
  int64_t latency_us = 0;  // from the intended start (or submission) to completion
};

using Callback = std::function<void(const Result&)>;

// Events seen, not outcomes: one request that is MOVED twice counts 2 in `moved`.
struct ClientCounters {
  uint64_t submitted = 0;
  uint64_t completed = 0;
  uint64_t moved = 0;
  uint64_t ask = 0;
  uint64_t tryagain = 0;
  uint64_t clusterdown = 0;
  uint64_t oom = 0;
  uint64_t timeout = 0;         // requests that ended as Timeout
  uint64_t connection = 0;      // connection failures (failed connect, reset, EOF), per event
  uint64_t reconnects = 0;      // successful connects to a node that had been connected before
  uint64_t slot_refreshes = 0;  // CLUSTER SLOTS answers loaded
  uint64_t retries = 0;
};

}  // namespace cachelab::live
