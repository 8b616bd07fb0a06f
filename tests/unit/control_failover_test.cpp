// The control plane against docs/redis-reference.md §3-§5: gossip sizes and rates, PFAIL/FAIL, cluster state, replica
// failover timing (§5.6), ranks, votes and epochs, data age, manual failover, restart, partitions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cmath>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "cachelab/cluster/control/control_plane.hpp"
#include "cachelab/core/rng.hpp"

namespace cachelab::control {
namespace {

struct TestHooks : ControlHooks {
  std::vector<uint64_t> offsets;
  std::vector<nlohmann::json> events;
  int role_changes = 0;
  int pauses = 0;
  uint64_t replication_offset(int node) override { return offsets.at(node); }
  void on_event(const nlohmann::json& row) override { events.push_back(row); }
  void on_role_changed(int) override { ++role_changes; }
  void on_writes_paused(int, Time) override { ++pauses; }
  std::vector<nlohmann::json> of_type(const std::string& type) const {
    std::vector<nlohmann::json> out;
    for (const auto& e : events)
      if (e["type"] == type) out.push_back(e);
    return out;
  }
};

ControlConfig shape(int masters, int replicas, int64_t nt_ms) {
  ControlConfig c;
  c.masters = masters;
  c.replicas_per_master = replicas;
  c.node_timeout_ms = nt_ms;
  return c;
}

// A loopback-like cluster: one-way bus latency lognormal, median 100 us, p99 400 us.
struct World {
  Simulation sim;
  Topology topo;
  TestHooks hooks;
  ControlPlane cp;
  World(uint64_t seed, ControlConfig c,
        const nlohmann::json& latency_us = {{"dist", "lognormal"}, {"median", 100}, {"p99", 400}})
      : sim(seed),
        topo(Topology::flat(c.masters * (1 + c.replicas_per_master), latency_us)),
        hooks(make_hooks(c)),
        cp(sim, topo, c, hooks) {}
  static TestHooks make_hooks(const ControlConfig& c) {
    TestHooks h;
    h.offsets.assign(static_cast<size_t>(c.masters * (1 + c.replicas_per_master)), 1000);
    return h;
  }
  int idx(const std::string& n) const { return cp.index(n); }
  void run_to_s(double s) { sim.run_until(Time::from_seconds(s)); }
};

TEST(ControlBus, MessageSizesAndGossipCount) {
  EXPECT_EQ(message_bytes(MsgType::kPing, 0), 2256);
  EXPECT_EQ(message_bytes(MsgType::kPong, 3), 2256 + 3 * 104);
  EXPECT_EQ(message_bytes(MsgType::kFail, 0), 2296);
  EXPECT_EQ(message_bytes(MsgType::kUpdate, 0), 4352);
  EXPECT_EQ(message_bytes(MsgType::kAuthRequest, 0), 2256);
  EXPECT_EQ(gossip_wanted(6), 3);  // max(3, 0), capped at 4
  EXPECT_EQ(gossip_wanted(4), 2);  // capped at N - 2
  EXPECT_EQ(gossip_wanted(100), 10);
  EXPECT_EQ(gossip_wanted(1000), 100);
}

TEST(ControlBus, SteadyStateGossipRateAndSizes) {
  World w(7, shape(3, 1, 15000));
  w.run_to_s(120);
  const BusStats& st = w.cp.bus_stats();
  // Only PINGs and PONGs, each with wanted = 3 entries and no PFAIL node: 2568 bytes (§3.4).
  EXPECT_EQ(
      st.messages_by_type[static_cast<int>(MsgType::kPing)] + st.messages_by_type[static_cast<int>(MsgType::kPong)],
      st.messages_sent);
  // wanted = 3 (§3.4), but 9 random draws can miss one of the 4 candidates now and then, as in Redis.
  const double entries = static_cast<double>(st.bytes_sent - st.messages_sent * 2256) / 104.0 / st.messages_sent;
  EXPECT_EQ((st.bytes_sent - st.messages_sent * 2256) % 104, 0u);
  EXPECT_LE(entries, 3.0);
  EXPECT_GT(entries, 2.9);
  EXPECT_EQ(st.messages_dropped, 0u);
  // About one random ping per node per second plus the NT/2 rule's, each answered: (N-1)/(NT/2) + 1 at most (§3.3).
  const double pings_per_node_s = static_cast<double>(st.messages_by_type[0]) / 6 / 120;
  EXPECT_GT(pings_per_node_s, 0.9);
  EXPECT_LT(pings_per_node_s, 5.0 / 7.5 + 1.0 + 0.05);
  EXPECT_TRUE(w.hooks.of_type("pfail").empty());
  for (int i = 0; i < 6; ++i) EXPECT_TRUE(w.cp.cluster_ok(i));
}

TEST(ControlFailure, PfailNotBeforeNodeTimeoutAndFailNeedsAMajority) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    World w(seed, shape(3, 1, 5000));
    w.run_to_s(10);
    w.cp.kill(w.idx("master-1"));
    w.run_to_s(30);
    const auto pfails = w.hooks.of_type("pfail");
    ASSERT_FALSE(pfails.empty());
    for (const auto& e : pfails) {
      EXPECT_EQ(e["node"], "master-1");
      EXPECT_GT(e["t_s"].get<double>(), 10.0 + 5.0);              // NT after the kill at the earliest
      EXPECT_LT(e["t_s"].get<double>(), 10.0 + 5.0 + 2.5 + 0.3);  // + X <= NT/2 + cron
    }
    const auto fails = w.hooks.of_type("fail");
    ASSERT_FALSE(fails.empty());
    double first_fail = 1e9;
    for (const auto& e : fails) {
      first_fail = std::min(first_fail, e["t_s"].get<double>());
      if (e["via"] == "quorum") {
        EXPECT_GE(e["reports"].get<int>(), 2);
      }  // size 3 -> quorum 2
    }
    EXPECT_GE(first_fail, pfails.front()["t_s"].get<double>());
    EXPECT_EQ(fails.front()["via"], "quorum");
  }
}

