// Plain-text traces: one key per line, every object of size 1 (so capacities count objects), no timestamps.
#include "trace_builder.hpp"

namespace cachelab::replay {

Trace read_txt_trace(const std::string& path) {
  const std::string text = slurp(path);
  TraceBuilder b(path, TraceFormat::Txt);
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != '\n') continue;
    std::string_view line(text.data() + start, i - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) b.add(TraceBuilder::key_of(line), 1, 0);
    start = i + 1;
  }
  Trace t = b.finish(false);
  compute_next_access(t);
  return t;
}

}  // namespace cachelab::replay
