// The flagship's random draws alone (issue 19 part 3): how fast could the flagship be simulated if everything but its
// random draws were free? Byte-identical results fix the draws (the same values from the same streams, through the
// same samplers and libm calls), so this is a floor under any byte-identical redesign of the request path.
// Per iteration: the whole request stream (WorkloadGenerator::next: arrival times under the rate shape, Zipf keys,
// read/write, client, TTL) and one round-trip draw per request from the scenario's network.rtt_us, with the network's
// stream name. Every request sends at least one command and every command draws a round trip
// (Network::sample_trip), so the count is a lower bound: misses add a fill, an origin service time and more trips.
// Compare items_per_second with BM_FlashSale's simulated_req_per_s, on the same machine in the same run.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "cachelab/core/dist.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/workload/generator.hpp"

using namespace cachelab;

static void BM_FlashSaleDrawFloor(benchmark::State& state) {
  const Scenario s = load_scenario_file(CACHELAB_SOURCE_DIR "/scenarios/flash-sale.json");
  const auto rtt_us = make_dist(s.network.rtt_us);
  const Time end = Time::from_seconds(s.duration_s);  // the run's end, as RunSession computes it
  uint64_t requests = 0, sink = 0;
  for (auto _ : state) {
    WorkloadGenerator gen(s);
    Rng net = Rng::stream(s.seed, "network");
    Request r;
    double rtt_sum = 0;
    while (gen.next(r, end)) {
      ++requests;
      sink += r.key;
      rtt_sum += rtt_us->sample(net);
    }
    benchmark::DoNotOptimize(rtt_sum);
  }
  benchmark::DoNotOptimize(sink);
  state.SetItemsProcessed(static_cast<int64_t>(requests));
}
BENCHMARK(BM_FlashSaleDrawFloor)->Unit(benchmark::kSecond)->Iterations(1);