// clusterCron is late by [0, 1) ms every period (ae re-arms serverCron 1000/hz ms after it returns, epoll_wait sleeps
// whole milliseconds: docs/redis-reference.md §3.2), so "pong older than NT/2" first holds on the (NT/2)/100-th call
// after the pong, not one call later: at NT 1 s each peer is pinged every 5 calls (~0.503 s), as CLUSTER NODES shows
// on Redis 7.0 (pong_received 502-534 ms apart), not every 6 (0.6 s). Five peers: about 5 / 0.503 = 9.9 pings per
// node per second (the random ping only moves one of them earlier); without the lateness 5 / 0.6 = 8.3.
TEST(ControlCron, NtHalfPingFiresOnTheCallAfterNtHalfNotOneLater) {
  World w(3, shape(3, 1, 1000));
  w.run_to_s(60);
  const double pings_per_node_s =
      static_cast<double>(w.cp.bus_stats().messages_by_type[static_cast<int>(MsgType::kPing)]) / 6 / 60;
  std::printf("[ figures  ] NT 1 s: %.2f pings per node per second\n", pings_per_node_s);
  EXPECT_GT(pings_per_node_s, 9.5);
  EXPECT_LT(pings_per_node_s, 10.3);
}

// A ping or pong appends at most stats_pfail_nodes PFAIL entries, counted when clusterCron starts (clusterSendPing's
// pfail_wanted, cluster.c:2969 and 4065; docs/redis-reference.md §3.4), so a master's fresh PFAIL reaches the others
// only from its next cron on. The first FAIL by quorum (3 masters: its own PFAIL and one other master's report) thus
// comes at least one cron period after the earliest PFAIL of another master: Redis 7.0 measured PFAIL -> FAIL >= 0.1 s
// at NT 1 s, where reporting the PFAIL in the same call gave ~0 s in a quarter of the failovers.
TEST(ControlFailure, AFreshPfailIsGossipedFromTheNextCron) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    World w(seed, shape(3, 1, 1000));
    w.run_to_s(10.37);
    w.cp.kill(w.idx("master-1"));
    w.run_to_s(20);
    const auto fails = w.hooks.of_type("fail");
    ASSERT_FALSE(fails.empty()) << seed;
    const auto& first = fails.front();
    ASSERT_EQ(first["via"], "quorum") << seed;
    const std::string by = first["seen_by"];
    double other_pfail = 1e9;
    for (const auto& e : w.hooks.of_type("pfail")) {
      const std::string who = e["seen_by"];
      if (who != by && who.rfind("master-", 0) == 0) other_pfail = std::min(other_pfail, e["t_s"].get<double>());
    }
    EXPECT_GE(first["t_s"].get<double>() - other_pfail, 0.1 - 1e-9) << seed << " " << by;
  }
}

