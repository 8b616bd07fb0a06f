// Replay from file to answer (issue 19): what `cachelab replay TRACE --size 1%` pays, timed whole: the working-set
// pass over the file (percent sizes need it), then the streamed replay. The trace is issue 19's: 20M requests,
// Zipf(0.9) over 2M objects of 4000 bytes, oracleGeneral, written once per process to a temporary file (outside the
// timing; it then sits in the page cache, as a trace replayed twice does). One policy and one size per iteration,
// on one thread, as `cachelab replay` with one policy and one size runs. BM_ReplayZipf (bench_replay_zipf.cpp)
// times the policy loop alone over a trace in memory: a diagnostic, not what a user waits for.
// Counters: req_per_s (requests over the whole time), miss_ratio, peak_rss_mib (VmHWM of the process after the
// run, reset before it: the pass's own peak, the benchmark's baseline included).
#include <benchmark/benchmark.h>

#include <malloc.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "cachelab/replay/simulator.hpp"
#include "cachelab/replay/trace_writer.hpp"

using namespace cachelab::replay;

namespace {

struct TempTrace {
  std::filesystem::path path;
  TempTrace() {
    path = std::filesystem::temp_directory_path() /
           ("cachelab-bench-zipf-" + std::to_string(::getpid()) + ".oracleGeneral.bin");
    write_zipf_trace(path.string(), ZipfTraceSpec{});
  }
  ~TempTrace() {
    std::error_code ec;
    std::filesystem::remove(path, ec);
  }
};

const std::string& trace_path() {
  static const TempTrace t;
  return t.path.native();
}

long status_kb(const std::string& field) {
  std::ifstream f("/proc/self/status");
  std::string line;
  while (std::getline(f, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(field.size()));
  return -1;
}

const char* const kPolicies[] = {"lru", "fifo", "lfu", "sieve", "s3fifo"};

// Arguments: policy (index into kPolicies), cache size in per-mille of the working set.
void BM_ReplayFileZipf(benchmark::State& state) {
  const std::string& path = trace_path();
  const char* policy = kPolicies[state.range(0)];
  state.SetLabel(policy);
  malloc_trim(0);
  { std::ofstream("/proc/self/clear_refs") << "5"; }  // resets VmHWM to the current RSS (Linux >= 4.0)
  uint64_t requests = 0, misses = 0;
  for (auto _ : state) {
    const TraceSummary s = scan_trace(path, TraceFormat::OracleGeneral);
    ReplayConfig cfg;
    cfg.policy = policy;
    cfg.capacity_bytes = s.working_set_bytes * static_cast<uint64_t>(state.range(1)) / 1000;
    ReplayFileOptions opt;
    opt.known = &s;
    const auto r = replay_file(path, TraceFormat::OracleGeneral, {cfg}, opt);
    requests += r[0].requests;
    misses += r[0].misses;
  }
  benchmark::DoNotOptimize(misses);
  state.SetItemsProcessed(static_cast<int64_t>(requests));
  state.counters["req_per_s"] = benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
  state.counters["miss_ratio"] = static_cast<double>(misses) / static_cast<double>(requests);
  state.counters["peak_rss_mib"] = static_cast<double>(status_kb("VmHWM:")) / 1024.0;
}

}  // namespace

BENCHMARK(BM_ReplayFileZipf)
    ->ArgsProduct({{0, 1, 2, 3, 4}, {10, 100}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->UseRealTime();
