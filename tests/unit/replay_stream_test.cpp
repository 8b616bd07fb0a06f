// Replay from a file (replay_file, scan_trace: the streamed path `cachelab replay` takes for oracleGeneral) gives
// exactly what replay over the trace in memory gives (itself pinned to libCacheSim's published counts in
// replay_bundled_trace_test.cpp): for every policy, plain and zstd-compressed, one config per thread or several
// over one pass, with the trace's own 64-bit ids or with dense ones.
#include <gtest/gtest.h>

#include <zstd.h>

#include "cachelab/replay/simulator.hpp"
#include "cachelab/replay/trace_writer.hpp"
#include "test_util.hpp"

namespace test = cachelab::test;
using namespace cachelab;
using namespace cachelab::replay;
namespace fs = std::filesystem;

namespace {

constexpr uint64_t kMiB = 1024 * 1024;

void expect_same(const ReplayResult& a, const ReplayResult& b, const std::string& what) {
  EXPECT_EQ(a.policy, b.policy) << what;
  EXPECT_EQ(a.capacity_bytes, b.capacity_bytes) << what;
  EXPECT_EQ(a.requests, b.requests) << what;
  EXPECT_EQ(a.misses, b.misses) << what;
  EXPECT_EQ(a.requested_bytes, b.requested_bytes) << what;
  EXPECT_EQ(a.miss_bytes, b.miss_bytes) << what;
  EXPECT_EQ(a.batch_misses, b.batch_misses) << what;
}

std::vector<ReplayConfig> every_policy_at(const std::vector<uint64_t>& sizes, bool unit) {
  std::vector<ReplayConfig> cfgs;
  for (const auto& name : ObjectPolicyRegistry::instance().names())
    for (uint64_t s : sizes) {
      ReplayConfig c;
      c.policy = name;
      c.capacity_bytes = s;
      c.unit_size = unit;
      cfgs.push_back(c);
    }
  return cfgs;
}

std::string zstd_copy(const fs::path& from, const fs::path& to) {
  const std::string raw = test::read_file(from);
  // Two frames, cut inside a record, as a concatenation of zstd files would be.
  const size_t cut = raw.size() / 2 + 7;
  std::string out;
  for (const std::string& part : {raw.substr(0, cut), raw.substr(cut)}) {
    std::string z(ZSTD_compressBound(part.size()), '\0');
    z.resize(ZSTD_compress(z.data(), z.size(), part.data(), part.size(), 1));
    out += z;
  }
  return test::write_file(to, out);
}

}  // namespace

TEST(ReplayStream, BundledTraceEveryPolicyAsInMemory) {
  const std::string path = test::bundled_trace();
  if (!fs::exists(path)) GTEST_SKIP() << path << " not found";
  const Trace t = read_trace(path, TraceFormat::OracleGeneral);
  const TraceSummary s = scan_trace(path, TraceFormat::OracleGeneral);
  EXPECT_EQ(s.requests, t.requests.size());
  EXPECT_EQ(s.objects, t.objects);
  EXPECT_EQ(s.working_set_bytes, t.working_set_bytes);
  EXPECT_EQ(s.requested_bytes, t.requested_bytes);

  auto cfgs = every_policy_at({128 * kMiB, 512 * kMiB, 1024 * kMiB}, false);
  ReplayConfig ttl;  // lazy expiry and batch means through the streamed path too
  ttl.policy = "s3fifo";
  ttl.capacity_bytes = 256 * kMiB;
  ttl.ttl_s = 600;
  ttl.batch_requests = 10000;
  cfgs.push_back(ttl);
  std::vector<ReplayResult> alone;
  for (const auto& c : cfgs) alone.push_back(cachelab::replay::replay(t, c));
  // One pass per thread, configs shared out; and the working set counted on the way.
  for (unsigned threads : {1u, 2u}) {
    TraceSummary counted;
    ReplayFileOptions opt;
    opt.threads = threads;
    opt.count = &counted;
    const auto streamed = replay_file(path, TraceFormat::OracleGeneral, cfgs, opt);
    ASSERT_EQ(streamed.size(), cfgs.size());
    for (size_t i = 0; i < cfgs.size(); ++i)
      expect_same(streamed[i], alone[i], cfgs[i].policy + " " + std::to_string(cfgs[i].capacity_bytes));
    EXPECT_EQ(counted.objects, t.objects);
    EXPECT_EQ(counted.working_set_bytes, t.working_set_bytes);
  }
  // libCacheSim's published LRU and S3-FIFO counts at 128 MiB, read straight from the stream.
  ReplayFileOptions opt;
  opt.known = &s;
  for (const auto& c : cfgs) {
    if (c.capacity_bytes != 128 * kMiB || (c.policy != "lru" && c.policy != "s3fifo")) continue;
    const auto r = replay_file(path, TraceFormat::OracleGeneral, {c}, opt);
    EXPECT_EQ(r[0].misses, c.policy == "lru" ? 93374u : 90117u) << c.policy;
  }
}