// Time from kill to promotion over many seeds (no data traffic, so 200 runs are cheap). The kill falls at a random
// phase of the second after t = 10 s (issue 16 part 7): a real kill is not aligned with any node's clusterCron, and a
// kill at a whole second lands on the same phase of every node's 100 ms cron in every run, which biased the times
// (README's failover-timing row: +5.8 % at NT 1 s with whole-second kills).
struct FailoverStats {
  std::vector<double> promote_s, promote_minus_fail_s;
  std::map<std::string, int> winners;
};

FailoverStats kill_master_runs(int64_t nt_ms, int runs, int replicas = 1, uint64_t seed0 = 1000) {
  FailoverStats out;
  for (int k = 0; k < runs; ++k) {
    const uint64_t seed = seed0 + static_cast<uint64_t>(k);
    World w(seed, shape(3, replicas, nt_ms));
    const double t_kill = 10.0 + Rng::stream(seed, "control-failover-test/kill-phase").uniform01();
    w.run_to_s(t_kill);
    w.cp.kill(w.idx("master-1"));
    w.run_to_s(t_kill + 2.5 * static_cast<double>(nt_ms) / 1000.0 + 5.0);
    const auto& recs = w.cp.failovers();
    if (recs.size() != 1 || !recs[0].t_promoted_s) continue;
    out.promote_s.push_back(*recs[0].t_promoted_s - t_kill);
    out.promote_minus_fail_s.push_back(*recs[0].t_promoted_s - *recs[0].t_fail_s);
    ++out.winners[recs[0].new_master];
  }
  return out;
}

double mean(const std::vector<double>& v) {
  return std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
}

void expect_failover_structure(const FailoverStats& st, int runs, double nt_s, double measured_mean_s) {
  ASSERT_EQ(static_cast<int>(st.promote_s.size()), runs);
  const auto [lo, hi] = std::minmax_element(st.promote_s.begin(), st.promote_s.end());
  std::printf(
      "[ figures  ] NT=%.0f s, %d runs: kill->promoted mean %.2f s (measured %.2f), min %.2f, max %.2f; "
      "promoted-FAIL mean %.2f s\n",
      nt_s, runs, mean(st.promote_s), measured_mean_s, *lo, *hi, mean(st.promote_minus_fail_s));
  // §5.6: lower bound NT + 0.5 s; upper bound without retries 1.5 NT + Q + 1.3 s, Q <= NT/2.
  EXPECT_GE(*lo, nt_s + 0.5);
  EXPECT_LE(*hi, 2.0 * nt_s + 1.3);
  // Promotion after FAIL: cron pick-up + 500 + U[0,500) ms + cron + votes (measured mean 0.8-0.96 s).
  for (double d : st.promote_minus_fail_s) {
    EXPECT_GE(d, 0.5);
    EXPECT_LE(d, 1.25);
  }
  EXPECT_NEAR(mean(st.promote_minus_fail_s), 0.85, 0.15);
  // The measured mean of §5.6 within 15 % (the tolerance; the measurements have n = 4..14).
  EXPECT_NEAR(mean(st.promote_s), measured_mean_s, 0.15 * measured_mean_s);
  EXPECT_EQ(st.winners.size(), 1u);
}

TEST(ControlFailover, PromotionTimeMatchesMeasurementsAtNodeTimeout2s) {
  const auto st = kill_master_runs(2000, 200);
  expect_failover_structure(st, 200, 2.0, 3.99);
}

TEST(ControlFailover, PromotionTimeMatchesMeasurementsAtNodeTimeout5s) {
  const auto st = kill_master_runs(5000, 200);
  expect_failover_structure(st, 200, 5.0, 8.20);
}

TEST(ControlFailover, PromotionTimeMatchesMeasurementsAtNodeTimeout15s) {
  const auto st = kill_master_runs(15000, 200);
  expect_failover_structure(st, 200, 15.0, 19.50);
}

