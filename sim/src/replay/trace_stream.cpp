// Streaming trace input: oracleGeneral records are read with read(2) (or decompressed with libzstd's streaming API)
// into one fixed buffer and decoded a block at a time; csv and txt are read whole and served in blocks.
#include "cachelab/replay/trace_stream.hpp"

#include "cachelab/io/input_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <vector>

#include <zstd.h>

#include "id_set.hpp"
#include "oracle_general.hpp"

namespace cachelab::replay {

namespace {

bool ends_with_zst(const std::string& p) { return p.size() > 4 && p.compare(p.size() - 4, 4, ".zst") == 0; }

std::string not_whole(const std::string& path, uint64_t bytes) {
  return "'" + path + "' is not an oracleGeneral trace: " + std::to_string(bytes) +
         " bytes is not a whole number of 24-byte records";
}

// The file's bytes, decompressed when it ends in .zst. fill() appends up to `room` bytes; 0 at the end.
class ByteSource {
 public:
  explicit ByteSource(const std::string& path) : path_(path), zst_(ends_with_zst(path)) {
    // Only a regular file is streamed (io/input_file.hpp): /dev/zero or a FIFO would never end or would block.
    struct stat st {};
    try {
      fd_ = io::open_regular_file(path, "trace", st);
    } catch (const io::InputError& e) {
      throw TraceError(e.what());
    }
    // Read once, front to back: the kernel may read ahead further and drop pages behind us.
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    if (!zst_ && S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) % kOracleGeneralRecordBytes != 0) {
      ::close(fd_);
      throw TraceError(not_whole(path, static_cast<uint64_t>(st.st_size)));
    }
    if (zst_) {
      dctx_ = ZSTD_createDCtx();
      in_.resize(ZSTD_DStreamInSize());
    }
  }
  ~ByteSource() {
    if (dctx_) ZSTD_freeDCtx(dctx_);
    ::close(fd_);
  }
  size_t fill(char* out, size_t room) { return zst_ ? fill_zst(out, room) : fill_raw(out, room); }

 private:
  size_t fill_raw(char* out, size_t room) {
    size_t got = 0;
    while (got < room) {
      const ssize_t n = ::read(fd_, out + got, room - got);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw TraceError("cannot read trace '" + path_ + "': " + std::strerror(errno));
      if (n == 0) break;
      got += static_cast<size_t>(n);
    }
    return got;
  }
  // Every frame of the file in turn (zstd's CLI and libCacheSim write one or more).
  size_t fill_zst(char* out, size_t room) {
    ZSTD_outBuffer dst{out, room, 0};
    while (dst.pos < dst.size) {
      if (in_pos_ == in_len_ && !eof_) {
        in_len_ = fill_raw(in_.data(), in_.size());
        in_pos_ = 0;
        eof_ = in_len_ == 0;
        read_any_ = read_any_ || !eof_;
      }
      ZSTD_inBuffer src{in_.data(), in_len_, in_pos_};
      const size_t before = dst.pos;
      // With the input consumed, a call still flushes what the decoder holds back.
      const size_t ret = ZSTD_decompressStream(dctx_, &dst, &src);
      if (ZSTD_isError(ret)) throw TraceError("'" + path_ + "': zstd: " + ZSTD_getErrorName(ret));
      const bool moved = src.pos != in_pos_ || dst.pos != before;
      in_pos_ = src.pos;
      // A call that moves nothing (input and output idle at the end) returns the next frame's header size: only
      // a call that did something says whether a frame is still open.
      if (moved) last_ = ret;
      if (eof_ && in_pos_ == in_len_ && !moved) break;  // nothing more will come
    }
    // At the end, a non-zero hint means the last frame is incomplete; an empty file is no zstd stream at all.
    if (dst.pos == 0 && (last_ != 0 || !read_any_)) throw TraceError("'" + path_ + "': truncated zstd stream");
    return dst.pos;
  }

  std::string path_;
  bool zst_;
  int fd_ = -1;
  ZSTD_DCtx* dctx_ = nullptr;
  std::vector<char> in_;
  size_t in_pos_ = 0, in_len_ = 0, last_ = 0;
  bool eof_ = false, read_any_ = false;
};
}  // namespace

