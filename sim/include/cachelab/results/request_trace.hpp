#pragma once
// requests.jsonl (results/README.md, "requests.jsonl"): the requests `cachelab run --trace-requests N` followed, each
// with its hops in order, in virtual time. Written by the run session (both modes' client logic records the same
// hops, client/request_tracer.hpp), read back here, typed, for the GUI's requests view and tests. Plain structs, no
// Qt. Every value the GUI shows is in the file: the reader derives nothing.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "cachelab/results/reader.hpp"

namespace cachelab::results {

// One hop. `type` says which fields mean something (the others keep their defaults); results/README.md lists them.
struct TraceHop {
  std::int64_t t_ns = 0;  // virtual time since the run's start
  std::string type;       // issue, start, send, pool_wait, pool_granted, breaker_open, reply, retry, db_query,
                          // db_service, db_reply, l1_hit, single_flight, lock_wait, xfetch_early, stale_served,
                          // done, end
  std::string node;       // send, pool_wait, pool_granted, breaker_open, reply: the cache node
  std::string cmd;        // send: GET, SET, DEL, INCR, MGET, MSET
  std::string purpose;    // send: read, fill, lock, unlock, write, invalidate, update, incr, mget, mget_fill
  std::string via;        // send: slot_map, ask, replica, standalone, sharding
  int slot = -1;          // send: the slot the client computed (-1: none, standalone or client-side sharding)
  bool asking = false, readonly = false;  // send
  int key_count = 1;                      // send
  std::string reply;             // reply: value, nil, ok, moved, ask, tryagain, clusterdown, oom, timeout, connection,
                                 // crossslot, noreplicas, error
  std::string target;            // reply moved / ask: the node the reply names
  std::int64_t value_bytes = 0;  // reply value
  int attempt = 0;               // retry
  std::int64_t delay_ns = 0;     // retry: the backoff; lock_wait: the poll interval
  bool write = false;            // db_query
  std::int64_t queue_ns = 0;     // db_service: time in the database's queue
  std::int64_t service_ns = 0;   // db_service: the service time drawn
  std::string outcome;           // db_reply: ok, timeout, rejected; done: ok, failed
  bool hit = false;              // done
  std::string fail;              // done: "" or origin, cache, buffer_full
  std::int64_t latency_ns = 0;   // done
};

struct TracedRequest {
  std::uint64_t seq = 0;  // the request's number in the run (0, 1, 2, ... in arrival order)
  int client = 0;         // client instance
  std::string op;         // get, set, del, incr, mget, mset
  std::string key;        // the key's name (the first key of a multi-key request)
  std::uint64_t key_number = 0;
  int key_count = 1;
  std::string hashed;       // the part of the name CRC16 hashes (the hash tag, or the whole name)
  int crc16 = 0;            // CRC16/XMODEM of `hashed`
  int slot = 0;             // crc16 mod 16384 (CLUSTER KEYSLOT)
  std::int64_t due_ns = 0;  // when the application issued it
  bool measured = false;    // issued after the warm-up
  std::string outcome;      // ok, failed, in_flight (no answer by the end of the run)
  std::string fail;         // failed: origin, cache, buffer_full; else ""
  bool hit = false;
  bool degraded = false;         // the cache was unavailable to it (connection, CLUSTERDOWN, timeout)
  std::string cache_error;       // the first error reply that ended one of its cache commands, or ""
  std::int64_t latency_ns = -1;  // due -> answer; -1 when in flight at the end
  int redirects = 0;             // MOVED and ASK replies followed
  int retries = 0;
  int db_queries = 0;
  std::vector<std::string> nodes;  // cache nodes it touched, in order of first contact
  bool hops_truncated = false;     // more hops than the file keeps (256)
  std::vector<TraceHop> hops;
};

struct RequestTraceFile {
  int format = 1;           // `cachelab_requests` of the header line
  std::string sample;       // how the requests were chosen ("bottom-k hash of seq")
  std::uint64_t limit = 0;  // --trace-requests N
  std::uint64_t seen = 0;   // requests the run issued to the client logic
  std::uint64_t seed = 0;
  double from_s = 0, to_s = kMissing;   // the window of due times sampled (to_s NaN: the end of the run)
  std::vector<TracedRequest> requests;  // in seq order
};

// The file's text: a header line, then one request per line.
std::string format_requests_jsonl(const RequestTraceFile& f);
// Throws ResultsError naming the file, the line, what was expected and what was found.
RequestTraceFile parse_requests_jsonl(std::string_view text, const std::string& file);
// DIR/requests.jsonl (a regular file within kMaxTableFileBytes). Throws ResultsError, also when it is absent.
RequestTraceFile load_requests(const std::filesystem::path& run_dir);
inline constexpr const char* kRequestsFile = "requests.jsonl";

// The part of a key's name that CRC16 hashes: the hash tag (between the first '{' and the first '}' after it, when
// not empty), else the whole name (docs/redis-reference.md §1.2).
std::string hashed_part(const std::string& key);

}  // namespace cachelab::results