// Issue 16 part 7 against the live samples of docs/measurements/failover-timing-redis-7.0.15.csv (25 SIGKILLs per
// node timeout on Redis 7.0.15, 3 masters + 3 replicas, idle; the command that made them is in README's
// failover-timing row): the simulated median kill->promotion within 5 % of the live one and the two distributions
// alike (two-sample Kolmogorov-Smirnov p > 0.05).
std::map<int64_t, std::vector<double>> live_promotion_s() {
  std::ifstream in(std::string(CACHELAB_SOURCE_DIR) + "/docs/measurements/failover-timing-redis-7.0.15.csv");
  std::map<int64_t, std::vector<double>> out;
  std::string line;
  std::getline(in, line);  // node_timeout_ms,run,victim,replica,observer,observer_pfail_s,replica_fail_s,promoted_s,...
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream ss(line);
    for (std::string c; std::getline(ss, c, ',');) f.push_back(c);
    if (f.size() >= 8) out[std::stoll(f[0])].push_back(std::stod(f[7]));
  }
  return out;
}

double median_of(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

// Two-sample Kolmogorov-Smirnov: D and its asymptotic p-value Q_KS((sqrt(ne) + 0.12 + 0.11 / sqrt(ne)) D) with
// ne = n m / (n + m) (Stephens' small-sample correction, as in Numerical Recipes' kstwo).
double ks_two_sample_p(std::vector<double> a, std::vector<double> b) {
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  size_t i = 0, j = 0;
  double d = 0.0;
  while (i < a.size() && j < b.size()) {
    const double x = std::min(a[i], b[j]);
    while (i < a.size() && a[i] <= x) ++i;
    while (j < b.size() && b[j] <= x) ++j;
    d = std::max(d, std::abs(static_cast<double>(i) / static_cast<double>(a.size()) -
                             static_cast<double>(j) / static_cast<double>(b.size())));
  }
  const double ne = static_cast<double>(a.size() * b.size()) / static_cast<double>(a.size() + b.size());
  const double lambda = (std::sqrt(ne) + 0.12 + 0.11 / std::sqrt(ne)) * d;
  double q = 0.0;
  for (int k = 1; k <= 100; ++k) q += 2.0 * ((k % 2) ? 1.0 : -1.0) * std::exp(-2.0 * k * k * lambda * lambda);
  return std::clamp(q, 0.0, 1.0);
}

TEST(ControlFailover, KillToPromotionMatchesLiveRedisAtFourNodeTimeouts) {
  const auto live = live_promotion_s();
  ASSERT_EQ(live.size(), 4u) << "docs/measurements/failover-timing-redis-7.0.15.csv: node timeouts 1, 2, 3, 5 s";
  for (const auto& [nt_ms, samples] : live) {
    ASSERT_GE(samples.size(), 20u) << "NT " << nt_ms;
    const auto st = kill_master_runs(nt_ms, 200);
    ASSERT_EQ(st.promote_s.size(), 200u);
    const double m_live = median_of(samples), m_sim = median_of(st.promote_s);
    const double p = ks_two_sample_p(samples, st.promote_s);
    std::printf("[ figures  ] NT %lld ms: median kill->promoted live %.3f s (n=%zu), sim %.3f s (%+.1f%%), KS p %.2f\n",
                static_cast<long long>(nt_ms), m_live, samples.size(), m_sim, 100.0 * (m_sim / m_live - 1.0), p);
    EXPECT_NEAR(m_sim, m_live, 0.05 * m_live) << "NT " << nt_ms;
    EXPECT_GT(p, 0.05) << "NT " << nt_ms;
  }
}

TEST(ControlFailover, KolmogorovSmirnovTellsShiftedSamplesApart) {
  // The KS helper itself: one sample against itself shifted by a tenth of its spread passes, by its whole spread fails.
  std::vector<double> a, b, c;
  for (int k = 0; k < 200; ++k) {
    const double x = static_cast<double>(k) / 200.0;
    a.push_back(x);
    b.push_back(x + 0.02);
    c.push_back(x + 0.5);
  }
  EXPECT_GT(ks_two_sample_p(a, b), 0.5);
  EXPECT_LT(ks_two_sample_p(a, c), 1e-6);
}

TEST(ControlFailover, RankOneNeverWinsWhileRankZeroIsHealthy) {
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    World w(seed, shape(3, 2, 5000));
    w.hooks.offsets[w.idx("replica-1-1")] = 900;
    w.hooks.offsets[w.idx("replica-1-2")] = 800;  // behind: rank 1
    w.run_to_s(10);
    w.cp.kill(w.idx("master-1"));
    w.run_to_s(30);
    ASSERT_EQ(w.cp.failovers().size(), 1u);
    EXPECT_EQ(w.cp.failovers()[0].new_master, "replica-1-1");
    for (const auto& e : w.hooks.of_type("election_scheduled"))
      if (e["node"] == "replica-1-2") {
        EXPECT_EQ(e["rank"], 1);
        EXPECT_GE(e["delay_ms"].get<double>(), 1500.0);
      }
    // The loser follows the winner (§5.1, §2.5: the new master's PONG moves the slots and the replica).
    EXPECT_EQ(w.cp.master_of(w.idx("replica-1-2")), w.idx("replica-1-1"));
  }
}

