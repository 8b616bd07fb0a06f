// Fuzz target: one trace reader, chosen at compile time (FUZZ_TRACE_FORMAT, FUZZ_TRACE_SUFFIX), then a short
// replay of what it read under LRU and Belady (which trusts oracleGeneral's next-access field). Every input must
// end in a Trace or a TraceError.
#include <cstddef>
#include <cstdint>

#include "cachelab/replay/simulator.hpp"
#include "cachelab/replay/trace.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string path = cachelab::fuzz::input_file(data, size, FUZZ_TRACE_SUFFIX);
  try {
    const cachelab::replay::Trace t =
        cachelab::replay::read_trace(path, cachelab::replay::TraceFormat::FUZZ_TRACE_FORMAT);
    if (!t.requests.empty() && t.requests.size() < 4096) {
      for (const char* policy : {"lru", "belady"}) {
        cachelab::replay::ReplayConfig c{policy, 4, true, 0, 1};
        (void)cachelab::replay::replay(t, c);
      }
    }
  } catch (const cachelab::replay::TraceError&) {}
  return 0;
}
