// The cachelab-live executable: clear failures with exit 2 for bad or unreachable --redis addresses, and the
// spawn-check smoke command end to end.
#include "cli_run.hpp"
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include "lab_helpers.hpp"

namespace cachelab::live {
namespace {

TEST(LiveCli, MalformedRedisAddressExits2WithAClearMessage) {
  CliRun r = run_live("ping --redis localhost");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("bad address 'localhost'"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("expected HOST:PORT"), std::string::npos) << r.output;
  EXPECT_EQ(run_live("ping --redis 127.0.0.1:99999").exit_code, 2);
}

TEST(LiveCli, UnreachableRedisAddressExits2WithAClearMessage) {
  const int port = claim_free_ports(1, false)[0];  // nobody listens there
  CliRun r = run_live("ping --redis 127.0.0.1:" + std::to_string(port) + " --timeout-ms 500");
  release_ports({port});
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot reach 127.0.0.1:" + std::to_string(port)), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("refused"), std::string::npos) << r.output;
}

// keys-cost refuses what it cannot measure (exit 2, the option and what it found) and measures the shapes it is
// given: names with a prefix, a matching pattern, keys with a TTL (one row per command and size, the shape written).
TEST(LiveCli, KeysCostRefusesBadOptionsAndWritesTheShapeItMeasured) {
  CliRun r = run_live("keys-cost --keys 1000,abc");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--keys: expected up to 64 comma-separated sizes"), std::string::npos) << r.output;
  r = run_live("keys-cost --keys 1000 --match");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--match: expected a --name-prefix"), std::string::npos) << r.output;
  r = run_live("keys-cost --keys 1000 --name-prefix 'a*'");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("expected no glob character"), std::string::npos) << r.output;
  CACHELAB_REQUIRE_REDIS();
  r = run_live("keys-cost --keys 1000,2000 --runs 2 --name-prefix app: --match --ttl");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("command,name_bytes,match,ttl,keys,"), std::string::npos) << r.output;
  for (const char* row : {"keys,16,1,1,1000,0,2,", "scan,16,1,1,1000,1000,", "keys,16,1,1,2000,0,2,"})
    EXPECT_NE(r.output.find(row), std::string::npos) << row << "\n" << r.output;
}

// A bad grid is a usage error found before a lab starts: exit 2, the reason, and no --out file.
TEST(LiveCli, MemgridRefusesABadGridAndWritesNothing) {
  const testing::LiveTempDir t("memgrid-bad");
  const std::string csv = t.out("grid.csv");
  CliRun r = run_live("memgrid --grid 'int0,k10,2mb' --out " + csv);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("--grid: point 1 (\"int0,k10,2mb\"): integer digits: expected 1 to 18, found 0"),
            std::string::npos)
      << r.output;
  EXPECT_FALSE(std::filesystem::exists(csv));
  r = run_live("memgrid --grid '' --out " + csv);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(std::filesystem::exists(csv));
  r = run_live("memgrid --grid ci --tolerance-pct -1 --out " + csv);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(std::filesystem::exists(csv));
}

// A lab failover-timing cannot start is a usage error found before the first lab: exit 2, the reason, no --out file.
TEST(LiveCli, FailoverTimingRefusesALabItCannotStartAndWritesNothing) {
  const testing::LiveTempDir t("failover-bad");
  const std::string csv = t.out("ft.csv");
  CliRun r = run_live("failover-timing --node-timeout-ms 1000,50 --runs 2 --out " + csv);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cluster-node-timeout must be >= 100 ms"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(csv));
  r = run_live("failover-timing --replicas 0 --runs 2 --out " + csv);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("a failover needs a replica"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(csv));
  r = run_live("failover-timing --masters 2 --runs 2 --out " + csv);
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_FALSE(std::filesystem::exists(csv));
}

TEST(LiveCli, MissingRedisOptionIsAUsageError) {
  EXPECT_EQ(run_live("ping").exit_code, 2);
  EXPECT_EQ(run_live("no-such-command").exit_code, 2);
}

TEST(LiveCli, SpawnCheckStartsPrintsAndTearsDown) {
  CACHELAB_REQUIRE_REDIS();
  CliRun r = run_live("spawn-check --masters 3 --replicas 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* want : {"master-1", "master-3", "replica-2-1", "routed SET+GET of 1000 keys: 1000 ok", "used_memory",
                           "7.0", "no process or port left"})
    EXPECT_NE(r.output.find(want), std::string::npos) << "missing '" << want << "' in:\n" << r.output;
}

TEST(LiveCli, SpawnCheckStandaloneAndPingOfARunningServer) {
  CACHELAB_REQUIRE_REDIS();
  CliRun r = run_live("spawn-check --standalone");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("standalone"), std::string::npos) << r.output;
  // ping against a server we started ourselves.
  Lab lab(testing::standalone_config());
  lab.start();
  testing::ScopedEnv pw("CACHELAB_REDIS_PASSWORD", lab.password());
  CliRun ping = run_live("ping --redis " + lab.endpoints()[0].str());
  EXPECT_EQ(ping.exit_code, 0) << ping.output;
  EXPECT_NE(ping.output.find("PONG"), std::string::npos) << ping.output;
  EXPECT_NE(ping.output.find("cluster no"), std::string::npos) << ping.output;
}

}  // namespace
}  // namespace cachelab::live
