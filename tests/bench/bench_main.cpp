// Benchmarks (make bench). Targets from the foundation issue, on one core: the event queue >= 20M schedule+pop per
// second; the flagship scenario >= 2M simulated requests per wall second, with and without XFetch (issues 2, 6).
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "cachelab/core/event_queue.hpp"
#include "cachelab/core/rng.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

using namespace cachelab;

namespace {
struct Nop final : EventHandler {
  uint64_t sum = 0;
  void on_event(Time, uint64_t tag) override { sum += tag; }
};
}  // namespace

// Steady state with `pending` events in the queue: pop the earliest, schedule one a random delay later (the hold
// model). Each iteration is one schedule plus one pop.
static void BM_EventQueueHold(benchmark::State& state) {
  const auto pending = static_cast<size_t>(state.range(0));
  EventQueue q;
  Nop nop;
  Rng rng(1);
  for (size_t i = 0; i < pending; ++i) q.schedule(Time::ns(static_cast<int64_t>(rng.below(1000000))), &nop, i);
  for (auto _ : state) {
    Event e = q.pop();
    q.schedule(e.time + Time::ns(static_cast<int64_t>(rng.below(1000000))), &nop, e.tag);
  }
  state.SetItemsProcessed(state.iterations());
  benchmark::DoNotOptimize(nop.sum);
}
BENCHMARK(BM_EventQueueHold)->Arg(64)->Arg(1024)->Arg(65536);

// The flagship scenario, once per iteration; `overrides` are --set assignments (the loader's override mechanism).
static void run_flash_sale(benchmark::State& state, const std::vector<std::string>& overrides) {
  const Scenario s = load_scenario_file(CACHELAB_SOURCE_DIR "/scenarios/flash-sale.json", overrides);
  uint64_t requests = 0;
  for (auto _ : state) {
    const RunOutput out = simulate(s);
    requests += out.requests_issued;
  }
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.counters["simulated_req_per_s"] =
      benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}

static void BM_FlashSale(benchmark::State& state) { run_flash_sale(state, {}); }
BENCHMARK(BM_FlashSale)->Unit(benchmark::kSecond)->Iterations(1);

// The same with cache-aside + XFetch, as `cachelab run scenarios/flash-sale.json --set /clients/stampede/mode=xfetch`
// (issues 2 and 6: the same >= 2M target).
static void BM_FlashSale_xfetch(benchmark::State& state) { run_flash_sale(state, {"/clients/stampede/mode=xfetch"}); }
BENCHMARK(BM_FlashSale_xfetch)->Unit(benchmark::kSecond)->Iterations(1);

BENCHMARK_MAIN();
