// CSV traces: a header naming the columns (time, key, size, optionally op; any order; others ignored).
// The exact format is documented on read_trace in cachelab/replay/trace.hpp.
#include <cctype>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "trace_builder.hpp"

namespace cachelab::replay {

namespace {
std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

void split(std::string_view line, std::vector<std::string_view>& out) {
  out.clear();
  size_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    if (i == line.size() || line[i] == ',') {
      out.push_back(trim(line.substr(start, i - start)));
      start = i + 1;
    }
  }
}

bool parse_uint(std::string_view s, uint64_t& v, bool allow_fraction) {
  if (s.empty()) return false;
  v = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) v = v * 10 + static_cast<uint64_t>(s[i] - '0');
  if (i == 0) return false;
  if (i == s.size()) return true;
  if (!allow_fraction || s[i] != '.') return false;
  for (++i; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;  // seconds: the fraction is truncated, as the TTL semantics count whole seconds
}
}  // namespace

Trace read_csv_trace(const std::string& path) {
  const std::string text = slurp(path);
  std::string_view rest(text);
  std::vector<std::string_view> cells;
  int col_time = -1, col_key = -1, col_size = -1;
  size_t width = 0, line_no = 0;
  bool header_seen = false;
  TraceBuilder b(path, TraceFormat::Csv);
  while (!rest.empty()) {
    const size_t nl = rest.find('\n');
    std::string_view line = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    ++line_no;
    if (trim(line).empty()) continue;
    split(line, cells);
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (!header_seen) {
      header_seen = true;
      width = cells.size();
      for (size_t c = 0; c < cells.size(); ++c) {
        std::string name(cells[c]);
        for (char& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
        if (name == "time")
          col_time = static_cast<int>(c);
        else if (name == "key")
          col_key = static_cast<int>(c);
        else if (name == "size")
          col_size = static_cast<int>(c);
      }
      if (col_time < 0 || col_key < 0 || col_size < 0)
        throw TraceError(where + "the header must name the columns time,key,size[,op] (got '" +
                         std::string(line.substr(0, 120)) + (line.size() > 120 ? "...')" : "')"));
      continue;
    }
    if (cells.size() != width)
      throw TraceError(where + "expected " + std::to_string(width) + " columns, got " + std::to_string(cells.size()));
    uint64_t time_s = 0, size = 0;
    if (!parse_uint(cells[col_time], time_s, true) || time_s > UINT32_MAX)
      throw TraceError(where + "time '" + std::string(cells[col_time].substr(0, 64)) + "' is not a number of seconds");
    if (!parse_uint(cells[col_size], size, false) || size > UINT32_MAX)
      throw TraceError(where + "size '" + std::string(cells[col_size].substr(0, 64)) + "' is not a number of bytes");
    if (cells[col_key].empty()) throw TraceError(where + "empty key");
    b.add(TraceBuilder::key_of(cells[col_key]), static_cast<uint32_t>(size), static_cast<uint32_t>(time_s));
  }
  if (!header_seen) throw TraceError(path + ": empty csv trace (no header)");
  Trace t = b.finish(true);
  compute_next_access(t);
  return t;
}

}  // namespace cachelab::replay
