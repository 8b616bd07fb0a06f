// The live validation suite (issue 7 item 8, issue 4's live tests): each scenario of scenarios/validation/live runs
// on servers the test spawns (`cachelab-live live FILE --spawn --compare`), the simulator runs the same scenario and
// seed into <dir>-sim, and compare's verdict on the metrics that scenario validates must be "within". Tolerances are
// the issues' numbers: hit ratio 0.01 absolute, evicted keys 3%, kept keys 2%, promotion time 15%; expired keys 3%
// (the evicted-keys tolerance, for a counter of the same kind). Latency is not validated here: the simulator's RTT and
// service time are modelled, live ones are this shared CI machine's.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cachelab/cache/value_cost.hpp"
#include "cachelab/results/compare.hpp"
#include "cachelab/results/reader.hpp"
#include "cli_run.hpp"
#include "lab_helpers.hpp"
#include "live/calibrate/calibrate.hpp"

namespace cachelab::live {
namespace {

namespace fs = std::filesystem;

std::string validation_scenario_file(const std::string& name) {
  return std::string(CACHELAB_SOURCE_DIR) + "/scenarios/validation/live/" + name + ".json";
}

struct Validation {
  fs::path live, sim;
  CliRun run;
  nlohmann::json verdict;  // compare_runs(live, sim, the scenario's tolerances)
  std::string table;       // the whole verdict, for failure messages
};

// Runs FILE live with --compare (the CLI path users run) and then compares the two run directories again with only
// the tolerances this scenario validates.
// `wrapper`: a command the binary runs under (the big-values test's private network namespace), else empty.
Validation validate(const std::string& name, const compare::Tolerances& tol, const std::string& extra = "",
                    const std::string& wrapper = "") {
  Validation v;
  v.live = fs::temp_directory_path() / ("cachelab-validation-" + name + "-" + std::to_string(::getpid()));
  v.sim = v.live.string() + "-sim";
  fs::remove_all(v.live);
  fs::remove_all(v.sim);
  v.run = run_binary(wrapper + CACHELAB_LIVE_BINARY, "live " + validation_scenario_file(name) +
                                                         " --spawn --compare --out " + v.live.string() + " " + extra);
  if (fs::exists(v.live / "summary.json") && fs::exists(v.sim / "summary.json")) {
    v.verdict = compare::compare_runs(v.live, v.sim, tol);
    v.table = compare::format_verdict(v.verdict);
  }
  return v;
}

const nlohmann::json* row(const Validation& v, const std::string& metric) {
  for (const auto& r : v.verdict.at("metrics"))
    if (r.at("name") == metric) return &r;
  return nullptr;
}

void expect_within(const Validation& v, const std::string& metric) {
  const auto* r = row(v, metric);
  ASSERT_NE(r, nullptr) << metric << " missing\n" << v.table;
  // Both sides' numbers in the test log, passing or not: the suite's figures for the notes.
  std::cout << "[ measured ] " << metric << ": live " << r->at("a") << ", sim " << r->at("b") << "\n";
  EXPECT_TRUE(r->at("within").get<bool>()) << metric << ": live " << r->at("a") << ", sim " << r->at("b") << "\n"
                                           << v.table;
}

void cleanup(const Validation& v) {
  fs::remove_all(v.live);
  fs::remove_all(v.sim);
}

// `--compare` itself must pass: each scenario declares what it validates (its "compare" section, the same
// tolerances the tests below hold), and the command exits 0 only when all of them hold.
#define ASSERT_RAN(v)                                                                \
  do {                                                                               \
    ASSERT_FALSE((v).verdict.is_null()) << "no run directories\n" << (v).run.output; \
    EXPECT_EQ((v).run.exit_code, 0) << (v).run.output;                               \
  } while (0)

void eviction(const std::string& name) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate(name, {{"hit_ratio", {0.01, false}}});
  ASSERT_RAN(v);
  const auto* ev = row(v, "evicted_keys");
  ASSERT_NE(ev, nullptr);
  EXPECT_GT(ev->at("a").get<double>(), 0) << "live must evict in this scenario\n" << v.table;
  EXPECT_GT(ev->at("b").get<double>(), 0) << "the simulator must evict in this scenario\n" << v.table;
  expect_within(v, "hit_ratio");
  cleanup(v);
}

TEST(LiveValidation, EvictionAllkeysLruHitRatioWithin001) { eviction("evict-lru"); }
TEST(LiveValidation, EvictionAllkeysLfuHitRatioWithin001) { eviction("evict-lfu"); }
TEST(LiveValidation, EvictionAllkeysRandomHitRatioWithin001) { eviction("evict-random"); }

// Keys kept under maxmemory through the product's own path (the live driver and its lab against the simulator on
// the same scenario), to the memory grid's 0.5% (issue 16 part 6): the loader counts what the live lab holds besides
// the keys (its connections, including the driver's INFO monitor and, in cluster mode, the failover watch; the
// commands it has run), docs/redis-reference.md §7.8. Before the monitor and the watch kept their connections
// (a fresh one per poll held ~38 KB for its moment), the cluster case kept 1.2-1.3% fewer keys live.
TEST(LiveValidation, KeysKeptUnderMaxmemoryWithinHalfPercent) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("kept-keys", {{"keys", {0.005, true}}, {"evicted_keys", {0.03, true}}});
  ASSERT_RAN(v);
  expect_within(v, "keys");
  expect_within(v, "evicted_keys");
  cleanup(v);
}

