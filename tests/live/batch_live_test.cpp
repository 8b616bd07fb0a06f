// Pipelining as batching (clients.batch, issue 16 part 8) against a real redis-server, and the simulator on the same
// files. Spawned redis-server processes on 127.0.0.1 only.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <vector>

#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

using TempDir = testing::LiveTempDir;

// The node's CPU time (user + system, s) and commands processed so far, from INFO.
struct NodeCpu {
  double cpu_s = 0;
  double commands = 0;
};
NodeCpu node_cpu(const Endpoint& ep) {
  ControlConnection c(ep, 2000);
  const Reply r = c.command({"INFO", "all"});
  const auto f = parse_info_fields(r.str());
  NodeCpu n;
  n.cpu_s = server_cpu_us(f) / 1e6;
  n.commands = std::stod(f.at("total_commands_processed"));
  return n;
}

// Closed loop, one key space of 100 keys read over and over on one standalone node: batch 1 has one session per
// instance on a connection of its own (pool_size 1), so every command is one write and one read at the node; batch
// 16 has 16 sessions per instance, whose commands go in batches of 16 on the instance's connection. `shared`: batch
// 1 with 16 sessions per instance on one shared connection (pool_size 0), whose commands go out as they come.
std::string closed_loop(int batch, bool shared = false) {
  const int sessions = shared ? 16 : batch;
  return R"({"cachelab": 1, "name": "live-batch", "seed": 4, "duration_s": 3, "warmup_s": 1,
    "cluster": {"mode": "standalone", "masters": 1},
    "network": {"rtt_us": {"dist": "fixed", "value": 50}},
    "workload": {"keys": 100, "read_fraction": 1, "value_bytes": {"dist": "fixed", "value": 32},
                 "arrival": {"dist": "closed", "sessions_per_instance": )" +
         std::to_string(sessions) + R"(}},
    "clients": {"instances": 4, "pool_size": )" +
         std::string(batch == 1 && !shared ? "1" : "0") + R"(, "batch": {"size": )" + std::to_string(batch) +
         R"(, "max_wait_us": 1000}},
    "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})";
}

// The node's CPU per command of one run of `scenario` live (the server's getrusage delta over its commands) and
// simulated (the node's utilization over its throughput), in us.
void cpu_per_command(const Endpoint& ep, TempDir& t, const std::string& name, const std::string& scenario,
                     double& live_us, double& sim_us) {
  const std::string file = t.file(name + ".json", scenario);
  const NodeCpu before = node_cpu(ep);
  const CliRun r = run_live(file + " --redis " + ep.str() + " --allow-non-empty --out " + t.out("live" + name));
  const NodeCpu after = node_cpu(ep);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const double commands = after.commands - before.commands;
  ASSERT_GT(commands, 10000) << r.output;
  live_us = (after.cpu_s - before.cpu_s) / commands * 1e6;
  const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim" + name));
  ASSERT_EQ(s.exit_code, 0) << s.output;
  const results::Run sim = results::load_run(t.out("sim" + name));
  const double util = sim.summary.raw.at("nodes").at(0).at("utilization").get<double>();
  sim_us = util / sim.summary.raw.at("throughput_per_s").get<double>() * 1e6;
}

// The node CPU per command of run b over run a, live and simulated, printed; the live ratio must be within a factor
// 2.5 of the simulator's, and the simulator's below `sim_below` (the effect the test is about is modelled at all).
void expect_cpu_ratio_as_simulated(const std::string& what, double live_a, double live_b, double sim_a, double sim_b,
                                   double sim_below) {
  const double live_ratio = live_b / live_a, sim_ratio = sim_b / sim_a;
  std::cout << "[ measured ] node CPU per command, " << what << ": live " << live_a << " / " << live_b << " us (ratio "
            << live_ratio << "), sim " << sim_a << " / " << sim_b << " us (ratio " << sim_ratio << ")\n";
  EXPECT_LT(sim_ratio, sim_below) << what;
  EXPECT_GT(live_ratio, sim_ratio / 2.5) << what;
  EXPECT_LT(live_ratio, sim_ratio * 2.5) << what;
}

}  // namespace