TEST(ControlFailover, EpochsIncreaseAndOneWinnerPerElection) {
  int contested = 0;
  for (uint64_t seed = 1; seed <= 60; ++seed) {
    // Equal offsets (both replicas rank 0) and a slow bus (one-way ~150 ms), so that the two candidates' elections
    // often overlap and the voters have to choose.
    World w(seed, shape(3, 2, 2000), {{"dist", "uniform"}, {"min", 100000}, {"max", 200000}});
    w.run_to_s(5);
    w.cp.kill(w.idx("master-1"));
    w.run_to_s(45);
    const auto started = w.hooks.of_type("election_started");
    const auto promoted = w.hooks.of_type("promoted");
    ASSERT_EQ(promoted.size(), 1u);
    contested += started.size() > 1;
    std::map<uint64_t, int> per_epoch;
    for (const auto& e : started) {
      EXPECT_GT(e["epoch"].get<uint64_t>(), 9u);  // redis-cli leaves currentEpoch = 9 for 9 nodes
      ++per_epoch[e["epoch"].get<uint64_t>()];
    }
    // Votes (§5.2): a master votes once per epoch, and for one master's replicas at most once per 2 x NT.
    std::map<std::string, std::vector<std::pair<double, uint64_t>>> votes;
    for (const auto& e : w.hooks.of_type("failover_auth"))
      votes[e["node"].get<std::string>()].emplace_back(e["t_s"].get<double>(), e["epoch"].get<uint64_t>());
    for (const auto& [voter, list] : votes)
      for (size_t k = 1; k < list.size(); ++k) {
        EXPECT_GT(list[k].second, list[k - 1].second) << voter;
        EXPECT_GE(list[k].first - list[k - 1].first, 4.0) << voter;
      }
    const int winner = w.idx(promoted[0]["node"].get<std::string>());
    for (int i = 0; i < w.cp.nodes(); ++i) {
      if (i != winner && w.cp.role(i) == Role::kMaster) {
        EXPECT_GT(w.cp.config_epoch(winner), w.cp.config_epoch(i));
      }
      if (w.cp.alive(i)) {
        EXPECT_EQ(w.cp.slot_owner(i, 0), winner);
      }
    }
  }
  EXPECT_GT(contested, 0);  // some runs had two candidates
}

TEST(ControlFailover, NoFailoverWhenReplicaDataIsTooOld) {
  World w(11, shape(3, 1, 2000));
  const int m1 = w.idx("master-1"), r1 = w.idx("replica-1-1");
  // The replication link alone is cut: after repl-timeout (60 s) the replica drops it (§6).
  w.cp.cut({m1}, {r1}, kChannelReplication);
  w.cp.cut({r1}, {m1}, kChannelReplication);
  w.run_to_s(100);
  w.cp.kill(m1);
  w.run_to_s(140);
  // data age ~ 103 - 61 - NT = 40 s > 10 s + 10 x NT = 30 s (§5.1 step 3).
  EXPECT_TRUE(w.hooks.of_type("promoted").empty());
  ASSERT_FALSE(w.hooks.of_type("failover_refused").empty());
  EXPECT_FALSE(w.cp.cluster_ok(w.idx("master-2")));  // slots of a FAIL master: CLUSTERDOWN
}

