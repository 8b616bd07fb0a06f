// Server-side scripts (workload ops script, clients.script_mode; docs/redis-reference.md §11) against a real
// redis-server, and the simulator on the same files. Spawned redis-server processes on 127.0.0.1 only.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "cachelab/cluster/script_cost.hpp"
#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

using ScriptsLiveDir = testing::LiveTempDir;

// INFO commandstats' calls and total microseconds of one command (0 when it has not run).
struct ScriptsLiveStat {
  double calls = 0, usec = 0;
};
ScriptsLiveStat scripts_live_stat(const Endpoint& ep, const std::string& cmd) {
  ControlConnection c(ep, 2000);
  const Reply r = c.command({"INFO", "commandstats"});
  const auto f = parse_info_fields(r.str());
  const auto it = f.find("cmdstat_" + cmd);
  if (it == f.end()) return {};
  const std::string& v = it->second;  // calls=N,usec=U,usec_per_call=...
  ScriptsLiveStat st;
  st.calls = std::stod(v.substr(v.find("calls=") + 6));
  st.usec = std::stod(v.substr(v.find("usec=") + 5));
  return st;
}

// The server's CPU time so far (INFO used_cpu_user + used_cpu_sys), in microseconds.
double scripts_live_cpu_us(const Endpoint& ep) {
  ControlConnection c(ep, 2000);
  return server_cpu_us(parse_info_fields(c.command({"INFO", "cpu"}).str()));
}

// One instance, one closed-loop session, no think time: each request is one script of `calls` INCR over 2 keys.
std::string scripts_live_scenario(uint32_t calls, const std::string& mode) {
  return R"({"cachelab": 1, "name": "live-scripts", "seed": 6, "duration_s": 3, "warmup_s": 1,
    "cluster": {"mode": "standalone", "masters": 1},
    "network": {"rtt_us": {"dist": "fixed", "value": 50}},
    "workload": {"keys": 1000, "popularity": {"dist": "uniform"}, "ops": {"script": 1},
                 "script": {"calls": )" +
         std::to_string(calls) + R"(, "keys": 2},
                 "arrival": {"dist": "closed", "sessions_per_instance": 1}},
    "clients": {"instances": 1, "script_mode": ")" +
         mode + R"("},
    "origin": {"servers": 8, "service_ms": {"dist": "fixed", "value": 1}}})";
}

}  // namespace

