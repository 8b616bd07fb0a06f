// Issue 4's replay figure: a 20M-request Zipf trace over 2M objects (generated once, outside the timing; unit
// sizes), exact LRU with a cache of 1% and 10% of the objects, on one core. Reports requests per second and the
// replay engine's memory per cached object: the peak resident memory the replay adds over the loaded trace
// (/proc/self/status VmHWM after resetting it through /proc/self/clear_refs, with freed heap memory returned to the
// system first, so the replay's allocations are fresh pages), divided by the cached objects. The replay engine keeps
// state per cached object (an id -> handle index and the policy's per-handle records), so the figure does not grow
// with the trace's 2M objects.
// Arguments: capacity in per-mille of the objects, Zipf exponent x100.
#include <benchmark/benchmark.h>

#include <malloc.h>

#include <fstream>
#include <string>

#include "cachelab/core/rng.hpp"
#include "cachelab/core/samplers.hpp"
#include "cachelab/replay/simulator.hpp"

using namespace cachelab;
using namespace cachelab::replay;

namespace {
constexpr uint32_t kObjects = 2'000'000;
constexpr size_t kRequests = 20'000'000;

const Trace& zipf_trace(int alpha_x100) {
  static Trace t;
  static int made = -1;
  if (made == alpha_x100) return t;
  t = Trace{};
  Rng rng = Rng::stream(42, "bench-replay/zipf");
  ZipfSampler zipf(kObjects, alpha_x100 / 100.0);
  t.objects = kObjects;
  t.requests.resize(kRequests);
  for (size_t i = 0; i < kRequests; ++i) {
    t.requests[i].obj = static_cast<uint32_t>(zipf.sample(rng) - 1);
    t.requests[i].size_bytes = 1;
  }
  t.requested_bytes = kRequests;
  t.working_set_bytes = kObjects;
  made = alpha_x100;
  return t;
}

// kB from a /proc/self/status line ("VmRSS:", "VmHWM:").
long status_kb(const std::string& field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  return -1;
}

void BM_ReplayZipf(benchmark::State& state) {
  const Trace& trace = zipf_trace(static_cast<int>(state.range(1)));
  ReplayConfig cfg;
  cfg.policy = "lru";
  cfg.unit_size = true;
  cfg.capacity_bytes = static_cast<uint64_t>(kObjects) * static_cast<uint64_t>(state.range(0)) / 1000;
  malloc_trim(0);  // else the heap's free but resident pages (an earlier trace, an earlier run) hide our allocations
  { std::ofstream("/proc/self/clear_refs") << "5"; }  // resets VmHWM to the current RSS (Linux >= 4.0)
  const long rss_before = status_kb("VmRSS:");
  uint64_t requests = 0, misses = 0;
  for (auto _ : state) {
    const ReplayResult r = cachelab::replay::replay(trace, cfg);
    requests += r.requests;
    misses += r.misses;
  }
  const long peak = status_kb("VmHWM:");
  benchmark::DoNotOptimize(misses);
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.counters["req_per_s"] = benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
  state.counters["miss_ratio"] = static_cast<double>(misses) / static_cast<double>(requests);
  state.counters["bytes_per_cached_obj"] =
      static_cast<double>(peak - rss_before) * 1024.0 / static_cast<double>(cfg.capacity_bytes);
}
}  // namespace

BENCHMARK(BM_ReplayZipf)
    ->Args({10, 99})
    ->Args({100, 99})
    ->Args({10, 80})
    ->Args({100, 80})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3);