// The node's CPU time per command, batch 16 against batch 1. The simulator charges a lone command its service time
// S and a command in a batch of 16 (S + 15 x 0.05 S) / 16 = 0.109 S (cluster/node.hpp kPipelinedCommandShare, from
// redis-benchmark's -P 16 figures in docs/redis-reference.md §9): a ratio of 0.109. Live, the ratio
// is the server's own getrusage (INFO used_cpu_user + used_cpu_sys) per command processed, each run's delta. The
// tolerance: the simulator's share came from redis-benchmark's GET and SET rates (4.2% and 5.5% per further
// command), and a live node's CPU per command also carries its idle work (serverCron at hz 10, the expire cycle)
// and a poll loop that may find several batches ready at once at batch 16 (or two instances' commands at once at
// batch 1), so the live ratio is taken to agree when within a factor 2.5 of the simulator's (0.044-0.27); a model
// without any per-request cost (ratio 1) or one that overstated it tenfold (0.01) would fail.
TEST(LiveBatch, NodeCpuPerCommandFallsWithBatchSizeAsSimulated) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  TempDir t("batch");
  std::map<int, double> live_us, sim_us;
  for (int batch : {1, 16}) {
    const std::string file = t.file("batch" + std::to_string(batch) + ".json", closed_loop(batch));
    const NodeCpu before = node_cpu(ep);
    const CliRun r =
        run_live(file + " --redis " + ep.str() + " --allow-non-empty --out " + t.out("live" + std::to_string(batch)));
    const NodeCpu after = node_cpu(ep);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const double commands = after.commands - before.commands;
    ASSERT_GT(commands, 10000) << r.output;
    live_us[batch] = (after.cpu_s - before.cpu_s) / commands * 1e6;
    const results::Run live = results::load_run(t.out("live" + std::to_string(batch)));
    if (batch > 1) {  // every batch written full: the sessions refill it as soon as its replies are in
      EXPECT_GT(live.summary.raw.at("clients").at("batch").at("mean_size").get<double>(), 15);
    }

    const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim" + std::to_string(batch)));
    ASSERT_EQ(s.exit_code, 0) << s.output;
    const results::Run sim = results::load_run(t.out("sim" + std::to_string(batch)));
    // One node, every command a GET hit after the first reads: its busy share over its commands per second.
    const double util = sim.summary.raw.at("nodes").at(0).at("utilization").get<double>();
    sim_us[batch] = util / sim.summary.raw.at("throughput_per_s").get<double>() * 1e6;
  }
  const double live_ratio = live_us[16] / live_us[1], sim_ratio = sim_us[16] / sim_us[1];
  std::cout << "node CPU per command, batch 1 / batch 16: live " << live_us[1] << " / " << live_us[16] << " us (ratio "
            << live_ratio << "), sim " << sim_us[1] << " / " << sim_us[16] << " us (ratio " << sim_ratio << ")\n";
  EXPECT_NEAR(sim_ratio, (1 + 15 * 0.05) / 16, 0.01);
  EXPECT_GT(live_ratio, sim_ratio / 2.5);
  EXPECT_LT(live_ratio, sim_ratio * 2.5);
  server.lab().teardown();
}

// One shared connection per instance without batching (pool_size 0, 16 sessions per instance): the commands the
// sessions issue while the node is busy wait in the connection's socket and the node reads and runs them together
// (docs/redis-reference.md §9.1), so its CPU per command falls as with batches, though the client never asked for a
// batch. Against one session per connection (pool_size 1: every command a read of its own): the simulator charges
// a command read with its connection's earlier one kPipelinedCommandShare of a service time, so its ratio is about
// that of batches of 16 when the 16 sessions' commands queue together (0.109), higher when they do not. Live, the
// server's CPU per command (getrusage, each run's delta). Agreement: within a factor 2.5 (as the batch test above);
// a model without the shared read (ratio 1, before this was modelled) fails.
TEST(LiveBatch, ASharedConnectionsWaitingCommandsAreReadTogetherAsSimulated) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  TempDir t("shared");
  std::map<bool, double> live_us, sim_us;
  for (const bool shared : {false, true}) {
    cpu_per_command(ep, t, shared ? "shared" : "pool1", closed_loop(1, shared), live_us[shared], sim_us[shared]);
    if (HasFatalFailure()) return;
  }
  expect_cpu_ratio_as_simulated("one connection per session / one shared connection per instance", live_us[false],
                                live_us[true], sim_us[false], sim_us[true], 0.5);
  server.lab().teardown();
}

// A pool whose connections carry several commands each (clients.pool_size 4, pipeline 4: 16 in flight per instance,
// 4 instances x 16 sessions) against one connection per session (pool_size 16, pipeline 1). The client logic puts a
// command on its least loaded pooled connection (pool.cpp, CacheCommand::conn) and live mode writes it there, so the
// node reads what waits on one pooled connection together (docs/redis-reference.md §9.1), as it does for a shared
// connection. Node CPU per command, the pipelined pool over one connection per session, live and simulated: within a
// factor 2.5 (as the tests above); a model that reads a pooled connection's commands apart (ratio 1, before pooled
// connections were told apart) fails.
TEST(LiveBatch, APooledConnectionsWaitingCommandsAreReadTogetherAsSimulated) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  TempDir t("pooled");
  std::map<int, double> live_us, sim_us;
  for (const int pool : {16, 4}) {
    cpu_per_command(ep, t, "pool" + std::to_string(pool),
                    R"({"cachelab": 1, "name": "live-pooled", "seed": 4, "duration_s": 3, "warmup_s": 1,
      "cluster": {"mode": "standalone", "masters": 1}, "network": {"rtt_us": {"dist": "fixed", "value": 50}},
      "workload": {"keys": 100, "read_fraction": 1, "value_bytes": {"dist": "fixed", "value": 32},
                   "arrival": {"dist": "closed", "sessions_per_instance": 16}},
      "clients": {"instances": 4, "pool_size": )" +
                        std::to_string(pool) + R"(, "pipeline": )" + std::to_string(16 / pool) + R"(},
      "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})",
                    live_us[pool], sim_us[pool]);
    if (HasFatalFailure()) return;
  }
  expect_cpu_ratio_as_simulated("pool 16 x pipeline 1 / pool 4 x pipeline 4", live_us[16], live_us[4], sim_us[16],
                                sim_us[4], 0.6);
  server.lab().teardown();
}

