#pragma once
// A request trace held in memory for replay. Keys are remapped once, at load, to dense object indices
// 0..objects-1, so every policy can keep its per-object state in flat arrays (no hashing, no allocation per
// request). String keys (csv, txt) are hashed once with FNV-1a 64 before that remapping.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace cachelab::replay {

constexpr int64_t kNeverAgain = INT64_MAX;  // next_access_vtime of an object that is not requested again

struct Request {
  uint32_t obj = 0;                         // dense object index
  uint32_t size_bytes = 0;                  // as the trace gives it (libCacheSim's obj_size)
  uint32_t time_s = 0;                      // the trace's timestamp in whole seconds (0 when the format has none)
  int64_t next_access_vtime = kNeverAgain;  // index of this object's next request in the trace
};

enum class TraceFormat { OracleGeneral, Csv, Txt };

struct Trace {
  std::string path;
  TraceFormat format = TraceFormat::OracleGeneral;
  std::vector<Request> requests;
  uint32_t objects = 0;            // distinct objects
  uint64_t requested_bytes = 0;    // sum of request sizes
  uint64_t working_set_bytes = 0;  // sum over distinct objects of the size of their first request
  bool has_time = false;           // false for txt: TTLs cannot be replayed
};

struct TraceError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// "oracleGeneral", "csv", "txt" (case-insensitive). Returns false on anything else.
bool parse_trace_format(const std::string& name, TraceFormat& out);
const char* trace_format_name(TraceFormat f);

// A trace is held in memory whole: at most this many bytes of file (decompressed), and at most half the machine's
// physical memory (max_trace_bytes()). A larger file, a special file (/dev/zero, a FIFO, a directory) or a zstd
// stream that expands past the limit is refused with the limit in the message. The environment variable
// CACHELAB_MAX_TRACE_BYTES lowers the limit (a small machine, the tests).
inline constexpr uint64_t kMaxTraceBytes = 8ull << 30;
uint64_t max_trace_bytes();

// Reads a whole trace. Throws TraceError (unreadable file, malformed record, bad header).
// - oracleGeneral (libCacheSim's binary format, described in docs/validation.md §0): 24-byte packed
//   little-endian records `uint32 timestamp_s, uint64 obj_id, uint32 obj_size, int64 next_access_vtime`, the last
//   being the request index of the object's next access or -1. The field is kept as given (it is what Belady uses).
// - csv: a header line naming the columns, in any order: `time,key,size` and optionally `op` (other column names
//   are ignored). time is in seconds (a fraction is truncated), size in bytes, key an unsigned integer or any
//   string without a comma (hashed). op, when present, is ignored: every request is replayed as a GET, as in
//   libCacheSim's compatible mode. Blank lines are skipped; no quoting.
// - txt: one key per line, every object of size 1, no time.
// For csv and txt next_access_vtime is computed (one backward pass).
// Any of them may be zstd-compressed: a path ending in ".zst" is decompressed with libzstd while reading.
Trace read_trace(const std::string& path, TraceFormat format);

// Fills next_access_vtime from the request order (what oracleGeneral carries precomputed).
void compute_next_access(Trace& t);

}  // namespace cachelab::replay
