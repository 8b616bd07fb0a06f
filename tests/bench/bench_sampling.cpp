// The flagship scenario with Redis's bucket-walk eviction sampling (cluster.sampling "buckets", dictGetSomeKeys)
// instead of the default uniform sampler: run next to BM_FlashSale (--benchmark_filter=FlashSale) to see what the
// walk costs or saves.
#include <benchmark/benchmark.h>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

static void BM_FlashSale_buckets(benchmark::State& state) {
  Scenario s = load_scenario_file(CACHELAB_SOURCE_DIR "/scenarios/flash-sale.json");
  s.cluster.store.sampling = "buckets";
  uint64_t requests = 0;
  for (auto _ : state) {
    const RunOutput out = simulate(s);
    requests += out.requests_issued;
  }
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.counters["simulated_req_per_s"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_FlashSale_buckets)->Unit(benchmark::kSecond)->Iterations(1);