TEST(LiveValidation, ClusterKeysKeptUnderMaxmemoryWithTtlsWithinHalfPercent) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("kept-keys-cluster", {{"keys", {0.005, true}}, {"evicted_keys", {0.03, true}}});
  ASSERT_RAN(v);
  expect_within(v, "keys");
  expect_within(v, "evicted_keys");
  cleanup(v);
}

TEST(LiveValidation, TtlExpiryCountsAndHitRatio) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("ttl-expiry", {{"expired_keys", {0.03, true}}, {"hit_ratio", {0.01, false}}});
  ASSERT_RAN(v);
  EXPECT_GT(row(v, "expired_keys")->at("a").get<double>(), 1000) << v.table;
  // Lazy expiry decides hits, and it agrees.
  expect_within(v, "hit_ratio");
  // The active expire cycle reclaims as Redis's does. (It once reclaimed 17% fewer: the simulator walked its keys in
  // insertion order, so runs of fresh keys ended cycles at the 10%-stale rule; then ~2.4% more: a permutation fixed
  // per pass never met keys set during the pass, so its samples were staler than Redis's bucket walk. It now keeps
  // the keys in hashed order, store.cpp vol_add; 9 live runs: 58,583-59,755 against the simulator's 58,781.)
  expect_within(v, "expired_keys");
  cleanup(v);
}

// `relative_tol`: the scenario's own (see its description): a mean of three live failovers against a mean of three
// simulated ones differs by about 20% (1 sigma) at NT 2 s and 10% at NT 5 s, so 35% and 25%; the simulator's
// 200-seed means against Redis's measured ones are the tight checks (unit tests, within 15%).
void failover(const std::string& name, double relative_tol) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate(name, {{"failovers.promotion_s", {relative_tol, true}}});
  ASSERT_RAN(v);
  const results::Run live = results::load_run(v.live);
  ASSERT_EQ(live.summary.failovers.size(), 3u) << v.table;
  for (const auto& f : live.summary.failovers) {
    // Read from the servers: every step of the chain was seen, in order.
    EXPECT_TRUE(std::isfinite(f.t_promoted_s)) << f.node << " was not promoted\n" << v.table;
    EXPECT_LE(f.t_kill_s, f.t_pfail_s) << f.node;
    EXPECT_LE(f.t_pfail_s, f.t_fail_s) << f.node;
    EXPECT_LE(f.t_fail_s, f.t_promoted_s) << f.node;
    EXPECT_LE(f.t_promoted_s, f.t_ok_s) << f.node;
    EXPECT_FALSE(f.new_master.empty()) << f.node;
  }
  expect_within(v, "failovers.promotion_s");
  cleanup(v);
}

TEST(LiveValidation, FailoverAtNodeTimeout2sPromotionTimeWithin35Percent) { failover("failover-nt2000", 0.35); }
TEST(LiveValidation, FailoverAtNodeTimeout5sPromotionTimeWithin25Percent) { failover("failover-nt5000", 0.25); }