TEST(ControlFailover, FreshReplicaFailsOverWithTheSameTimeline) {
  World w(11, shape(3, 1, 2000));
  w.run_to_s(100);
  w.cp.kill(w.idx("master-1"));
  w.run_to_s(140);
  EXPECT_EQ(w.hooks.of_type("promoted").size(), 1u);
  EXPECT_TRUE(w.cp.cluster_ok(w.idx("master-2")));
}

TEST(ControlState, MinorityMasterStopsAndMajorityFailsOver) {
  World w(5, shape(3, 1, 5000));
  const int m1 = w.idx("master-1"), r1 = w.idx("replica-1-1");
  w.run_to_s(5);
  std::vector<int> rest;
  for (int i = 0; i < w.cp.nodes(); ++i)
    if (i != m1) rest.push_back(i);
  w.cp.partition({{m1}, rest});
  w.run_to_s(40);
  // master-1 sees master-2 and -3 PFAIL: 1 of 3 masters reachable, state fail (§4.5, §6.1 item 2).
  double t_m1_fail = -1;
  for (const auto& e : w.hooks.of_type("cluster_state"))
    if (e["node"] == "master-1" && e["state"] == "fail" && t_m1_fail < 0) t_m1_fail = e["t_s"].get<double>();
  EXPECT_GT(t_m1_fail, 5.0 + 5.0);
  EXPECT_LT(t_m1_fail, 5.0 + 7.5 + 0.3);
  EXPECT_FALSE(w.cp.cluster_ok(m1));
  EXPECT_EQ(w.cp.role(r1), Role::kMaster);
  EXPECT_TRUE(w.cp.cluster_ok(w.idx("master-2")));
  EXPECT_EQ(w.cp.role(m1), Role::kMaster);  // it still believes it is one
  // Heal: the old master learns the new owner's higher configEpoch and becomes its replica.
  w.cp.heal();
  w.run_to_s(70);
  EXPECT_EQ(w.cp.role(m1), Role::kReplica);
  EXPECT_EQ(w.cp.master_of(m1), r1);
  for (int i = 0; i < w.cp.nodes(); ++i) {
    EXPECT_EQ(w.cp.slot_owner(i, 0), r1) << w.cp.name(i);
    EXPECT_TRUE(w.cp.cluster_ok(i)) << w.cp.name(i);
  }
}

TEST(ControlManual, DefaultFailoverCompletesWithoutFail) {
  World w(3, shape(3, 1, 15000));
  const int m1 = w.idx("master-1"), r1 = w.idx("replica-1-1");
  w.run_to_s(5);
  const uint64_t epoch_before = w.cp.current_epoch(r1);
  ASSERT_TRUE(w.cp.manual_failover(r1, ManualFailoverMode::kDefault));
  w.run_to_s(7);
  EXPECT_EQ(w.cp.role(r1), Role::kMaster);
  EXPECT_EQ(w.cp.master_of(m1), r1);
  EXPECT_EQ(w.cp.config_epoch(r1), epoch_before + 1);
  EXPECT_TRUE(w.hooks.of_type("fail").empty());
  EXPECT_TRUE(w.hooks.of_type("pfail").empty());
  ASSERT_EQ(w.cp.failovers().size(), 1u);
  const auto& rec = w.cp.failovers()[0];
  EXPECT_EQ(rec.cause, "manual");
  EXPECT_LT(*rec.t_promoted_s - *rec.t_kill_s, 0.02);  // measured 8 ms on loopback (§5.4)
  EXPECT_GE(w.hooks.pauses, 2);                        // paused, then resumed
  for (int i = 0; i < w.cp.nodes(); ++i) EXPECT_TRUE(w.cp.cluster_ok(i));
}

