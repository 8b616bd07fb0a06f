// cachelab_gen_trace: writes a synthetic oracleGeneral trace with Zipf popularity (write_zipf_trace in
// cachelab/replay/trace_writer.hpp says exactly what), for benchmarks that compare `cachelab replay` with
// libCacheSim's cachesim on the same file (README "Trace replay", issue 19).
#include <CLI/CLI.hpp>

#include <iostream>

#include "cachelab/replay/trace.hpp"
#include "cachelab/replay/trace_writer.hpp"

int main(int argc, char** argv) {
  CLI::App app{"write a synthetic Zipf trace in libCacheSim's oracleGeneral format"};
  std::string out;
  cachelab::replay::ZipfTraceSpec spec;
  app.add_option("OUT", out, "output file (.oracleGeneral.bin)")->required();
  app.add_option("--objects", spec.objects, "distinct objects N")
      ->capture_default_str()
      ->check(CLI::Range(1ull, 1ull << 32));
  app.add_option("--requests", spec.requests, "requests")->capture_default_str()->check(CLI::Range(1ull, 1ull << 32));
  app.add_option("--alpha", spec.alpha, "Zipf exponent (> 0)")->capture_default_str()->check(CLI::PositiveNumber);
  app.add_option("--size-bytes", spec.size_bytes, "every object's size")->capture_default_str();
  app.add_option("--time-span-s", spec.time_span_s, "seconds the requests are spread over")->capture_default_str();
  app.add_option("--seed", spec.seed, "seed of the Zipf draws")->capture_default_str();
  app.add_flag("--rank-ids", spec.rank_ids, "ids are rank - 1 (0 = most popular) instead of scrambled 64-bit ids");
  CLI11_PARSE(app, argc, argv);
  try {
    cachelab::replay::write_zipf_trace(out, spec);
  } catch (const cachelab::replay::TraceError& e) {
    std::cerr << "cachelab_gen_trace: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
