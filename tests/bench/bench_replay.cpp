// Replay throughput (requests per wall second, one core) on the bundled real trace, for LRU and S3-FIFO at
// 128 MiB and 1 GiB (the ends of libCacheSim's test range). The trace is loaded once, outside the timing.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "cachelab/replay/simulator.hpp"

using namespace cachelab::replay;

namespace {
const char* const kTrace = CACHELAB_SOURCE_DIR "/../shared/traces/cloudPhysicsIO.oracleGeneral.bin";

void BM_Replay(benchmark::State& state, const char* policy) {
  if (!std::filesystem::exists(kTrace)) {
    state.SkipWithError("bundled trace not found next to the repository");
    return;
  }
  static const Trace trace = read_trace(kTrace, TraceFormat::OracleGeneral);
  ReplayConfig cfg;
  cfg.policy = policy;
  cfg.capacity_bytes = static_cast<uint64_t>(state.range(0)) << 20;
  uint64_t requests = 0, misses = 0;
  for (auto _ : state) {
    const ReplayResult r = replay(trace, cfg);
    requests += r.requests;
    misses += r.misses;
  }
  benchmark::DoNotOptimize(misses);
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.counters["req_per_s"] = benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}
}  // namespace

BENCHMARK_CAPTURE(BM_Replay, lru, "lru")->Arg(128)->Arg(1024)->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Replay, s3fifo, "s3fifo")->Arg(128)->Arg(1024)->Unit(benchmark::kMillisecond);
