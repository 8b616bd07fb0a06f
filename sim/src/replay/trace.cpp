// Format dispatch and the next-access pass shared by the trace readers.
#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "trace_builder.hpp"

namespace cachelab::replay {

bool parse_trace_format(const std::string& name, TraceFormat& out) {
  std::string n = name;
  for (char& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "oraclegeneral") out = TraceFormat::OracleGeneral;
  else if (n == "csv") out = TraceFormat::Csv;
  else if (n == "txt") out = TraceFormat::Txt;
  else return false;
  return true;
}

const char* trace_format_name(TraceFormat f) {
  switch (f) {
    case TraceFormat::OracleGeneral: return "oracleGeneral";
    case TraceFormat::Csv: return "csv";
    case TraceFormat::Txt: return "txt";
  }
  return "?";
}

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw TraceError("cannot open trace '" + path + "'");
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

Trace read_trace(const std::string& path, TraceFormat format) {
  switch (format) {
    case TraceFormat::OracleGeneral: return read_oracle_general(path);
    case TraceFormat::Csv: return read_csv_trace(path);
    case TraceFormat::Txt: return read_txt_trace(path);
  }
  throw TraceError("unknown trace format");
}

void compute_next_access(Trace& t) {
  std::vector<int64_t> seen_at(t.objects, kNeverAgain);  // index of the object's next request, scanning backwards
  for (size_t i = t.requests.size(); i-- > 0;) {
    Request& r = t.requests[i];
    r.next_access_vtime = seen_at[r.obj];
    seen_at[r.obj] = static_cast<int64_t>(i);
  }
}

}  // namespace cachelab::replay
