#pragma once
// libCacheSim's oracleGeneral binary format: 24-byte packed little-endian records
// (uint32 timestamp_s, uint64 obj_id, uint32 obj_size, int64 next_access_vtime; -1 = never again).
#include <cstddef>

namespace cachelab::replay {
inline constexpr std::size_t kOracleGeneralRecordBytes = 24;
}  // namespace cachelab::replay
