// Format dispatch and the next-access pass shared by the trace readers.
#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <memory>

#include <zstd.h>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/text.hpp"
#include "trace_builder.hpp"

namespace cachelab::replay {

bool parse_trace_format(const std::string& name, TraceFormat& out) {
  std::string n = name;
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "oraclegeneral")
    out = TraceFormat::OracleGeneral;
  else if (n == "csv")
    out = TraceFormat::Csv;
  else if (n == "txt")
    out = TraceFormat::Txt;
  else
    return false;
  return true;
}

const char* trace_format_name(TraceFormat f) {
  switch (f) {
    case TraceFormat::OracleGeneral:
      return "oracleGeneral";
    case TraceFormat::Csv:
      return "csv";
    case TraceFormat::Txt:
      return "txt";
  }
  return "?";
}

namespace {
// A .zst file holds one or more zstd frames (zstd's CLI and libCacheSim's traces): stream them out.
std::string unzstd(const std::string& in, const std::string& path, uint64_t max_bytes) {
  std::unique_ptr<ZSTD_DCtx, size_t (*)(ZSTD_DCtx*)> ctx(ZSTD_createDCtx(), ZSTD_freeDCtx);
  std::string out;
  std::string buf(ZSTD_DStreamOutSize(), '\0');
  ZSTD_inBuffer src{in.data(), in.size(), 0};
  size_t last = 0;
  bool full = false;
  do {  // until the input is consumed and the decoder has nothing left to flush (a full output buffer may hide more)
    ZSTD_outBuffer dst{buf.data(), buf.size(), 0};
    last = ZSTD_decompressStream(ctx.get(), &dst, &src);
    if (ZSTD_isError(last)) throw TraceError("'" + io::printable(path) + "': zstd: " + ZSTD_getErrorName(last));
    // A few hundred KB of zstd can expand to terabytes (a "zip bomb"): stop at the limit, before holding it.
    if (out.size() + dst.pos > max_bytes)
      throw TraceError("'" + io::printable(path) + "': the decompressed trace is larger than the limit of " +
                       io::bytes_text(max_bytes));
    out.append(buf.data(), dst.pos);
    full = dst.pos == dst.size;
  } while (src.pos < src.size || full);
  if (last != 0) throw TraceError("'" + io::printable(path) + "': truncated zstd stream");
  return out;
}
}  // namespace

uint64_t max_trace_bytes() {
  uint64_t limit = std::min<uint64_t>(kMaxTraceBytes, io::half_physical_memory_bytes());
  if (const char* env = std::getenv("CACHELAB_MAX_TRACE_BYTES"); env && *env) {
    char* end = nullptr;
    const unsigned long long v = std::strtoull(env, &end, 10);
    if (*end == '\0' && v > 0) limit = std::min<uint64_t>(limit, v);  // only ever lower
  }
  return limit;
}

std::string slurp(const std::string& path) {
  const uint64_t limit = max_trace_bytes();
  std::string bytes;
  try {
    bytes = io::read_regular_file(path, limit, "trace");
  } catch (const io::InputError& e) {
    throw TraceError(e.what());
  }
  if (path.size() > 4 && path.compare(path.size() - 4, 4, ".zst") == 0) return unzstd(bytes, path, limit);
  return bytes;
}

Trace read_trace(const std::string& path, TraceFormat format) {
  switch (format) {
    case TraceFormat::OracleGeneral:
      return read_oracle_general(path);
    case TraceFormat::Csv:
      return read_csv_trace(path);
    case TraceFormat::Txt:
      return read_txt_trace(path);
  }
  throw TraceError("unknown trace format");
}

void compute_next_access(Trace& t) {
  std::vector<int64_t> seen_at(t.objects, kNeverAgain);  // index of the object's next request, scanning backwards
  for (size_t i = t.requests.size(); i-- > 0;) {
    Request& r = t.requests[i];
    r.next_access_vtime = seen_at[r.obj];
    seen_at[r.obj] = static_cast<int64_t>(i);
  }
}

}  // namespace cachelab::replay