// A batch that does not fill waits max_wait_us from its first command: at 2,000 requests/s (Poisson) on one
// instance and a 2 ms wait, a batch of up to 16 collects about 1 + 4 commands and is written by its timer, so a
// command waits 3/5 x 2 ms = 1.2 ms on average before its write. The test compares the mean latency added by
// batching (batch 16 minus batch 1, which cancels the round trip, loopback against the simulator's 50 us) live
// and simulated: within 0.3 ms, the wall-clock timer's lateness on a loaded machine (ppoll wakes late by tens of
// microseconds, up to a few hundred under load) and 1,000-request sampling noise, far below the 1.2 ms effect.
// Each live run is 3 s at its own moment, and one clean-clone CI run (another live test beside it) read batch 1's
// mean 1.7 ms above batch 16's: the machine had stalled the batch-1 run, not the model. So the live runs go in the
// order 1, 16, 16, 1 and each batch size keeps its smaller mean (the run the machine disturbed less); the simulator,
// deterministic, runs once per size.
TEST(LiveBatch, MaxWaitAddsTheSameLatencyAsSimulated) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  TempDir t("batchwait");
  std::map<std::string, double> mean_us;
  int pass = 0;
  for (int batch : {1, 16, 16, 1}) {
    const bool first_of_size = pass < 2;
    const std::string run = std::to_string(batch) + "-" + std::to_string(pass++);
    const std::string file = t.file("wait" + run + ".json",
                                    R"({"cachelab": 1, "name": "live-batch-wait", "seed": 5, "duration_s": 3,
      "warmup_s": 1, "cluster": {"mode": "standalone", "masters": 1},
      "network": {"rtt_us": {"dist": "fixed", "value": 50}},
      "workload": {"keys": 100, "read_fraction": 1, "value_bytes": {"dist": "fixed", "value": 32},
                   "arrival": {"rate_per_s": 2000}},
      "clients": {"instances": 1, "batch": {"size": )" +
                                        std::to_string(batch) +
                                        R"(, "max_wait_us": 2000}},
      "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})");
    const std::string b = std::to_string(batch);
    const CliRun r = run_live(file + " --redis " + ep.str() + " --allow-non-empty --out " + t.out("live" + run));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    std::vector<std::string> modes{"live"};
    if (first_of_size) {
      const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim" + run));
      ASSERT_EQ(s.exit_code, 0) << s.output;
      modes.push_back("sim");
    }
    for (const std::string& mode : modes) {
      const results::Run result = results::load_run(t.out(mode + run));
      const double mean = result.summary.raw.at("latency_us").at("mean").get<double>();
      std::cout << mode << " batch " << b << " (pass " << pass << "): mean latency " << mean << " us\n";
      const auto [it, inserted] = mean_us.emplace(mode + b, mean);
      if (!inserted) it->second = std::min(it->second, mean);
      if (batch > 1) {  // the timer writes almost every batch
        EXPECT_GT(result.summary.raw.at("clients").at("batch").at("timer_flushes").get<double>(),
                  0.95 * result.summary.raw.at("clients").at("batch").at("batches").get<double>())
            << mode;
      }
    }
  }
  const double live_added = mean_us["live16"] - mean_us["live1"], sim_added = mean_us["sim16"] - mean_us["sim1"];
  std::cout << "mean latency added by batch 16 (max wait 2 ms): live " << live_added << " us, sim " << sim_added
            << " us\n";
  EXPECT_NEAR(sim_added, 1200, 100);  // 3/5 x 2 ms (sampling noise of ~4,000 batches)
  // Live can only be later than the model: the driver's timer wakes after max_wait_us, never before, and on a busy
  // machine the event loop wakes late (two runs at a load average of about 10 on 2 vCPUs: +46 us and +378 us). So the
  // band is one-sided beyond the sampling noise: a batch that is not held (added ~0) or held twice fails.
  EXPECT_GT(live_added, sim_added - 300);
  EXPECT_LT(live_added, sim_added + 700);
  server.lab().teardown();
}

}  // namespace cachelab::live