// A script of 20,000 INCR. The node's CPU time per EVALSHA (INFO used_cpu_user + used_cpu_sys over the run, per
// EVALSHA; the commands' own reads and replies and serverCron add a few tens of microseconds) must match the model's
// script cost (cluster/script_cost.hpp: 8.4 ms, the measured cost at that length) within a factor 0.6-3. CPU time,
// not INFO commandstats' wall-clock time per call: on a 2-vCPU machine shared with builds the server waits for a CPU
// in the middle of a script (one run: wall 42.4 ms, CPU 8.8 ms per EVALSHA). The band's top is this kind of host's
// own speed, which moves by the hour and with what runs on the other vCPU (they share a core's caches): on
// 2026-12-07, tools/script-cost.sh's protocol measured 12.8-13.1 ms per 20,000-INCR script on the idle machine (and
// 541-651 us at 1,000 calls, twice the csv's 264.6), this test read 15.9-17.7 ms of CPU with a simulator run busy on
// the other vCPU, and a clean-clone CI run failed an earlier band's 1.6 x at 14.25 ms. So the run is made up to
// three times and keeps the smallest CPU time per EVALSHA (the run the machine disturbed least), and the band tells
// a model with a per-call cost from one without (a few us per script: 1,000 x below) or one several times off, not
// 0.26 from 0.42 us per call: those values are docs/measurements/script-cost-redis-7.0.csv's, measured by
// tools/script-cost.sh (README.md's measurements table gives the conditions). Both times are printed, with the mean latencies (live adds the driver's
// own waits). The real server must have run one EVALSHA per request (its SHA1 loaded once by SCRIPT LOAD) and
// 20,000 INCR per EVALSHA: a client that sent the INCRs itself, or a script that ran once per key, fails.
TEST(LiveScripts, AScriptsNodeTimeIsTheModelledCost) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  ScriptsLiveDir t("scripts");
  const std::string file = t.file("long.json", scripts_live_scenario(20000, "evalsha"));
  const double model_us = script_node_time(20000).nanos() / 1000.0;
  double live_cpu_us = 0;
  for (int attempt = 0; attempt < 3; ++attempt) {
    const std::string out = t.out("live" + std::to_string(attempt));
    const ScriptsLiveStat before = scripts_live_stat(ep, "evalsha"), incr_before = scripts_live_stat(ep, "incr");
    const double cpu_before = scripts_live_cpu_us(ep);
    const CliRun r = run_live(file + " --redis " + ep.str() + " --allow-non-empty --out " + out);
    ASSERT_EQ(r.exit_code, 0) << r.output;
    const double cpu_after = scripts_live_cpu_us(ep);
    const ScriptsLiveStat after = scripts_live_stat(ep, "evalsha"), incr_after = scripts_live_stat(ep, "incr");
    const double evalsha = after.calls - before.calls, incr = incr_after.calls - incr_before.calls;
    EXPECT_EQ(scripts_live_stat(ep, "script|load").calls, attempt + 1) << "one connection per run, one SCRIPT LOAD";
    const results::Run live = results::load_run(out);
    EXPECT_EQ(live.summary.raw.at("failed_requests").get<uint64_t>(), 0u);
    ASSERT_GT(evalsha, 20);
    EXPECT_EQ(incr, 20000 * evalsha);
    const double node_us = (after.usec - before.usec) / evalsha, cpu_us = (cpu_after - cpu_before) / evalsha;
    std::cout << "a script of 20,000 INCR, run " << attempt + 1 << ": node time per EVALSHA live " << node_us
              << " us (CPU " << cpu_us << " us), model " << model_us << " us; mean latency live "
              << live.summary.raw.at("latency_us").at("mean").get<double>() << " us\n";
    live_cpu_us = attempt == 0 ? cpu_us : std::min(live_cpu_us, cpu_us);
    if (live_cpu_us < 1.6 * model_us) break;  // an undisturbed run: no need for another
  }

  const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim"));
  ASSERT_EQ(s.exit_code, 0) << s.output;
  const results::Run sim = results::load_run(t.out("sim"));
  const double sim_us = sim.summary.raw.at("latency_us").at("mean").get<double>();
  std::cout << "smallest CPU per EVALSHA " << live_cpu_us << " us; simulated mean latency " << sim_us << " us\n";
  EXPECT_NEAR(sim_us, 50 + 8 + model_us, 5);
  EXPECT_GT(live_cpu_us, 0.6 * model_us);
  EXPECT_LT(live_cpu_us, 3.0 * model_us);
  server.lab().teardown();
}

