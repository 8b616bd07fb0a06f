// Live parity of the client side (issue 6): closed-loop sessions with think time, the client_crash fault (our own
// process: the instance's write-behind buffer is dropped and counted), the client_pause fault (issue 16 part 8), and the per-node connection pool
// (clients.pool_size connections per instance and node, all used). Spawned redis-server processes on 127.0.0.1 only.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

struct TempRun {
  fs::path root;
  explicit TempRun(const std::string& name)
      : root(fs::temp_directory_path() / ("cachelab-live-" + name + "-" + std::to_string(::getpid()))) {
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~TempRun() { fs::remove_all(root); }
  std::string scenario(const std::string& text) const {
    const fs::path p = root / "scenario.json";
    std::ofstream(p) << text;
    return p.string();
  }
  std::string out(const std::string& name) const { return (root / name).string(); }
};

// Closed loop: S sessions, each waiting for its reply and then a fixed think time Z, complete about S * T / (Z + R)
// requests in T seconds (R: the response time, well under a millisecond on loopback).
TEST(LiveClients, ClosedLoopSessionsWithThinkTime) {
  CACHELAB_REQUIRE_REDIS();
  TempRun t("closed");
  const int sessions = 4;
  const double think_s = 0.01, duration_s = 3;
  const std::string file = t.scenario(R"({"cachelab": 1, "name": "live-closed", "seed": 2, "duration_s": 3,
    "cluster": {"mode": "standalone", "masters": 1},
    "workload": {"keys": 100, "read_fraction": 0.9,
                 "arrival": {"dist": "closed", "sessions_per_instance": 2, "think_time_ms": {"dist": "fixed", "value": 10}}},
    "clients": {"instances": 2},
    "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})");
  const CliRun r = run_live(file + " --spawn --out " + t.out("run"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(t.out("run"));
  const double requests = run.summary.raw.at("requests").get<double>();
  const double most = sessions * duration_s / think_s;  // R = 0
  EXPECT_LE(requests, most);
  EXPECT_GE(requests, 0.7 * most);  // R + scheduling delay under 4 ms per cycle
}

// Write-behind with a flush interval longer than the run: every write of the one instance stays buffered, so the
// crash at 1 s loses exactly what was written before it (Poisson at 300/s: about 300) and the summary counts it.
TEST(LiveClients, ClientCrashDropsTheWriteBehindBuffer) {
  CACHELAB_REQUIRE_REDIS();
  TempRun t("crash");
  const std::string file = t.scenario(R"({"cachelab": 1, "name": "live-crash", "seed": 4, "duration_s": 2,
    "cluster": {"mode": "standalone", "masters": 1},
    "workload": {"keys": 1000, "read_fraction": 0, "arrival": {"rate_per_s": 300}},
    "clients": {"instances": 1, "pattern": "write-behind",
                "write_behind": {"batch_size": 100000, "flush_interval_ms": 60000, "buffer_limit": 100000}},
    "faults": [{"at_s": 1, "action": "client_crash", "instance": 0}]})");
  const CliRun r = run_live(file + " --spawn --out " + t.out("run"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(t.out("run"));
  int64_t lost_event = -1;
  for (const auto& e : run.events)
    if (e.type == "client_crash") lost_event = e.raw.at("writes_lost").get<int64_t>();
  ASSERT_GE(lost_event, 0) << "no client_crash event";
  const auto& wb = run.summary.raw.at("clients").at("write_behind");
  EXPECT_EQ(wb.at("lost").get<int64_t>(), lost_event);
  EXPECT_EQ(wb.at("flushed").get<int64_t>(), 0);
  // 300 writes expected in the first second; 5 sigma of a Poisson count is 87.
  EXPECT_NEAR(static_cast<double>(lost_event), 300, 87);
  EXPECT_LE(lost_event, wb.at("buffered").get<int64_t>());
}

// client_pause live (issue 16 part 8): one instance takes the lock (lease 1500 ms) and loads for 1000 ms; it sleeps
// from 0.5 s to 2.5 s, so the real server expires the lock while the load's reply waits unread. On waking, the
// reads it held go out first and miss, and the first one's SET NX takes the expired lock: a second acquisition and
// a second load (a third if its own late DEL, of a lock it no longer holds, lets another waiter in), as in the
// simulator (tests/unit/client_pause_test.cpp, same scenario). Reads issued at the start
// of the pause waited for its end (Poisson at 50/s: one comes within 100 ms of 0.5 s with probability 1 - e^-5).
TEST(LiveClients, ClientPauseLetsTheLockExpireAndBeRetaken) {
  CACHELAB_REQUIRE_REDIS();
  TempRun t("pause");
  const std::string file = t.scenario(R"({"cachelab": 1, "name": "one-lock", "seed": 3, "duration_s": 5,
    "warmup_s": 0, "cluster": {"mode": "standalone", "masters": 1},
    "workload": {"keys": 1, "read_fraction": 1, "arrival": {"dist": "poisson", "rate_per_s": 50},
                 "ttl_s": {"dist": "fixed", "value": 60}},
    "clients": {"instances": 1, "stampede": {"mode": "lock", "lease_ms": 1500, "poll_ms": 20}},
    "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1000}, "timeout_ms": 10000},
    "faults": [{"at_s": 0.5, "action": "client_pause", "instance": 0, "duration_ms": 2000}]})");
  const CliRun r = run_live(file + " --spawn --out " + t.out("run"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const results::Run run = results::load_run(t.out("run"));
  int rows = 0;
  for (const auto& e : run.events)
    if (e.type == "client_pause") {
      ++rows;
      EXPECT_EQ(e.raw.at("instance").get<int>(), 0);
      EXPECT_DOUBLE_EQ(e.raw.at("duration_ms").get<double>(), 2000);
    }
  EXPECT_EQ(rows, 1);
  const auto& c = run.summary.raw.at("clients");
  EXPECT_GE(c.at("lock_acquired").get<int>(), 2);
  EXPECT_GE(c.at("origin_loads").get<int>(), 2);
  EXPECT_GT(run.summary.raw.at("latency_us").at("max").get<double>(), 1'900'000);
}

int64_t connections_received(const Endpoint& ep) {
  ControlConnection c(ep, 1000);
  const Reply r = c.command({"INFO", "stats"});
  const std::string text(r.str());
  const auto at = text.find("total_connections_received:");
  return at == std::string::npos ? -1 : std::stoll(text.substr(at + 27));
}

// clients.pool_size: each instance opens pool_size connections to the node and spreads its commands over them.
// Two runs that differ only in pool_size (1 and 3, 2 instances) differ by exactly (3 - 1) x 2 connections.
TEST(LiveClients, PoolOpensPoolSizeConnectionsPerInstance) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  TempRun t("pool");
  auto run_with = [&](int pool) {
    const std::string file = t.scenario(R"({"cachelab": 1, "name": "live-pool", "seed": 6, "duration_s": 1,
      "cluster": {"mode": "standalone", "masters": 1},
      "workload": {"keys": 100, "read_fraction": 1, "arrival": {"rate_per_s": 400}},
      "clients": {"instances": 2, "pool_size": )" +
                                        std::to_string(pool) + R"(}})");
    const int64_t before = connections_received(ep);
    const CliRun r =
        run_live(file + " --redis " + ep.str() + " --allow-non-empty --out " + t.out("run" + std::to_string(pool)));
    EXPECT_EQ(r.exit_code, 0) << r.output;
    return connections_received(ep) - before - 1;  // our own INFO connection counted in `after`
  };
  const int64_t one = run_with(1), three = run_with(3);
  EXPECT_EQ(three - one, 4) << "pool 1: " << one << " connections, pool 3: " << three;
  server.lab().teardown();
}

// Seed-list start live (clients.seeds, issue 16 part 8): both seeds are killed at t = 0 (SIGKILL: the connection is
// refused), master-2 is restarted at 2 s. Each instance's rounds of seeds fail at about 0, 0.1, 0.3, 0.7 and 1.5 s
// (backoff 100 ms, doubling), the requests waiting for them fail as client_not_started, and the round at about 3.1 s
// finds master-2 back: every instance starts then, as in the simulator on the same file (the sim's figures are the
// model's; the live ones may lag by the restart's own wait for PING and the loop's timer resolution).
TEST(LiveClients, SeedsDownThenBackStartTheClients) {
  CACHELAB_REQUIRE_REDIS();
  TempRun t("seeds");
  const std::string file = t.scenario(R"({"cachelab": 1, "name": "live-seeds", "seed": 8, "duration_s": 5,
    "warmup_s": 0, "cluster": {"masters": 3},
    "workload": {"keys": 1000, "read_fraction": 0.9, "arrival": {"rate_per_s": 400}},
    "clients": {"instances": 2, "timeout_ms": 500, "seeds": "master-1,master-2"},
    "origin": {"servers": 64, "service_ms": {"dist": "fixed", "value": 1}},
    "faults": [{"at_s": 0, "action": "kill", "node": "master-1"}, {"at_s": 0, "action": "kill", "node": "master-2"},
               {"at_s": 2, "action": "restart", "node": "master-2"}]})");
  const CliRun r = run_live(file + " --spawn --out " + t.out("live"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim"));
  ASSERT_EQ(s.exit_code, 0) << s.output;
  const results::Run live = results::load_run(t.out("live")), sim = results::load_run(t.out("sim"));
  for (const results::Run* run : {&live, &sim}) {
    const auto& st = run->summary.raw.at("clients").at("start");
    const std::string mode = run == &live ? "live" : "sim";
    EXPECT_EQ(st.at("instances_started").get<int>(), 2) << mode;
    EXPECT_GE(st.at("failed_rounds").get<int>(), 2 * 4) << mode;
    EXPECT_LE(st.at("failed_rounds").get<int>(), 2 * 6) << mode;
    EXPECT_GT(st.at("last_started_s").get<double>(), 2.0) << mode;
    EXPECT_LT(st.at("last_started_s").get<double>(), 4.0) << mode;
    const double failed = run->summary.raw.at("failed_by_cause").at("client_not_started").get<double>();
    EXPECT_EQ(failed, st.at("failed_requests").get<double>()) << mode;
    EXPECT_GT(failed, 400) << mode;  // about 1.5-3 s of 400 requests/s wait for a round that fails
  }
  const double live_start = live.summary.raw.at("clients").at("start").at("last_started_s").get<double>();
  const double sim_start = sim.summary.raw.at("clients").at("start").at("last_started_s").get<double>();
  EXPECT_NEAR(live_start, sim_start, 0.5);
}

}  // namespace
}  // namespace cachelab::live
