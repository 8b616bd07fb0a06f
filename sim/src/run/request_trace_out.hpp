#pragma once
// The requests a RequestTracer followed, as requests.jsonl's typed form (results/request_trace.hpp): node numbers
// become names, key numbers names with their hashed part, CRC16 and slot, and each request's outcome, redirects,
// retries and nodes are counted here once, so a reader (the GUI) draws what the file says.
#include <string>
#include <vector>

#include "cachelab/client/request_tracer.hpp"
#include "cachelab/protocol/request.hpp"
#include "cachelab/results/request_trace.hpp"

namespace cachelab {

results::RequestTraceFile request_trace_file(const RequestTracer& tracer, const KeyNamer& namer,
                                             const std::vector<std::string>& node_names, uint64_t seed,
                                             Time warmup_end);

}  // namespace cachelab
