// Fuzz target: the results reader (compare and the GUI read runs through it). The same bytes go to each of the four
// parsers; every input must end in a value or a ResultsError.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cachelab/results/reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace r = cachelab::results;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    (void)r::parse_run_info(text, "run.json");
  } catch (const cachelab::ResultsError&) {}
  try {
    (void)r::parse_summary(text, "summary.json");
  } catch (const cachelab::ResultsError&) {}
  try {
    const r::Series s = r::parse_series(text, "series.csv");
    (void)s.node_names();
    (void)s.rows();
  } catch (const cachelab::ResultsError&) {}
  try {
    (void)r::parse_events(text, "events.jsonl");
  } catch (const cachelab::ResultsError&) {}
  return 0;
}
