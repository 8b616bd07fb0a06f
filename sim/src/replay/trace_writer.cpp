// oracleGeneral writer: records are packed into a 1 MiB buffer and written with fwrite.
#include "cachelab/replay/trace_writer.hpp"

#include <cstring>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/trace.hpp"

namespace cachelab::replay {

namespace {
constexpr size_t kRecordBytes = 24;
constexpr size_t kBufferBytes = kRecordBytes << 16;  // 1.5 MiB: few syscalls, small footprint
}  // namespace

OracleGeneralWriter::OracleGeneralWriter(const std::string& path) : path_(path) {
  f_ = std::fopen(path.c_str(), "wb");
  if (!f_) throw TraceError("cannot create '" + path + "'");
  buf_.reserve(kBufferBytes);
}

OracleGeneralWriter::~OracleGeneralWriter() {
  if (!f_) return;
  try {
    flush();
  } catch (const TraceError&) {  // a destructor must not throw: close() is the call that reports
  }
  std::fclose(f_);
}

void OracleGeneralWriter::add(uint32_t time_s, uint64_t id, uint32_t size_bytes, int64_t next_access_vtime) {
  char rec[kRecordBytes];
  // memcpy of each field: the layout is packed and little-endian, as are the machines we build for.
  std::memcpy(rec, &time_s, 4);
  std::memcpy(rec + 4, &id, 8);
  std::memcpy(rec + 12, &size_bytes, 4);
  std::memcpy(rec + 16, &next_access_vtime, 8);
  buf_.insert(buf_.end(), rec, rec + kRecordBytes);
  if (buf_.size() >= kBufferBytes) flush();
}

void OracleGeneralWriter::flush() {
  if (!buf_.empty() && std::fwrite(buf_.data(), 1, buf_.size(), f_) != buf_.size())
    throw TraceError("write error on '" + path_ + "'");
  buf_.clear();
}

void OracleGeneralWriter::close() {
  if (!f_) return;
  flush();
  const bool ok = std::fclose(f_) == 0;
  f_ = nullptr;
  if (!ok) throw TraceError("write error on '" + path_ + "'");
}

namespace {
// splitmix64's finalizer: a bijection on 64-bit integers, so distinct ranks keep distinct ids.
uint64_t scramble(uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
}  // namespace

void write_zipf_trace(const std::string& path, const ZipfTraceSpec& spec) {
  Rng rng = Rng::stream(spec.seed, "gen-trace/zipf");
  const ZipfSampler zipf(spec.objects, spec.alpha);
  std::vector<uint32_t> rank(spec.requests);  // 0-based
  for (auto& r : rank) r = static_cast<uint32_t>(zipf.sample(rng) - 1);
  // Scanning backwards: where each object is requested next (-1: never again).
  std::vector<int64_t> next_of(spec.requests);
  {
    std::vector<int64_t> seen(spec.objects, -1);
    for (uint64_t i = spec.requests; i-- > 0;) {
      next_of[i] = seen[rank[i]];
      seen[rank[i]] = static_cast<int64_t>(i);
    }
  }
  OracleGeneralWriter w(path);
  for (uint64_t i = 0; i < spec.requests; ++i) {
    const auto t = static_cast<uint32_t>(i * spec.time_span_s / spec.requests);
    w.add(t, spec.rank_ids ? rank[i] : scramble(rank[i]), spec.size_bytes, next_of[i]);
  }
  w.close();
}

}  // namespace cachelab::replay
