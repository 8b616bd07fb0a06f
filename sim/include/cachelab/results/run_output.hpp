#pragma once
// What a run returns before it is written (results/writer.hpp): the summary, the series table and the events, in
// the form results/README.md describes; the simulator (run/runner.hpp) and live mode both produce it.
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/results/request_trace.hpp"

namespace cachelab {

struct SeriesTable {
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;  // cells already formatted; "" = no value
};

struct RunOutput {
  nlohmann::json summary;
  SeriesTable series;
  std::vector<nlohmann::json> events;
  uint64_t events_processed = 0;
  uint64_t requests_issued = 0;
  double wall_s = 0;
  bool cancelled = false;
  // requests.jsonl: the requests followed with --trace-requests (written only when `traced`).
  bool traced = false;
  results::RequestTraceFile requests;
};

}  // namespace cachelab
