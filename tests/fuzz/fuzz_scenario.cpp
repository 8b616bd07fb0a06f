// Fuzz target: the scenario loader with --set overrides, and the pre-flight estimate of a scenario it accepts.
// Input: scenario text, then optionally a NUL byte and --set assignments separated by NUL bytes. Every input must
// end in a Scenario or a ScenarioError: any other exception, a crash or a sanitizer report is a bug.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "cachelab/run/preflight.hpp"
#include "cachelab/scenario/loader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string all(reinterpret_cast<const char*>(data), size);
  const size_t nul = all.find('\0');
  const std::string text = all.substr(0, nul);
  std::vector<std::string> sets;
  for (size_t at = nul; at != std::string::npos && at < all.size();) {
    const size_t next = all.find('\0', at + 1);
    sets.push_back(all.substr(at + 1, next == std::string::npos ? std::string::npos : next - at - 1));
    at = next;
  }
  try {
    const cachelab::Scenario s = cachelab::load_scenario_text(text, "fuzz.json", sets);
    const cachelab::RunEstimate e = cachelab::estimate_run(s);
    (void)cachelab::refuse_run(e, 1ull << 30);
  } catch (const cachelab::ScenarioError& e) {
    if (std::string(e.what()).find('\0') != std::string::npos) __builtin_trap();  // messages are escaped
  }
  return 0;
}