// K = 8 calls as 8 round trips, as one EVALSHA, and a single INCR per request, one closed-loop session each. The
// simulator: 8 round trips take 8 times a single INCR's (50 + 8 us each), and the script 1.06 times (50 + 8 + 3.4
// us). Live, a loopback round trip through the driver is another length than the simulated 50 us, but the same for
// the three runs, so the ratios carry over. Compared on the medians (a loaded machine stretches the mean's tail):
// round trips / INCR within 0.5-1.5 x the simulator's 8 (a client that sent the calls in one round trip gives about
// 1), script / INCR within 0.6-2 x the simulator's (a script that cost a round trip per call gives about 8). The bands
// are that wide because each mode's runs are 3 s at their own moments: with other live tests running beside it (ctest
// -j2) one run's median moved by a third, and once (a clean-clone CI run beside other jobs) the single INCR run's
// median was 3.4 times the others' round trip. So each mode runs twice, in the order evalsha, round trips, INCR, INCR,
// round trips, evalsha, and keeps its smaller median (the run the machine disturbed less). The bands still tell the
// right model from the two wrong ones by a factor of 4. The server must have run 8 INCR per round-trip request and
// no EVALSHA.
TEST(LiveScripts, RoundTripsCostAsManyRoundTripsAsCallsAsSimulated) {
  CACHELAB_REQUIRE_REDIS();
  testing::StandaloneLabForTest server;
  const Endpoint ep = server.endpoint();
  ScriptsLiveDir t("scripttrips");
  std::map<std::string, double> p50_us;
  int pass = 0;
  for (const std::string mode : {"evalsha", "round_trips", "incr", "incr", "round_trips", "evalsha"}) {
    const std::string run = mode + std::to_string(pass++);
    std::string text = scripts_live_scenario(8, mode == "incr" ? "evalsha" : mode);
    if (mode == "incr") text.replace(text.find(R"({"script": 1})"), 13, R"({"incr": 1})");
    const std::string file = t.file(run + ".json", text);
    const double evalsha_before = scripts_live_stat(ep, "evalsha").calls;
    const CliRun r = run_live(file + " --redis " + ep.str() + " --allow-non-empty --out " + t.out("live-" + run));
    ASSERT_EQ(r.exit_code, 0) << r.output;
    if (mode == "round_trips") {
      EXPECT_EQ(scripts_live_stat(ep, "evalsha").calls - evalsha_before, 0);
    }
    const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim-" + run));
    ASSERT_EQ(s.exit_code, 0) << s.output;
    for (const std::string run_mode : {"live-", "sim-"}) {
      const results::Run result = results::load_run(t.out(run_mode + run));
      EXPECT_EQ(result.summary.raw.at("failed_requests").get<uint64_t>(), 0u) << run_mode << run;
      const double p50 = result.summary.raw.at("latency_us").at("p50").get<double>();
      const auto [it, first] = p50_us.emplace(run_mode + mode, p50);
      if (!first) it->second = std::min(it->second, p50);
    }
  }
  const double live_trips = p50_us["live-round_trips"] / p50_us["live-incr"];
  const double sim_trips = p50_us["sim-round_trips"] / p50_us["sim-incr"];
  const double live_script = p50_us["live-evalsha"] / p50_us["live-incr"];
  const double sim_script = p50_us["sim-evalsha"] / p50_us["sim-incr"];
  std::cout << "p50 latency, 8 round trips / one script / one INCR: live " << p50_us["live-round_trips"] << " / "
            << p50_us["live-evalsha"] << " / " << p50_us["live-incr"] << " us, sim " << p50_us["sim-round_trips"]
            << " / " << p50_us["sim-evalsha"] << " / " << p50_us["sim-incr"] << " us\n";
  EXPECT_NEAR(sim_trips, 8, 0.3);  // the histogram's buckets round the medians a little
  EXPECT_GT(live_trips, 0.5 * sim_trips);
  EXPECT_LT(live_trips, 1.5 * sim_trips);
  EXPECT_GT(live_script, 0.6 * sim_script);
  EXPECT_LT(live_script, 2.0 * sim_script);
  server.lab().teardown();
}

// In a cluster, a script whose two keys have no common hash tag is refused with -CROSSSLOT by real Redis (the
// declared keys are checked before the script runs) and by the simulator: every request fails, in both modes.
TEST(LiveScripts, KeysInTwoSlotsAreRefusedWithCrossSlotLikeTheSimulator) {
  CACHELAB_REQUIRE_REDIS();
  ScriptsLiveDir t("scriptslot");
  std::string text = scripts_live_scenario(4, "evalsha");
  text.replace(text.find(R"("mode": "standalone", "masters": 1)"), 34, R"("masters": 3)");
  text.replace(text.find(R"("duration_s": 3)"), 15, R"("duration_s": 2)");
  const std::string file = t.file("crossslot.json", text);
  const CliRun r = run_live("live " + file + " --spawn --out " + t.out("live"));  // its own 3-master cluster
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const CliRun s = run_cachelab("run " + file + " --out " + t.out("sim"));
  ASSERT_EQ(s.exit_code, 0) << s.output;
  for (const char* mode : {"live", "sim"}) {
    const results::Run run = results::load_run(t.out(mode));
    const uint64_t requests = run.summary.raw.at("requests");
    EXPECT_GT(requests, 100u) << mode;
    EXPECT_EQ(run.summary.raw.at("failed_requests").get<uint64_t>(), requests) << mode;
    // An error is counted at its reply, a request at its due time: the one in flight at the warm-up's end may differ.
    EXPECT_NEAR(run.summary.raw.at("errors").at("crossslot").get<double>(), static_cast<double>(requests), 1) << mode;
  }
}

}  // namespace cachelab::live