TEST(LiveValidation, KeySlotsRangesAndKeysPerNode) {
  CACHELAB_REQUIRE_REDIS();
  const Validation v = validate("key-slots", {{"errors.moved", {0, false}}, {"errors.ask", {0, false}}});
  ASSERT_RAN(v);
  expect_within(v, "errors.moved");
  expect_within(v, "errors.ask");
  const results::Run live = results::load_run(v.live), sim = results::load_run(v.sim);
  ASSERT_EQ(live.summary.nodes.size(), sim.summary.nodes.size());
  for (size_t i = 0; i < live.summary.nodes.size(); ++i) {
    const auto& l = live.summary.nodes[i];
    const auto& s = sim.summary.nodes[i];
    EXPECT_EQ(l.name, s.name);
    EXPECT_EQ(l.slot_ranges, s.slot_ranges) << l.name;
    // The same keys land on the same node; only requests the simulator leaves in flight at duration_s differ.
    EXPECT_NEAR(l.keys, s.keys, 0.005 * s.keys) << l.name;
  }
  EXPECT_EQ(live.summary.raw.at("hot_slots").at(0).at("slot"), sim.summary.raw.at("hot_slots").at(0).at("slot"));
  cleanup(v);
}

// Value size (issue 16 part 3, docs/redis-reference.md §12): one node, one closed-loop session reading values of
// 1 KB to 1 MB, throughput live against simulated (a reply over 64 KB in slices that overlap the node's copy and the
// link, net/transfer.hpp). What the model cannot know is this machine's state, and three parts of a GET's time follow
// it: the client's own time per request and the round trip (36k to 54k requests/s at 1 KB), how fast the client takes
// bytes off loopback (12 to 40 Gbit/s in runs minutes apart), and Redis's own CPU per reply byte, which this host
// moves by the hour (1.6-3.7 times the fit's CPU per GET from 100 B to 1 MB half an hour after a run that matched it,
// with a step in the slope that came above 400 KB one hour and above 1 MB the next, §12.4). So each round measures
// them on this machine now, as a planner would configure the model for a host: 100 B sets the round trip
// (`network.rtt_us`: 1 / live throughput less the simulator's own time); every live run's server CPU per GET (INFO
// used_cpu_*_main_thread over the commands processed: summary nodes[].utilization and ops), less the 100 B run's,
// sets the node's cost per reply byte at that size (`cluster.get_ns_per_reply_byte`; the server's CPU, not the
// client's throughput, which is what is checked); 400 KB (a size not checked) sets the loopback's rate (`network.
// nic_gbps`: the link speed at which the simulator's time per GET equals live's, solved with the model's own
// formula; at 100 KB and 1 MB scaled by the driver's own CPU per reply byte, 400 KB's over the checked run's, since
// the client's copies cost more per byte at 1 MB as the server's do). Then 1 KB, 10 KB, 100 KB and 1 MB run live, and the simulator with those inputs; what is checked is the
// model's composition of them, the round trip, the node's time and the sliced transfer overlapping it, against the
// throughput live, the medians of 5 rounds within the 15%. A model without any cost per byte is off by about
// 4x at 100 KB and 20x at 1 MB; the store-and-forward one before this (node copy, then the transfer) by 0.24-0.52 at
// 1 MB. That the fit's constant (the default a scenario gets) is this host's order is checked too.
constexpr int kBigValuesRounds = 5;  // each with its own calibration; the medians are checked

// big-values.json's duration_s or warmup_s.
double big_values_scenario_s(const char* key) {
  std::ifstream in(validation_scenario_file("big-values"));
  return nlohmann::json::parse(in).at(key).get<double>();
}
// The part of the run that is measured (after the warm-up), in s.
double big_values_measured_s() { return big_values_scenario_s("duration_s") - big_values_scenario_s("warmup_s"); }

// The lab's loopback (docs/redis-reference.md §12.5). This host's default TCP congestion control is BBR, which paces
// a reply once replies are big enough to fill its window (here from about 1 MB): the kernel sends Redis's one writev
// of 1 MB in hrtimer-paced bursts at BBR's estimate of loopback's bandwidth, which is the rate the client read the
// last replies at, and Redis's CPU per GET goes from 127-132 us to 195-260 us. The simulator's link has no such
// feedback (on a real network BBR paces at the path's bandwidth, which is the link's rate). So the test runs its lab
// in a private network namespace (`unshare -rn`: a user namespace, no privileges needed) whose loopback uses Reno,
// which does not pace; where that is not possible (no user namespaces, no `ip`), or with CACHELAB_BIG_VALUES_NETNS=0
// in the environment (to compare), on the host's loopback.
struct BigValuesNet {
  std::string wrapper;  // prefix for validate(): runs cachelab-live (and the servers it spawns) in the namespace
  std::string congestion_control;
};

