#pragma once
// Writes libCacheSim's oracleGeneral binary format (the layout read_trace documents: 24-byte packed little-endian
// records `uint32 timestamp_s, uint64 obj_id, uint32 obj_size, int64 next_access_vtime`), for generated traces
// (tools/gen_zipf_trace) and tests. Buffered; next_access_vtime is written as given (-1: never again).
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace cachelab::replay {

class OracleGeneralWriter {
 public:
  explicit OracleGeneralWriter(const std::string& path);  // throws TraceError when the file cannot be created
  ~OracleGeneralWriter();
  OracleGeneralWriter(const OracleGeneralWriter&) = delete;
  OracleGeneralWriter& operator=(const OracleGeneralWriter&) = delete;

  void add(uint32_t time_s, uint64_t id, uint32_t size_bytes, int64_t next_access_vtime);
  // Flushes and closes; throws TraceError on a write error. The destructor closes too, without reporting.
  void close();

 private:
  void flush();
  std::string path_;
  std::FILE* f_ = nullptr;
  std::vector<char> buf_;
};

// A synthetic trace with Zipf popularity (tools/gen_zipf_trace, the end-to-end replay benchmark): requests draw an
// object rank from Zipf(alpha) over `objects` (our rejection-inversion ZipfSampler, stream "gen-trace/zipf" of
// `seed`, so a seed gives the same file everywhere); every object has size_bytes (libCacheSim's
// scripts/data_gen.py uses 4000); timestamps spread the requests evenly over time_span_s; next_access_vtime is
// exact (a backward pass). Ids are a bijective 64-bit scramble of the rank (arbitrary, as a real trace's), or
// rank - 1 with rank_ids (0 the most popular, as data_gen.py). Memory: 12 bytes per request while writing.
struct ZipfTraceSpec {
  uint64_t objects = 2'000'000, requests = 20'000'000, seed = 42;
  double alpha = 0.9;
  uint32_t size_bytes = 4000, time_span_s = 7 * 86400;
  bool rank_ids = false;
};
void write_zipf_trace(const std::string& path, const ZipfTraceSpec& spec);  // throws TraceError

}  // namespace cachelab::replay
