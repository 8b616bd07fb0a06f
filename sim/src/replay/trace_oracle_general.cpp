// libCacheSim's oracleGeneral binary format: 24-byte packed little-endian records
// (uint32 timestamp_s, uint64 obj_id, uint32 obj_size, int64 next_access_vtime; -1 = never again).
#include <cstring>

#include "oracle_general.hpp"

#include "trace_builder.hpp"

namespace cachelab::replay {

namespace {

template <class T>
T load_le(const char* p) {
  // memcpy: records are packed, so fields are unaligned. The formats we read are little-endian and so are the
  // machines we build for (x86-64, arm64).
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
}  // namespace

Trace read_oracle_general(const std::string& path) {
  const std::string bytes = slurp(path);
  if (bytes.size() % kOracleGeneralRecordBytes != 0)
    throw TraceError("'" + path + "' is not an oracleGeneral trace: " + std::to_string(bytes.size()) +
                     " bytes is not a whole number of 24-byte records");
  const size_t n = bytes.size() / kOracleGeneralRecordBytes;
  TraceBuilder b(path, TraceFormat::OracleGeneral);
  b.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const char* rec = bytes.data() + i * kOracleGeneralRecordBytes;
    const int64_t next = load_le<int64_t>(rec + 16);
    b.add(load_le<uint64_t>(rec + 4), load_le<uint32_t>(rec + 12), load_le<uint32_t>(rec),
          next < 0 ? kNeverAgain : next);
  }
  return b.finish(true);
}

}  // namespace cachelab::replay
