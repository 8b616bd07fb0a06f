// Control-plane throughput (issue 5 "Performance"): a 1000-node cluster (500 masters + 500 replicas), node_timeout
// 15 s, one simulated hour of gossip and no client traffic must take <= 60 s wall on one core.
//   BM_Gossip/1000/3600: that run (one iteration; counters events/s, bus messages/s, wall via the timer).
//   BM_Gossip/1000/60:   a one-minute slice of it, for quick looks.
//   BM_ControlDigest:     a 30-node cluster through kill, restart, pause, partition and heal; its label is a hash of
//                         every control-plane event, so two builds can be compared for identical behaviour.
//   BM_ControlDigestLarge, BM_ControlDigestTiny: the same check on 300 nodes and on 3-, 4- and 6-node clusters.
// Peak memory: run under `/usr/bin/time -v` with --benchmark_filter (see sim/README.md).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "cachelab/cluster/control/control_plane.hpp"

namespace {

using namespace cachelab;
using namespace cachelab::control;

struct QuietHooks : ControlHooks {
  uint64_t replication_offset(int) override { return 1000; }
};

// Events folded into one FNV-1a hash.
struct DigestHooks : ControlHooks {
  uint64_t hash = 1469598103934665603ull;
  uint64_t events = 0;
  uint64_t replication_offset(int) override { return 1000; }
  void on_event(const nlohmann::json& row) override {
    for (char c : row.dump()) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    ++events;
  }
};

// The same loopback-like bus as the control-plane tests: one-way latency lognormal, median 100 us, p99 400 us.
const nlohmann::json kLatency = {{"dist", "lognormal"}, {"median", 100}, {"p99", 400}};

void BM_Gossip(benchmark::State& state) {
  const int nodes = static_cast<int>(state.range(0));
  const double seconds = static_cast<double>(state.range(1));
  uint64_t events = 0, messages = 0, bytes = 0;
  for (auto _ : state) {
    Simulation sim(1);
    Topology topo = Topology::flat(nodes, kLatency);
    QuietHooks hooks;
    ControlConfig c;
    c.masters = nodes / 2;
    c.replicas_per_master = 1;
    c.node_timeout_ms = 15000;
    ControlPlane cp(sim, topo, c, hooks);
    sim.run_until(Time::from_seconds(seconds));
    events += sim.events_processed();
    messages += cp.bus_stats().messages_sent;
    bytes += cp.bus_stats().bytes_sent;
  }
  state.counters["events_per_s"] = benchmark::Counter(static_cast<double>(events), benchmark::Counter::kIsRate);
  state.counters["events"] = static_cast<double>(events) / static_cast<double>(state.iterations());
  state.counters["bus_msgs_per_sim_s"] = static_cast<double>(messages) / static_cast<double>(state.iterations()) / seconds;
  state.counters["bus_bytes_per_sim_s"] = static_cast<double>(bytes) / static_cast<double>(state.iterations()) / seconds;
}
BENCHMARK(BM_Gossip)->Args({1000, 60})->Args({1000, 3600})->Iterations(1)->Unit(benchmark::kSecond);

// The digest benchmarks' output: the hash as the label (compare two builds by it), events and bus messages as counters
// (events < 0: not counted).
void report_digest(benchmark::State& state, uint64_t hash, int64_t events, uint64_t messages) {
  char label[64];
  std::snprintf(label, sizeof label, "digest=%016llx", static_cast<unsigned long long>(hash));
  state.SetLabel(label);
  if (events >= 0) state.counters["control_events"] = static_cast<double>(events);
  state.counters["bus_messages"] = static_cast<double>(messages);
}

void BM_ControlDigest(benchmark::State& state) {
  uint64_t hash = 0, messages = 0;
  int64_t events = 0;
  for (auto _ : state) {
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
    hash = hooks.hash;
    events = static_cast<int64_t>(hooks.events);
    messages = cp.bus_stats().messages_sent;
  }
  report_digest(state, hash, events, messages);
}
BENCHMARK(BM_ControlDigest)->Iterations(1)->Unit(benchmark::kMillisecond);

// The same kind of fault sequence on 300 nodes (gossip sections of 30 entries, failure reports from 100 masters).
void BM_ControlDigestLarge(benchmark::State& state) {
  uint64_t hash = 0, messages = 0;
  int64_t events = 0;
  for (auto _ : state) {
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
    hash = hooks.hash;
    events = static_cast<int64_t>(hooks.events);
    messages = cp.bus_stats().messages_sent;
  }
  report_digest(state, hash, events, messages);
}
BENCHMARK(BM_ControlDigestLarge)->Iterations(1)->Unit(benchmark::kMillisecond);

// Clusters of 3, 4 and 6 nodes, where gossip draws often repeat or run out of iterations.
void BM_ControlDigestTiny(benchmark::State& state) {
  uint64_t hash = 0, messages = 0;
  for (auto _ : state) {
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
      hash = hash * 31 + hooks.hash;
      messages += cp.bus_stats().messages_sent;
    }
  }
  report_digest(state, hash, -1, messages);
}
BENCHMARK(BM_ControlDigestTiny)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
