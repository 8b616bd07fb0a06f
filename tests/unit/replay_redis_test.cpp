// The Redis-faithful policies in trace replay (the cluster simulation's own EvictionPolicy implementations, ref.
// docs/redis-reference.md §7.4-§7.7), the miss-ratio curve output and zstd-compressed traces.
#include <gtest/gtest.h>

#include <zstd.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/simulator.hpp"
#include "test_util.hpp"

using namespace cachelab;
using namespace cachelab::replay;

namespace {
// Zipf(0.8) over 20k objects, 400k requests, one request per ms (so Redis's 1 s LRU clock ticks every 1000).
Trace zipf_trace() {
  Rng rng = Rng::stream(7, "replay-redis/zipf");
  ZipfSampler zipf(20000, 0.8);
  Trace t;
  t.objects = 20000;
  t.has_time = true;
  t.requests.resize(400000);
  for (size_t i = 0; i < t.requests.size(); ++i) {
    t.requests[i].obj = static_cast<uint32_t>(zipf.sample(rng) - 1);
    t.requests[i].size_bytes = 1;
    t.requests[i].time_s = static_cast<uint32_t>(i / 1000);
  }
  t.requested_bytes = t.requests.size();
  t.working_set_bytes = t.objects;
  compute_next_access(t);
  return t;
}
double hit_ratio(const Trace& t, const std::string& policy, int samples) {
  ReplayConfig c;
  c.policy = policy;
  c.capacity_bytes = 2000;  // 10 % of the objects
  c.maxmemory_samples = samples;
  return 1 - cachelab::replay::replay(t, c).miss_ratio();
}
}  // namespace

// The Redis docs' claim (ref. §7.5): with maxmemory-samples 10 allkeys-lru is very close to true LRU. The pool and
// larger samples move the hit ratio towards exact LRU's; random eviction is the far end.
TEST(ReplayRedis, AllkeysLruApproachesExactLruAsSamplesGrow) {
  const Trace t = zipf_trace();
  const double lru = hit_ratio(t, "lru", 5);
  const double random = hit_ratio(t, "allkeys-random", 5);
  const double s1 = hit_ratio(t, "allkeys-lru", 1), s5 = hit_ratio(t, "allkeys-lru", 5),
               s10 = hit_ratio(t, "allkeys-lru", 10);
  ASSERT_GT(lru - random, 0.02);  // the comparison has room
  EXPECT_LT(std::abs(s10 - lru), std::abs(s1 - lru));
  EXPECT_LE(std::abs(s10 - lru), std::abs(s5 - lru) + 0.002);
  EXPECT_LT(std::abs(s10 - lru), 0.01) << "lru " << lru << " samples10 " << s10;
  EXPECT_NEAR(s1, random, 0.01);  // one sample per call, no memory in the pool beyond 16 ghosts: close to random
}

TEST(ReplayRedis, MrcFileHasOneRowPerPolicyAndSizeAscending) {
  const auto dir = test::temp_dir("replay-mrc");
  const std::string trace =
      test::write_file(dir / "t.csv", "time,key,size\n0,a,10\n1,b,10\n2,a,10\n3,c,10\n4,b,10\n5,a,10\n");
  const auto r = test::run_command(test::cachelab() + " replay " + trace +
                                   " --format csv --policy lru,fifo --size "
                                   "100%,20 --mrc " +
                                   (dir / "mrc.csv").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::ifstream f(dir / "mrc.csv");
  std::stringstream ss;
  ss << f.rdbuf();
  // Hand-counted (replay_cli_test): LRU 5 misses at 20 B, FIFO 4; everything fits at 30 B: 3 misses. Equal sizes,
  // so byte miss ratios equal miss ratios.
  EXPECT_EQ(ss.str(),
            "policy,cache_size_bytes,miss_ratio,byte_miss_ratio\n"
            "fifo,20,0.6666666667,0.6666666667\nfifo,30,0.5,0.5\n"
            "lru,20,0.8333333333,0.8333333333\nlru,30,0.5,0.5\n");
}

TEST(ReplayRedis, ReadsZstdCompressedTraces) {
  const auto dir = test::temp_dir("replay-zst");
  std::string csv = "time,key,size\n";
  for (int i = 0; i < 5000; ++i) csv += std::to_string(i / 10) + ",k" + std::to_string(i * 7919 % 300) + ",100\n";
  test::write_file(dir / "t.csv", csv);
  std::string z(ZSTD_compressBound(csv.size()), '\0');
  const size_t n = ZSTD_compress(z.data(), z.size(), csv.data(), csv.size(), 3);
  ASSERT_FALSE(ZSTD_isError(n));
  z.resize(n);
  test::write_file(dir / "t.csv.zst", z);
  const Trace plain = read_trace((dir / "t.csv").string(), TraceFormat::Csv);
  const Trace packed = read_trace((dir / "t.csv.zst").string(), TraceFormat::Csv);
  ASSERT_EQ(packed.requests.size(), 5000u);
  EXPECT_EQ(packed.objects, plain.objects);
  for (size_t i = 0; i < plain.requests.size(); ++i) ASSERT_EQ(packed.requests[i].obj, plain.requests[i].obj);
  // A corrupt stream is a TraceError, not a crash.
  test::write_file(dir / "bad.csv.zst", z.substr(0, z.size() / 2));
  EXPECT_THROW(read_trace((dir / "bad.csv.zst").string(), TraceFormat::Csv), TraceError);
}