BigValuesNet big_values_net() {
  const std::string setup =
      "ip link set lo up && echo reno > /proc/sys/net/ipv4/tcp_congestion_control && "
      "cat /proc/sys/net/ipv4/tcp_congestion_control";
  const char* netns = std::getenv("CACHELAB_BIG_VALUES_NETNS");
  const CliRun probe =
      netns && std::string(netns) == "0" ? CliRun{} : run_binary("unshare", "-rn sh -c '" + setup + "'");
  if (probe.exit_code == 0 && probe.output.rfind("reno", 0) == 0)
    return {"unshare -rn sh -c '" + setup + " >/dev/null && exec \"$0\" \"$@\"' ", "reno"};
  std::ifstream in("/proc/sys/net/ipv4/tcp_congestion_control");
  std::string cc;
  in >> cc;
  return {"", cc.empty() ? "unknown" : cc};
}

double big_values_throughput(const Validation& v, const char* side) {
  return row(v, "requests")->at(side).get<double>() / big_values_measured_s();
}

// The live server's CPU time per command over the run, in µs: its main thread's busy share of the run
// (nodes[].utilization, INFO used_cpu_*_main_thread) times the run's time, over the commands it processed (the
// GETs, 16 SETs of the misses and a few INFO polls). NaN when the server did not report its CPU time.
double big_values_node_cpu_us(const Validation& v) {
  const results::Run live = results::load_run(v.live);
  if (live.summary.nodes.size() != 1) return std::nan("");
  const auto& n = live.summary.nodes[0];
  if (!(n.utilization >= 0) || !(n.ops > 0)) return std::nan("");
  return n.utilization * big_values_scenario_s("duration_s") * 1e6 / n.ops;
}

// The live driver's CPU time per request over the run, in µs: run.json live.driver_cpu_s (the driver process, from
// the request stream's start to its drain) over the requests it issued. NaN when it was not measured.
double big_values_driver_cpu_us(const Validation& v) {
  const results::Run live = results::load_run(v.live);
  const auto& l = live.info.raw.at("live");
  if (!l.contains("driver_cpu_s") || !l.at("driver_cpu_s").is_number()) return std::nan("");
  const double issued = l.at("requests_issued").get<double>();
  return issued > 0 ? l.at("driver_cpu_s").get<double>() * 1e6 / issued : std::nan("");
}

std::string big_values_load() {
  std::ifstream in("/proc/loadavg");
  std::string one;
  in >> one;
  return one.empty() ? "unknown" : one;
}

std::string fixed(double x, int digits) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*f", digits, x);
  return text;
}