TEST(ReplayStream, ZstdStreamMatchesPlain) {
  const std::string path = test::bundled_trace();
  if (!fs::exists(path)) GTEST_SKIP() << path << " not found";
  const fs::path d = test::temp_dir("replay-stream-zst");
  const std::string zst = zstd_copy(path, d / "t.oracleGeneral.bin.zst");
  const auto cfgs = every_policy_at({256 * kMiB}, false);
  ReplayFileOptions opt;
  const auto plain = replay_file(path, TraceFormat::OracleGeneral, cfgs, opt);
  const auto packed = replay_file(zst, TraceFormat::OracleGeneral, cfgs, opt);
  for (size_t i = 0; i < cfgs.size(); ++i) expect_same(packed[i], plain[i], cfgs[i].policy);
  const TraceSummary a = scan_trace(path, TraceFormat::OracleGeneral), b = scan_trace(zst, TraceFormat::OracleGeneral);
  EXPECT_EQ(a.requests, b.requests);
  EXPECT_EQ(a.working_set_bytes, b.working_set_bytes);
  // A truncated frame is an error, not a shorter trace.
  const std::string z = test::read_file(zst);
  const std::string cut = test::write_file(d / "cut.oracleGeneral.bin.zst", z.substr(0, z.size() - 100));
  EXPECT_THROW(replay_file(cut, TraceFormat::OracleGeneral, cfgs, opt), TraceError);
  EXPECT_THROW(scan_trace(test::write_file(d / "empty.oracleGeneral.bin.zst", ""), TraceFormat::OracleGeneral),
               TraceError);
  fs::remove_all(d);
}

// A synthetic trace with arbitrary 64-bit ids and the same trace with ids 0..N-1 (write_zipf_trace's two id
// forms): every policy gives the same counts, so handing the trace's own ids to the policies that take them
// changes nothing; in memory (dense indices) too.
TEST(ReplayStream, RawIdsAndDenseIdsGiveTheSameCounts) {
  const fs::path d = test::temp_dir("replay-stream-ids");
  ZipfTraceSpec spec;
  spec.objects = 5000;
  spec.requests = 60000;
  spec.size_bytes = 100;
  const std::string scrambled = (d / "s.bin").string(), ranked = (d / "r.bin").string();
  fs::create_directories(d);
  write_zipf_trace(scrambled, spec);
  spec.rank_ids = true;
  write_zipf_trace(ranked, spec);
  const TraceSummary s = scan_trace(scrambled, TraceFormat::OracleGeneral);
  const Trace t = read_trace(scrambled, TraceFormat::OracleGeneral);
  EXPECT_EQ(s.requests, 60000u);
  EXPECT_EQ(s.objects, t.objects);
  EXPECT_EQ(s.working_set_bytes, uint64_t{t.objects} * 100);
  for (bool unit : {false, true}) {
    const uint64_t k = unit ? 1 : 100;
    const auto cfgs = every_policy_at({50 * k, 500 * k, 2000 * k}, unit);
    ReplayFileOptions opt;
    opt.threads = 2;
    const auto a = replay_file(scrambled, TraceFormat::OracleGeneral, cfgs, opt);
    const auto b = replay_file(ranked, TraceFormat::OracleGeneral, cfgs, opt);
    for (size_t i = 0; i < cfgs.size(); ++i) {
      const std::string what = cfgs[i].policy + " " + std::to_string(cfgs[i].capacity_bytes);
      expect_same(a[i], b[i], what);
      expect_same(a[i], cachelab::replay::replay(t, cfgs[i]), what + " in memory");
      EXPECT_GT(a[i].misses, 0u) << what;
    }
  }
  fs::remove_all(d);
}

TEST(ReplayStream, MalformedFilesAreRefused) {
  const fs::path d = test::temp_dir("replay-stream-bad");
  const std::string odd = test::write_file(d / "odd.bin", std::string(25, '\0'));
  try {
    scan_trace(odd, TraceFormat::OracleGeneral);
    ADD_FAILURE() << "a 25-byte file was accepted";
  } catch (const TraceError& e) {
    EXPECT_NE(std::string(e.what()).find("not a whole number of 24-byte records"), std::string::npos) << e.what();
  }
  EXPECT_THROW(scan_trace((d / "missing.bin").string(), TraceFormat::OracleGeneral), TraceError);
  // Empty: no requests, no error.
  const std::string empty = test::write_file(d / "empty.bin", "");
  EXPECT_EQ(scan_trace(empty, TraceFormat::OracleGeneral).requests, 0u);
  ReplayConfig c;
  c.capacity_bytes = 10;
  EXPECT_EQ(replay_file(empty, TraceFormat::OracleGeneral, {c}, {})[0].requests, 0u);
  c.policy = "no-such-policy";
  EXPECT_THROW(replay_file(empty, TraceFormat::OracleGeneral, {c}, {}), ReplayError);
  fs::remove_all(d);
}
