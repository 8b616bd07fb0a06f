// Issue 21 part 7, chaos under load: while `cachelab live --redis` drives a steady read/write load on a 3x1
// cluster, the test kills and restarts, then pauses and resumes, every node in turn (masters fail over, come back
// as replicas, ...). The client never hangs (the run ends on time), every request is counted exactly once
// (issued = completed, failed ones included, nothing in flight at the end), and the cluster ends healthy: every
// node sees cluster_state:ok with all 16384 slots served. Nothing is left running afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "cachelab/results/reader.hpp"
#include "child_process.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"
#include "live/faults/fault_injector.hpp"
#include "live/lab/cluster_nodes.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kNodeTimeoutMs = 1000;
constexpr int kStepTimeoutMs = 30000;  // any one step of the chaos taking longer fails the test

// Some running node flags `name` as failed: the cluster noticed it is gone.
bool flagged_failed(const Lab& lab, const std::string& name) {
  const std::string id = lab.node(name).node_id;
  for (const auto& n : lab.nodes()) {
    if (n.pid <= 0 || n.paused || n.name == name) continue;
    try {
      for (const auto& line : parse_cluster_nodes(control_command(n.endpoint, {"CLUSTER", "NODES"}, 500).str()))
        if (line.id == id && line.flags.find("fail") != std::string::npos) return true;
    } catch (const ConnectionError&) {}
  }
  return false;
}

// Every running, unpaused node: cluster_state:ok and all slots served ("why" says which is not).
bool healthy(const Lab& lab, std::string& why) {
  for (const auto& n : lab.nodes()) {
    if (n.pid <= 0 || n.paused) continue;
    try {
      auto info = parse_info_fields(control_command(n.endpoint, {"CLUSTER", "INFO"}, 500).str());
      if (info["cluster_state"] != "ok" || info["cluster_slots_ok"] != "16384") {
        why = n.name + ": cluster_state:" + info["cluster_state"] + " cluster_slots_ok:" + info["cluster_slots_ok"];
        return false;
      }
    } catch (const ConnectionError& e) {
      why = n.name + ": " + e.what();
      return false;
    }
  }
  return true;
}

template <typename F, typename G>
void wait_until(F&& done, G&& what) {
  const auto deadline = Clock::now() + milliseconds(kStepTimeoutMs);
  while (!done()) {
    ASSERT_TRUE(Clock::now() < deadline) << "timed out waiting until " << what();
    std::this_thread::sleep_for(milliseconds(50));
  }
}