struct TraceStream::Source {
  virtual ~Source() = default;
  virtual std::span<const TraceRecord> next() = 0;
};

namespace {

class OracleGeneralSource final : public TraceStream::Source {
 public:
  explicit OracleGeneralSource(const std::string& path) : path_(path), bytes_(path) {
    buf_.resize(TraceStream::kBlockRecords * kOracleGeneralRecordBytes);
    recs_.resize(TraceStream::kBlockRecords);
  }
  std::span<const TraceRecord> next() override {
    const size_t got = carry_ + bytes_.fill(buf_.data() + carry_, buf_.size() - carry_);
    total_ += got - carry_;
    const size_t n = got / kOracleGeneralRecordBytes;
    if (n == 0 && got != 0) throw TraceError(not_whole(path_, total_));
    const char* p = buf_.data();
    for (size_t i = 0; i < n; ++i, p += kOracleGeneralRecordBytes) {
      // memcpy: records are packed, so fields are unaligned (little-endian, as the machines we build for).
      TraceRecord& r = recs_[i];
      int64_t next;
      std::memcpy(&r.time_s, p, 4);
      std::memcpy(&r.id, p + 4, 8);
      std::memcpy(&r.size_bytes, p + 12, 4);
      std::memcpy(&next, p + 16, 8);
      r.next_access_vtime = next < 0 ? kNeverAgain : next;
    }
    // A record cut by the end of a decompressed chunk waits for the rest.
    carry_ = got - n * kOracleGeneralRecordBytes;
    if (carry_) std::memmove(buf_.data(), buf_.data() + n * kOracleGeneralRecordBytes, carry_);
    return {recs_.data(), n};
  }

 private:
  std::string path_;
  ByteSource bytes_;
  std::vector<char> buf_;
  std::vector<TraceRecord> recs_;
  size_t carry_ = 0;
  uint64_t total_ = 0;
};

// csv, txt: the whole trace (its next accesses need a backward pass), in blocks; ids are the dense indices.
class LoadedSource final : public TraceStream::Source {
 public:
  LoadedSource(const std::string& path, TraceFormat f) : trace_(read_trace(path, f)) {
    recs_.resize(TraceStream::kBlockRecords);
  }
  std::span<const TraceRecord> next() override {
    const size_t n = std::min(recs_.size(), trace_.requests.size() - pos_);
    for (size_t i = 0; i < n; ++i) {
      const Request& q = trace_.requests[pos_ + i];
      recs_[i] = TraceRecord{q.obj, q.size_bytes, q.time_s, q.next_access_vtime};
    }
    pos_ += n;
    return {recs_.data(), n};
  }

 private:
  Trace trace_;
  std::vector<TraceRecord> recs_;
  size_t pos_ = 0;
};

}  // namespace

TraceStream::TraceStream(const std::string& path, TraceFormat format) : path_(path), format_(format) {
  if (format == TraceFormat::OracleGeneral)
    src_ = std::make_unique<OracleGeneralSource>(path);
  else
    src_ = std::make_unique<LoadedSource>(path, format);
}

TraceStream::~TraceStream() = default;

std::span<const TraceRecord> TraceStream::next() { return src_->next(); }

TraceSummary scan_trace(const std::string& path, TraceFormat format) {
  TraceStream in(path, format);
  TraceSummary s;
  IdSet ids;
  // Looking an id up this many requests after its prefetch hides most of the table's cache misses (the table is
  // as large as the trace's objects: tens of MB).
  constexpr size_t kAhead = 16;
  for (auto block = in.next(); !block.empty(); block = in.next()) {
    const size_t n = block.size();
    for (size_t i = 0; i < std::min(n, kAhead); ++i) ids.prefetch(block[i].id);
    for (size_t i = 0; i < n; ++i) {
      if (i + kAhead < n) ids.prefetch(block[i + kAhead].id);
      const TraceRecord& r = block[i];
      if (ids.insert(r.id)) s.working_set_bytes += r.size_bytes;
      s.requested_bytes += r.size_bytes;
    }
    s.requests += n;
  }
  s.objects = ids.size();
  return s;
}

}  // namespace cachelab::replay
