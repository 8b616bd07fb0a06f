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

// One cluster of a digest run: `masters` x (1 + `replicas`) nodes on the loopback-like bus, its events hashed.
// Members in construction order: the control plane keeps references to the simulation, topology and hooks.
struct DigestCluster {
  Simulation sim;
  control::ControlConfig config;
  Topology topo;
  DigestHooks hooks;
  control::ControlPlane cp;
  DigestCluster(uint64_t seed, int masters, int replicas, int node_timeout_ms)
      : sim(seed),
        config(make_config(masters, replicas, node_timeout_ms)),
        topo(Topology::flat(masters * (1 + replicas), digest_bus_latency())),
        cp(sim, topo, config, hooks) {}
  void run_until_s(double s) { sim.run_until(Time::from_seconds(s)); }
  ControlDigest digest() const { return {hooks.hash, hooks.events, cp.bus_stats().messages_sent}; }

 private:
  static control::ControlConfig make_config(int masters, int replicas, int node_timeout_ms) {
    control::ControlConfig c;
    c.masters = masters;
    c.replicas_per_master = replicas;
    c.node_timeout_ms = node_timeout_ms;
    return c;
  }
};

// 30 nodes (10 masters x 2 replicas) through kill, pause, resume, restart, partition, heal, manual failover.
inline ControlDigest control_digest_small() {
  DigestCluster k(42, 10, 2, 2000);
  auto& cp = k.cp;
  k.run_until_s(20);
  cp.kill(0);
  k.run_until_s(40);
  cp.pause(1);
  k.run_until_s(50);
  cp.resume(1);
  cp.restart(0);
  k.run_until_s(70);
  cp.partition({{2, 3, 12, 13}});
  k.run_until_s(90);
  cp.heal();
  k.run_until_s(110);
  cp.manual_failover(cp.index("replica-5-1"), control::ManualFailoverMode::kDefault);
  k.run_until_s(130);
  return k.digest();
}

// 300 nodes (gossip sections of 30 entries, failure reports from 100 masters), the same kind of sequence plus a cut.
inline ControlDigest control_digest_large() {
  DigestCluster k(7, 100, 2, 3000);
  auto& cp = k.cp;
  k.run_until_s(20);
  cp.kill(0);
  cp.kill(5);
  k.run_until_s(40);
  cp.pause(1);
  k.run_until_s(50);
  cp.resume(1);
  cp.restart(0);
  k.run_until_s(70);
  cp.partition({{2, 3, 4, 102, 103, 104, 200, 201}});
  k.run_until_s(90);
  cp.heal();
  k.run_until_s(110);
  cp.manual_failover(cp.index("replica-10-1"), control::ManualFailoverMode::kDefault);
  cp.cut({7, 8}, {50, 51, 52}, kChannelBus);
  k.run_until_s(130);
  cp.heal();
  k.run_until_s(150);
  return k.digest();
}

// Clusters of 3, 4 and 6 nodes, where gossip draws often repeat or run out of iterations.
inline ControlDigest control_digest_tiny() {
  ControlDigest d;
  for (int masters : {1, 2, 3}) {
    const int replicas = masters == 1 ? 2 : 1;
    const int n = masters * (1 + replicas);
    DigestCluster k(11 + static_cast<uint64_t>(masters), masters, replicas, 2000);
    k.run_until_s(20);
    k.cp.kill(0);
    k.run_until_s(40);
    k.cp.restart(0);
    k.run_until_s(60);
    k.cp.partition({{0, n - 1}});
    k.run_until_s(80);
    k.cp.heal();
    k.run_until_s(100);
    const ControlDigest one = k.digest();
    d.hash = d.hash * 31 + one.hash;
    d.events += one.events;
    d.messages += one.messages;
  }
  return d;
}

}  // namespace cachelab::test