TEST(LiveValidation, BigValuesThroughputLiveAgainstSimFrom1KBTo1MB) {
  CACHELAB_REQUIRE_REDIS();
  const compare::Tolerances tol{{"requests", {0.15, true}}};
  const std::vector<int> sizes = {1000, 10000, 100000, 1048576};
  std::map<int, std::vector<double>> ratios;   // sim / live
  std::map<int, std::vector<double>> live_at;  // live throughputs per round
  std::map<int, std::vector<double>> node_at;  // the node's ns per reply byte measured per round
  const BigValuesNet net = big_values_net();
  std::cout << "[ measured ] lab loopback: " << (net.wrapper.empty() ? "the host's" : "a private network namespace's")
            << ", TCP congestion control " << net.congestion_control << "\n";
  const auto validate_big = [&](const std::string& extra) { return validate("big-values", tol, extra, net.wrapper); };
  // The calibration runs (their verdicts may say "outside": they set this machine's numbers now). 100 B: the round
  // trip and the server's CPU per GET without value bytes, as in the other live tests of this file, measured again
  // just before every checked size: on an idle machine the round trip drifts from one 3-s run to the next (50-73 us
  // within a round here), and a round trip taken once per round at its start made the simulator 6-9% fast at every
  // size of a round on average (medians 1.06-1.26 against 0.92-1.07 a day earlier; 2 of 4 runs failed).
  struct Base {
    std::string rtt;
    double cpu_us = 0;
    double client_cpu_us = 0;  // the driver's CPU per request at 100 B
  };
  const auto base = [&](Base& b) {
    const Validation small = validate_big("--set /workload/value_bytes/value=100");
    if (small.verdict.is_null()) return small.run.output;
    const double rtt_us = 40 + (1e6 / big_values_throughput(small, "a") - 1e6 / big_values_throughput(small, "b"));
    b.cpu_us = big_values_node_cpu_us(small);
    b.client_cpu_us = big_values_driver_cpu_us(small);
    cleanup(small);
    if (!(rtt_us > 0)) return small.table;
    if (!(b.cpu_us > 0)) return "the server reported no CPU time (INFO used_cpu_*_main_thread)\n" + small.table;
    if (!(b.client_cpu_us > 0))
      return "the driver's CPU time was not measured (run.json live.driver_cpu_s)\n" + small.table;
    b.rtt = fixed(rtt_us, 1);
    return std::string();
  };
  // 400 KB (a size the test does not check): loopback's rate, the link speed at which the simulator's time per GET
  // equals live's (§12.3: how fast the client takes bytes off loopback follows the machine's load, like the round
  // trip), with the node's cost per byte measured in the same run. The simulator runs at 10 Gbit/s and the fit's
  // node cost; its time less its bytes' time is the rest, which neither rate changes. Measured just before 100 KB and
  // 1 MB, whose time it is most of (taken once per round at its start, the rate of a run minutes before moved single
  // rounds at 1 MB by ±40%); 1 KB and 10 KB take the round's first (their bytes cross loopback in 3 us).
  // `client_ns`: the driver's CPU per reply byte in that run (its CPU per request less the 100 B run's, per byte more).
  const auto loopback = [&](const Base& b, std::string& gbps, double& client_ns) {
    constexpr int kCalibrationBytes = 400000;
    const Validation mid = validate_big("--set /workload/value_bytes/value=" + std::to_string(kCalibrationBytes) +
                                        " --set /network/rtt_us/value=" + b.rtt + " --set /network/nic_gbps=10");
    if (mid.verdict.is_null()) return mid.run.output;
    const double node = calibrate_ns_per_reply_byte(big_values_node_cpu_us(mid), b.cpu_us, kCalibrationBytes);
    if (!std::isfinite(node)) return "the server reported no CPU time\n" + mid.table;
    const double rest_us =
        1e6 / big_values_throughput(mid, "b") - calibrate_bytes_us(kCalibrationBytes, kFitGetNsPerReplyByte, 0.8);
    const double target_us = 1e6 / big_values_throughput(mid, "a") - rest_us;
    client_ns = calibrate_ns_per_reply_byte(big_values_driver_cpu_us(mid), b.client_cpu_us, kCalibrationBytes);
    if (!(client_ns > 0)) return "the driver's CPU per reply byte was not measured\n" + mid.table;
    cleanup(mid);
    gbps = fixed(calibrate_link_gbps(kCalibrationBytes, node, target_us), 2);  // as cachelab-live calibrate
    std::cout << "[ measured ] loopback " << gbps << " Gbit/s (400 KB: node " << fixed(node, 3) << ", driver "
              << fixed(client_ns, 3) << " ns per reply byte, round trip " << b.rtt << " us; load average "
              << big_values_load() << ")\n";
    return std::string();
  };
  // A checked size's knobs: its value, the round trip measured, the link's rate (both runs of a size use it).
  const auto size_sets = [](int bytes, const std::string& rtt_us, const std::string& link_gbps) {
    return " --set /workload/value_bytes/value=" + std::to_string(bytes) + " --set /network/rtt_us/value=" + rtt_us +
           " --set /network/nic_gbps=" + link_gbps;
  };
  for (int round = 0; round < kBigValuesRounds; ++round) {
    std::cout << "[ measured ] round " << round << "\n";
    std::string gbps;
    double client_ns_400 = 0;
    for (const int bytes : sizes) {
      Base b;
      const std::string problem = base(b);
      ASSERT_TRUE(problem.empty()) << problem;
      const bool big = bytes >= 100000;
      if (gbps.empty() || big) {
        const std::string calibration = loopback(b, gbps, client_ns_400);
        ASSERT_TRUE(calibration.empty()) << calibration;
      }
      Validation v = validate_big(size_sets(bytes, b.rtt, gbps));
      ASSERT_FALSE(v.verdict.is_null()) << v.run.output;
      // The simulator again, with the node's cost per byte this live run's server spent (the first simulated run,
      // at the fit's, is replaced), and at 100 KB and 1 MB loopback's rate at this size: the client's CPU per reply
      // byte moves with the size as the server's does (the copies of a 1 MB reply no longer fit a core's L2 cache:
      // 0.21 ns per byte at 400 KB, 0.22-0.23 at 1 MB, §12.4), so the rate is the 400 KB one times the driver's CPU
      // per byte at 400 KB over its CPU per byte in this run. Both are the two processes' CPU times, not the
      // throughput that is checked.
      const double node = calibrate_ns_per_reply_byte(big_values_node_cpu_us(v), b.cpu_us, bytes);
      ASSERT_TRUE(std::isfinite(node)) << "the server reported no CPU time\n" << v.table;
      const double client_ns = calibrate_ns_per_reply_byte(big_values_driver_cpu_us(v), b.client_cpu_us, bytes);
      ASSERT_TRUE(client_ns > 0 || !big) << "the driver's CPU per reply byte was not measured\n" << v.table;
      const std::string link_gbps = big ? fixed(std::stod(gbps) * client_ns_400 / client_ns, 2) : gbps;
      fs::remove_all(v.sim);
      const CliRun sim =
          run_cachelab("run " + validation_scenario_file("big-values") + " --out " + v.sim.string() +
                       size_sets(bytes, b.rtt, link_gbps) + " --set /cluster/get_ns_per_reply_byte=" + fixed(node, 4));
      ASSERT_EQ(sim.exit_code, 0) << sim.output;
      v.verdict = compare::compare_runs(v.live, v.sim, tol);
      v.table = compare::format_verdict(v.verdict);
      const double live = big_values_throughput(v, "a"), simulated = big_values_throughput(v, "b");
      std::cout << "[ measured ] " << bytes << " B (round trip " << b.rtt << " us, node " << fixed(node, 3)
                << ", driver " << fixed(client_ns, 3) << " ns per reply byte, loopback " << link_gbps
                << " Gbit/s): live " << fixed(live, 0) << "/s, sim " << fixed(simulated, 0) << "/s\n";
      ratios[bytes].push_back(simulated / live);
      live_at[bytes].push_back(live);
      node_at[bytes].push_back(node);
      cleanup(v);
    }
  }
  const auto med = [](std::vector<double> v) {
    std::sort(v.begin(), v.end());
    return v[kBigValuesRounds / 2];
  };
  for (const int bytes : sizes) {
    const double median = med(ratios[bytes]);
    std::cout << "[ measured ] " << bytes << " B: median sim / live " << fixed(median, 3) << ", node "
              << fixed(med(node_at[bytes]), 3) << " ns per reply byte\n";
    // On a loopback that does not pace (the lab under Reno, §12.5), the 15%; where it paces (BBR: 1.04-1.55
    // on this host's loopback at 1 MB), a factor of 2 at 1 MB.
    const bool paced = net.congestion_control != "reno" && bytes == 1048576;
    const double bound = paced ? 2 : 1.15;
    const double low = paced ? 1 / bound : 2 - bound;
    EXPECT_TRUE(median > low && median < bound) << bytes << " B: median sim / live " << median;
  }
  // The fit's constant (cluster.get_ns_per_reply_byte's default, docs §12.2) is this host's order: Redis's CPU per
  // reply byte measured here at 100 KB and 1 MB within a factor of 3 of it (0.19-0.32 ns per byte over two days
  // against the fit's 0.165). A model without that cost (0) or off by an order fails.
  for (const int bytes : {100000, 1048576}) {
    const double n = med(node_at[bytes]);
    EXPECT_TRUE(n > kFitGetNsPerReplyByte / 3 && n < kFitGetNsPerReplyByte * 3)
        << bytes << " B: the server's " << n << " ns per reply byte against the fit's " << kFitGetNsPerReplyByte;
  }
  // Live, the throughput at 1 KB is bound by the round trip, which the machine's load moves from round to round
  // (10.7-43.5 us in one CI run), so only a gap no load hides is checked there: 1 MB under half of 1 KB. The
  // simulator's own fall with size is not compared across sizes here: each size runs with the round trip and node
  // cost measured just before it, so the simulated 10 KB can outrun 1 KB. That the model charges per byte at a fixed
  // round trip is the unit tests' ValueSizeCost.OneSessionPaysNodeTimeAndTransferTimePerByte; here each size's ratio
  // to live checks it.
  EXPECT_LT(med(live_at[1048576]), 0.5 * med(live_at[1000])) << "live: 1 MB against 1 KB";
}

}  // namespace
}  // namespace cachelab::live