TEST(ControlManual, ForceWaitsForACronTickAndTakeoverIsImmediate) {
  World w(4, shape(3, 1, 15000));
  w.run_to_s(5);
  ASSERT_TRUE(w.cp.manual_failover(w.idx("replica-1-1"), ManualFailoverMode::kForce));
  ASSERT_TRUE(w.cp.manual_failover(w.idx("replica-2-1"), ManualFailoverMode::kTakeover));
  EXPECT_EQ(w.cp.role(w.idx("replica-2-1")), Role::kMaster);  // no election
  w.run_to_s(6);
  EXPECT_EQ(w.cp.role(w.idx("replica-1-1")), Role::kMaster);
  for (const auto& r : w.cp.failovers()) {
    const double dt = *r.t_promoted_s - *r.t_kill_s;
    if (r.node == "master-1")
      EXPECT_LE(dt, 0.15);  // next cron + one round of votes
    else
      EXPECT_EQ(dt, 0.0);
  }
  EXPECT_NE(w.cp.config_epoch(w.idx("replica-1-1")), w.cp.config_epoch(w.idx("replica-2-1")));
  EXPECT_TRUE(w.hooks.of_type("fail").empty());
}

TEST(ControlRestart, OldMasterComesBackAsReplicaOfThePromotedOne) {
  World w(9, shape(3, 1, 2000));
  const int m1 = w.idx("master-1"), r1 = w.idx("replica-1-1");
  w.run_to_s(5);
  w.cp.kill(m1);
  w.run_to_s(15);
  ASSERT_EQ(w.cp.role(r1), Role::kMaster);
  const int before = w.hooks.role_changes;
  w.cp.restart(m1);
  w.run_to_s(25);
  EXPECT_EQ(w.cp.role(m1), Role::kReplica);
  EXPECT_EQ(w.cp.master_of(m1), r1);
  EXPECT_GT(w.hooks.role_changes, before);
  for (int i = 0; i < w.cp.nodes(); ++i) {
    EXPECT_TRUE(w.cp.cluster_ok(i)) << w.cp.name(i);
    EXPECT_FALSE(w.cp.failed(i, m1)) << w.cp.name(i);
  }
  const auto& rec = w.cp.failovers().at(0);
  ASSERT_TRUE(rec.t_ok_s.has_value());
  EXPECT_LE(*rec.t_pfail_s, *rec.t_fail_s);
  EXPECT_LE(*rec.t_fail_s, *rec.t_promoted_s);
  EXPECT_LE(*rec.t_promoted_s, *rec.t_ok_s);
}

TEST(ControlPause, PausedMasterIsFailedOverAndDemotedOnResume) {
  World w(12, shape(3, 1, 2000));
  const int m1 = w.idx("master-1"), r1 = w.idx("replica-1-1");
  w.run_to_s(5);
  w.cp.pause(m1);
  w.run_to_s(15);
  EXPECT_EQ(w.cp.role(r1), Role::kMaster);
  w.cp.resume(m1);
  w.run_to_s(20);
  EXPECT_EQ(w.cp.master_of(m1), r1);
  EXPECT_EQ(w.cp.failovers().at(0).cause, "pause");
}

TEST(ControlMigration, ReplicaMigratesToAnOrphanedMaster) {
  // 3 masters x 2 replicas; master-1 loses both replicas and becomes orphaned (§5.5).
  World w2(13, shape(3, 2, 2000));
  w2.run_to_s(5);
  w2.cp.kill(w2.idx("replica-1-1"));
  w2.cp.kill(w2.idx("replica-1-2"));
  w2.run_to_s(30);
  // master-1 has 0 ok replicas; the replica with the smallest name among masters with 2 ok replicas moves.
  int followers = 0;
  for (int i = 0; i < w2.cp.nodes(); ++i)
    if (w2.cp.alive(i) && w2.cp.master_of(i) == w2.idx("master-1")) ++followers;
  EXPECT_EQ(followers, 1);
  const auto moved = w2.hooks.of_type("replica_migrated");
  ASSERT_EQ(moved.size(), 1u);
  EXPECT_EQ(moved[0]["node"], "replica-2-1");
}

TEST(ControlDeterminism, SameSeedSameEvents) {
  auto run = [] {
    World w(77, shape(3, 1, 2000));
    w.run_to_s(5);
    w.cp.kill(0);
    w.run_to_s(20);
    return nlohmann::json(w.hooks.events).dump() + std::to_string(w.cp.bus_stats().bytes_sent);
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace cachelab::control
