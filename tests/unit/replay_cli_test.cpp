// cachelab replay from the command line: bad arguments exit 2 with a message; a run prints the table or JSON and
// writes a CSV only when asked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/simulator.hpp"
#include "test_util.hpp"

using namespace cachelab;

namespace {
std::string small_trace() {
  static const std::string path = test::write_file(test::temp_dir("replay-cli") / "t.csv",
                                                   "time,key,size\n0,a,10\n1,b,10\n2,a,10\n3,c,10\n4,b,10\n5,a,10\n");
  return path;
}
test::CommandResult replay_cli(const std::string& args) {
  return test::run_command(test::cachelab() + " replay " + small_trace() + " " + args);
}
}  // namespace

TEST(ReplayCli, BadFormatSizeOrPolicyExitTwoWithAMessage) {
  auto r = replay_cli("--format parquet --size 20");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("unknown --format 'parquet'"), std::string::npos) << r.out;
  r = replay_cli("--format csv --size 12zb");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("bad --size '12zb'"), std::string::npos) << r.out;
  r = replay_cli("--format csv --size 150%");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  r = replay_cli("--format csv --size 20 --policy lru,lruu");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("unknown --policy 'lruu'"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("did you mean 'lru'"), std::string::npos) << r.out;
  r = test::run_command(test::cachelab() + " replay /nonexistent/trace.bin --size 1mb");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("a trace that cannot be opened"), std::string::npos) << r.out;
  r = replay_cli("--format csv");  // --size is required
  EXPECT_EQ(r.exit_code, 2) << r.out;
}

// 30 bytes of distinct objects. At 20 bytes (two objects) LRU misses a, b, a? no: a m, b m, a h, c m (ev b),
// b m (ev a), a m = 5; FIFO: a m, b m, a h, c m (ev a), b h, a m (ev b) = 4. 100% holds everything: 3.
TEST(ReplayCli, JsonResultsPerPolicyAndSize) {
  const auto r = replay_cli("--format csv --policy lru,fifo --size 20,100% --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["requests"], 6);
  ASSERT_EQ(j["results"].size(), 4u);
  EXPECT_EQ(j["results"][0]["policy"], "lru");
  EXPECT_EQ(j["results"][0]["cache_size_bytes"], 20);
  EXPECT_EQ(j["results"][0]["misses"], 5);
  EXPECT_EQ(j["results"][1]["cache_size_bytes"], 30);
  EXPECT_EQ(j["results"][1]["misses"], 3);
  EXPECT_EQ(j["results"][2]["misses"], 4);
  EXPECT_DOUBLE_EQ(j["results"][2]["byte_miss_ratio"].get<double>(), 40.0 / 60.0);
}

TEST(ReplayCli, TableAndCsvOnlyWithOut) {
  const auto dir = test::temp_dir("replay-cli-out");
  auto r = replay_cli("--format csv --policy sieve --size 2 --unit-size");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("sieve"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("hit_ratio"), std::string::npos) << r.out;
  r = replay_cli("--format csv --policy lru --size 20 --out " + (dir / "o").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const std::string csv = test::read_file(dir / "o" / "replay.csv");
  EXPECT_NE(csv.find("policy,cache_size_bytes,requests,misses"), std::string::npos) << csv;
  EXPECT_NE(csv.find("lru,20,6,5,50,60"), std::string::npos) << csv;
}

// --sampling picks how the Redis-faithful policies draw keys, as cluster.sampling does in a node: uniform, or Redis's
// dict walks (dictGetSomeKeys for allkeys-lru's pool, dictGetRandomKey for allkeys-random). The command's results
// are the library's with the same setting, and the walks change them.
TEST(ReplayCli, SamplingSelectsRedisDictWalks) {
  const auto dir = test::temp_dir("replay-cli-sampling");
  std::string csv = "time,key,size\n";
  Rng rng = Rng::stream(5, "replay-cli/sampling");
  ZipfSampler zipf(3000, 0.8);
  for (int i = 0; i < 30000; ++i) csv += std::to_string(i / 1000) + ",k" + std::to_string(zipf.sample(rng)) + ",1\n";
  const std::string path = test::write_file(dir / "z.csv", csv);
  const replay::Trace trace = replay::read_trace(path, replay::TraceFormat::Csv);
  auto library = [&](const std::string& policy, const std::string& sampling) {
    replay::ReplayConfig c;
    c.policy = policy;
    c.capacity_bytes = 300;
    c.unit_size = true;
    c.sampling = sampling;
    return replay::replay(trace, c).misses;
  };

  auto r = test::run_command(test::cachelab() + " replay " + path +
                             " --format csv --unit-size --size 300 --policy "
                             "allkeys-lru,allkeys-random --sampling buckets --json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["sampling"], "buckets");
  ASSERT_EQ(j["results"].size(), 2u);
  for (const auto& row : j["results"]) {
    const std::string policy = row["policy"];
    EXPECT_EQ(row["misses"].get<uint64_t>(), library(policy, "buckets")) << policy;
    EXPECT_NE(row["misses"].get<uint64_t>(), library(policy, "uniform")) << policy;
  }
  r = test::run_command(test::cachelab() + " replay " + path + " --format csv --size 300 --sampling reservoir");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_NE(r.out.find("unknown --sampling 'reservoir'"), std::string::npos) << r.out;
}

// The table's cache sizes, by magnitude as every other size cachelab prints (the working-set line above them): an
// exact binary unit prints as such, any other size as cachelab::fmt::bytes ("15814B" was the one raw size).
TEST(ReplayCli, CacheSizesPrintWithUnitsByMagnitude) {
  auto r = replay_cli("--format csv --policy lru --size 15814,2048,20");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(" 15.4 KiB "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 2 KiB "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find(" 20 B "), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("15814"), std::string::npos) << r.out;
  r = replay_cli("--format csv --policy lru --size 12000 --unit-size");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(" 12,000 obj "), std::string::npos) << r.out;
}
