#pragma once
// A trace read block by block, for replay from file to answer without holding the trace in memory (issue 19): an
// oracleGeneral file (plain or .zst) is streamed through a fixed buffer of kBlockRecords records, so memory does not
// grow with the trace. csv and txt traces need a backward pass for next_access_vtime and are read whole
// (read_trace), then served in blocks.
#include <cstdint>
#include <memory>
#include <span>
#include <string>

#include "cachelab/replay/trace.hpp"

namespace cachelab::replay {

// One request as the trace gives it.
struct TraceRecord {
  uint64_t id = 0;  // oracleGeneral: the trace's obj_id as stored; csv/txt: the dense object index
  uint32_t size_bytes = 0;
  uint32_t time_s = 0;
  int64_t next_access_vtime = kNeverAgain;  // the request index of the object's next request
};

class TraceStream {
 public:
  static constexpr size_t kBlockRecords = size_t{1} << 14;  // 384 KiB of oracleGeneral records: fits in L2

  // Throws TraceError (unreadable file, not a whole number of records; csv/txt: anything read_trace refuses).
  TraceStream(const std::string& path, TraceFormat format);
  ~TraceStream();
  TraceStream(const TraceStream&) = delete;
  TraceStream& operator=(const TraceStream&) = delete;

  // The next records in trace order, at most kBlockRecords; empty at the end. Valid until the next call.
  // Throws TraceError on a malformed file found while streaming (a truncated record, a corrupt zstd frame).
  std::span<const TraceRecord> next();
  bool has_time() const { return format_ != TraceFormat::Txt; }
  const std::string& path() const { return path_; }

  struct Source;  // where the records come from (one per format; defined in trace_stream.cpp)

 private:
  std::string path_;
  TraceFormat format_;
  std::unique_ptr<Source> src_;
};

// What a pass over a trace counts (the working set: distinct objects and the size of each one's first request,
// as Trace::working_set_bytes).
struct TraceSummary {
  uint64_t requests = 0;
  uint64_t objects = 0;
  uint64_t requested_bytes = 0;
  uint64_t working_set_bytes = 0;
};

// One pass over the file counting its working set, with a set of ids sized to the trace's objects.
// Throws TraceError.
TraceSummary scan_trace(const std::string& path, TraceFormat format);

}  // namespace cachelab::replay
