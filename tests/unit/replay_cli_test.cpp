// cachelab replay from the command line: bad arguments exit 2 with a message; a run prints the table or JSON and
// writes a CSV only when asked.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

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
  EXPECT_NE(r.out.find("cannot open trace"), std::string::npos) << r.out;
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
