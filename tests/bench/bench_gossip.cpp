// Control-plane throughput (issue 5 "Performance"): a 1000-node cluster (500 masters + 500 replicas), node_timeout
// 15 s, one simulated hour of gossip and no client traffic must take <= 60 s wall on one core.
//   BM_Gossip/1000/3600: that run (one iteration; counters events/s, bus messages/s, wall via the timer).
//   BM_Gossip/1000/60:   a one-minute slice of it, for quick looks.
//   BM_ControlDigest, BM_ControlDigestLarge, BM_ControlDigestTiny: time the digest runs of tests/control_digest_runs.hpp
//                         (asserted by tests/unit/control_digest_test.cpp); the label is the digest.
// Peak memory: run under `/usr/bin/time -v` with --benchmark_filter (see sim/README.md).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <string>

#include "cachelab/cluster/control/control_plane.hpp"
#include "../control_digest_runs.hpp"

namespace {

using namespace cachelab;
using namespace cachelab::control;

struct QuietHooks : ControlHooks {
  uint64_t replication_offset(int) override { return 1000; }
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
  state.counters["bus_msgs_per_sim_s"] =
      static_cast<double>(messages) / static_cast<double>(state.iterations()) / seconds;
  state.counters["bus_bytes_per_sim_s"] =
      static_cast<double>(bytes) / static_cast<double>(state.iterations()) / seconds;
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
  test::ControlDigest d;
  for (auto _ : state) d = test::control_digest_small();
  report_digest(state, d.hash, static_cast<int64_t>(d.events), d.messages);
}
BENCHMARK(BM_ControlDigest)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_ControlDigestLarge(benchmark::State& state) {
  test::ControlDigest d;
  for (auto _ : state) d = test::control_digest_large();
  report_digest(state, d.hash, static_cast<int64_t>(d.events), d.messages);
}
BENCHMARK(BM_ControlDigestLarge)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_ControlDigestTiny(benchmark::State& state) {
  test::ControlDigest d;
  for (auto _ : state) d = test::control_digest_tiny();
  report_digest(state, d.hash, -1, d.messages);
}
BENCHMARK(BM_ControlDigestTiny)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