TEST(LiveChaos, KillPauseRestartEveryNodeUnderLoad) {
  CACHELAB_REQUIRE_REDIS();
  LabConfig config = testing::cluster_config(3, 1);
  config.control.node_timeout_ms = kNodeTimeoutMs;  // failovers within ~2 s
  Lab lab(config);
  lab.start();
  const testing::LabFootprint footprint = testing::footprint(lab);
  testing::ScopedEnv pw("CACHELAB_REDIS_PASSWORD", lab.password());
  const fs::path out = fs::temp_directory_path() / ("cachelab-chaos-" + std::to_string(::getpid()));
  fs::remove_all(out);
  const auto started = Clock::now();
  testing::LiveChild child({"live", std::string(CACHELAB_LIVE_SCENARIOS) + "/chaos.json", "--redis",
                            lab.endpoints().at(0).str(), "--out", out.string()},
                           {});
  ASSERT_TRUE(child.wait_for("cachelab live: running", milliseconds(30000))) << child.output();
  const auto run_started = Clock::now();  // the run's t = 0, give or take the time to read the line

  FaultInjector faults(lab);
  std::vector<std::string> names;
  for (const auto& n : lab.nodes()) names.push_back(n.name);
  std::string why;
  for (const auto& name : names) {
    SCOPED_TRACE(name);
    lab.kill_node(name);
    wait_until([&] { return flagged_failed(lab, name); }, [&] { return "the cluster flags " + name + " as failed"; });
    wait_until([&] { return healthy(lab, why); },
               [&] { return "the cluster serves every slot without " + name + " (" + why + ")"; });
    lab.respawn_node(name);
    lab.wait_ready(kStepTimeoutMs);
    faults.pause(name);
    std::this_thread::sleep_for(milliseconds(kNodeTimeoutMs * 3 / 2));  // past node_timeout: a master fails over
    faults.resume(name);
    lab.wait_ready(kStepTimeoutMs);
    ASSERT_FALSE(::testing::Test::HasFatalFailure());
    EXPECT_TRUE(child.running()) << "the load must last the whole chaos (scenario duration too short?)";
  }
  const double chaos_s = std::chrono::duration<double>(Clock::now() - started).count();
  const double chaos_end_t = std::chrono::duration<double>(Clock::now() - run_started).count();

  // The run ends on its own: duration, plus the drain of what is in flight (timeouts), plus the clean-up.
  const auto status = child.wait(milliseconds(120000));
  ASSERT_TRUE(status.has_value()) << "cachelab live hangs:\n" << child.output();
  ASSERT_TRUE(WIFEXITED(*status) && WEXITSTATUS(*status) == 0) << "status " << *status << "\n" << child.output();

  const results::Run run = results::load_run(out);
  const auto& s = run.summary.raw;
  const uint64_t issued = run.info.raw.at("live").at("requests_issued").get<uint64_t>();
  EXPECT_GT(issued, 400u * 40) << "the load ran the whole time (" << chaos_s << " s of chaos)";
  // Every issued request ended exactly once, as a success or a failure; none is still in flight.
  EXPECT_EQ(s.at("requests").get<uint64_t>(), issued);
  EXPECT_EQ(s.at("offered").get<uint64_t>(), issued);
  EXPECT_EQ(s.at("in_flight_at_end").get<uint64_t>(), 0u);
  EXPECT_LE(s.at("failed_requests").get<uint64_t>(), issued);
  // The chaos was felt: dead or paused nodes gave the client errors to handle.
  const auto& e = s.at("errors");
  EXPECT_GT(e.at("connection").get<uint64_t>() + e.at("timeout").get<uint64_t>(), 0u) << e.dump();
  // The client follows the failovers (it knows every node, replicas included, and reloads the slot map): most
  // requests find the cache. One that lost the promoted masters would miss it (degraded, served by the origin) for
  // every request of their slots from then on.
  // The client knows every node, replicas included (a replica it has never heard of cannot be followed when it is
  // promoted: that doubled the requests that missed the cache here), and once the chaos is over and the cluster
  // healthy, the cache answers again with no error at all.
  EXPECT_EQ(run.info.raw.at("host").at("redis_nodes").size(), 6u) << run.info.raw.at("host").dump();
  const auto* t_s = run.series.column("t_s");
  ASSERT_NE(t_s, nullptr);
  int calm_rows = 0;
  for (const char* col : {"errors_connection", "errors_clusterdown", "errors_timeout", "errors_moved"}) {
    const auto* v = run.series.column(col);
    ASSERT_NE(v, nullptr) << col;
    for (size_t i = 0; i < t_s->size(); ++i) {
      if ((*t_s)[i] - 1.0 < chaos_end_t + 2.0) continue;  // the row's interval starts 2 s after the chaos ended
      EXPECT_EQ((*v)[i], 0) << col << " at t=" << (*t_s)[i] << " s (chaos ended at " << chaos_end_t << " s)";
      ++calm_rows;
    }
  }
  EXPECT_GT(calm_rows, 0) << "the run must go on after the chaos (chaos ended at " << chaos_end_t << " s)";
  std::cerr << "chaos: " << chaos_s << " s, issued " << issued << ", degraded " << s.at("degraded_requests")
            << ", failed " << s.at("failed_requests") << ", errors " << e.dump() << "\n";
  EXPECT_EQ(e.at("reply").get<uint64_t>(), 0u) << e.dump();

  // The cluster is healthy at the end, on every node.
  for (const auto& n : lab.nodes()) {
    ASSERT_GT(n.pid, 0) << n.name << " is not running";
    auto info = parse_info_fields(control_command(n.endpoint, {"CLUSTER", "INFO"}, 1000).str());
    EXPECT_EQ(info["cluster_state"], "ok") << n.name;
    EXPECT_EQ(info["cluster_slots_assigned"], "16384") << n.name;
    EXPECT_EQ(info["cluster_slots_ok"], "16384") << n.name;
    EXPECT_EQ(info["cluster_known_nodes"], "6") << n.name;
  }
  EXPECT_NE(child.output().find("deleted "), std::string::npos) << child.output();
  lab.teardown();
  testing::expect_nothing_left(footprint);
  fs::remove_all(out);
}

}  // namespace
}  // namespace cachelab::live
