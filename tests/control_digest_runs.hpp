#pragma once
// Control-plane digests (issue 14 part 7): fixed fault sequences on 30, 300 and 3-6 node clusters whose every
// control-plane event (PFAIL, FAIL, votes, promotions, epochs, slot moves) is folded into one FNV-1a hash. The
// unit test tests/unit/control_digest_test.cpp asserts them against tests/golden/control-digests.json (a change of
// control-plane behaviour moves them: regenerate with tools/update-goldens.sh and review the change); the
// benchmarks in tests/bench/bench_gossip.cpp time the same runs.
#include <cstdint>

#include <nlohmann/json.hpp>

#include "cachelab/cluster/control/control_plane.hpp"

namespace cachelab::test {

struct ControlDigest {
  uint64_t hash = 0;
  uint64_t events = 0;
  uint64_t messages = 0;
};

// Events folded into one FNV-1a hash.
struct DigestHooks : control::ControlHooks {
  uint64_t hash = 1469598103934665603ull;
  uint64_t events = 0;
  uint64_t replication_offset(int) override { return 1000; }
  void on_event(const nlohmann::json& row) override {
    for (char c : row.dump()) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    ++events;
  }
};

// The same loopback-like bus as the control-plane tests: one-way latency lognormal, median 100 us, p99 400 us.
inline const nlohmann::json& digest_bus_latency() {
  static const nlohmann::json latency = {{"dist", "lognormal"}, {"median", 100}, {"p99", 400}};
  return latency;
}

// 30 nodes (10 masters x 2 replicas) through kill, pause, resume, restart, partition, heal, manual failover.
inline ControlDigest control_digest_small() {
  using namespace control;
  const auto& kLatency = digest_bus_latency();
  Simulation sim(42);
  ControlConfig c;
  c.masters = 10;
  c.replicas_per_master = 2;
  c.node_timeout_ms = 2000;
  Topology topo = Topology::flat(c.masters * 3, kLatency);
  DigestHooks hooks;
  ControlPlane cp(sim, topo, c, hooks);
  sim.run_until(Time::from_seconds(20));
  cp.kill(0);
  sim.run_until(Time::from_seconds(40));
  cp.pause(1);
  sim.run_until(Time::from_seconds(50));
  cp.resume(1);
  cp.restart(0);
  sim.run_until(Time::from_seconds(70));
  cp.partition({{2, 3, 12, 13}});
  sim.run_until(Time::from_seconds(90));
  cp.heal();
  sim.run_until(Time::from_seconds(110));
  cp.manual_failover(cp.index("replica-5-1"), ManualFailoverMode::kDefault);
  sim.run_until(Time::from_seconds(130));
  return {hooks.hash, hooks.events, cp.bus_stats().messages_sent};
}

// 300 nodes (gossip sections of 30 entries, failure reports from 100 masters), the same kind of sequence plus a cut.
inline ControlDigest control_digest_large() {
  using namespace control;
  const auto& kLatency = digest_bus_latency();
  Simulation sim(7);
  ControlConfig c;
  c.masters = 100;
  c.replicas_per_master = 2;
  c.node_timeout_ms = 3000;
  Topology topo = Topology::flat(c.masters * 3, kLatency);
  DigestHooks hooks;
  ControlPlane cp(sim, topo, c, hooks);
  sim.run_until(Time::from_seconds(20));
  cp.kill(0);
  cp.kill(5);
  sim.run_until(Time::from_seconds(40));
  cp.pause(1);
  sim.run_until(Time::from_seconds(50));
  cp.resume(1);
  cp.restart(0);
  sim.run_until(Time::from_seconds(70));
  cp.partition({{2, 3, 4, 102, 103, 104, 200, 201}});
  sim.run_until(Time::from_seconds(90));
  cp.heal();
  sim.run_until(Time::from_seconds(110));
  cp.manual_failover(cp.index("replica-10-1"), ManualFailoverMode::kDefault);
  cp.cut({7, 8}, {50, 51, 52}, kChannelBus);
  sim.run_until(Time::from_seconds(130));
  cp.heal();
  sim.run_until(Time::from_seconds(150));
  return {hooks.hash, hooks.events, cp.bus_stats().messages_sent};
}

// Clusters of 3, 4 and 6 nodes, where gossip draws often repeat or run out of iterations.
inline ControlDigest control_digest_tiny() {
  using namespace control;
  const auto& kLatency = digest_bus_latency();
  ControlDigest d;
  for (int masters : {1, 2, 3}) {
    Simulation sim(11 + masters);
    ControlConfig c;
    c.masters = masters;
    c.replicas_per_master = masters == 1 ? 2 : 1;
    c.node_timeout_ms = 2000;
    const int n = masters * (1 + c.replicas_per_master);
    Topology topo = Topology::flat(n, kLatency);
    DigestHooks hooks;
    ControlPlane cp(sim, topo, c, hooks);
    sim.run_until(Time::from_seconds(20));
    cp.kill(0);
    sim.run_until(Time::from_seconds(40));
    cp.restart(0);
    sim.run_until(Time::from_seconds(60));
    cp.partition({{0, n - 1}});
    sim.run_until(Time::from_seconds(80));
    cp.heal();
    sim.run_until(Time::from_seconds(100));
    d.hash = d.hash * 31 + hooks.hash;
    d.events += hooks.events;
    d.messages += cp.bus_stats().messages_sent;
  }
  return d;
}

}  // namespace cachelab::test
