// Reads a results directory (results/README.md) into the plain structs of results/reader.hpp.
// Strict about types (a string where a number belongs is an error, with its JSON path or line), lenient
// about absence of fields a later or earlier schema version may lack: they stay NaN / empty.
#include "cachelab/results/reader.hpp"

#include "cachelab/results/summary_core.hpp"
#include "describe.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>
#include <string_view>
#include <unordered_set>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/text.hpp"

namespace cachelab::results {
namespace {

using nlohmann::json;

// Everything in a message that comes from a file is escaped (no NUL, no terminal escape sequences) and clipped.
[[noreturn]] void fail(const std::string& file, const std::string& where, const std::string& expected,
                       const std::string& found) {
  throw ResultsError(io::printable(file, 300) + ": " + io::printable(where, 300) + ": expected " + expected +
                     ", found " + io::printable(found, 300));
}

json parse_json(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann's message already says "at line L, column C"; drop its "[json.exception...] " tag.
    std::string msg = e.what();
    if (auto p = msg.find("] "); p != std::string::npos) msg = msg.substr(p + 2);
    throw ResultsError(io::printable(file, 300) + ": not valid JSON: " + io::printable(msg, 300));
  } catch (const json::exception& e) {  // out_of_range: a number too large for a double
    throw ResultsError(io::printable(file, 300) + ": not valid JSON: " + io::printable(e.what(), 300));
  }
}

// Field access that knows the JSON path it is at, so every error names it.
struct Obj {
  const json& j;
  std::string path;  // JSON Pointer of `j` ("" for the root)
  const std::string& file;

  std::string at(const std::string& key) const { return path + "/" + key; }

  const json* get(const std::string& key, bool required) const {
    auto it = j.find(key);
    if (it == j.end()) {
      if (required) fail(file, at(key), "a field \"" + key + "\"", "nothing (the field is missing)");
      return nullptr;
    }
    return &*it;
  }
  // A number, or NaN for null/absent.
  double num(const std::string& key, bool required = false) const {
    const json* v = get(key, required);
    if (!v || v->is_null()) return kMissing;
    if (!v->is_number()) fail(file, at(key), "a number or null", describe(*v));
    return v->get<double>();
  }
  std::string str(const std::string& key, bool required = false) const {
    const json* v = get(key, required);
    if (!v || v->is_null()) return {};
    if (!v->is_string()) fail(file, at(key), "a string", describe(*v));
    return v->get<std::string>();
  }
  bool boolean(const std::string& key, bool required = false) const {
    const json* v = get(key, required);
    if (!v || v->is_null()) return false;
    if (!v->is_boolean()) fail(file, at(key), "true or false", describe(*v));
    return v->get<bool>();
  }
  // A nested object; an empty object when absent.
  Obj obj(const std::string& key, bool required = false) const {
    static const json empty = json::object();
    const json* v = get(key, required);
    if (!v || v->is_null()) return Obj{empty, at(key), file};
    if (!v->is_object()) fail(file, at(key), "an object", describe(*v));
    return Obj{*v, at(key), file};
  }
  const json& arr(const std::string& key, bool required = false) const {
    static const json empty = json::array();
    const json* v = get(key, required);
    if (!v || v->is_null()) return empty;
    if (!v->is_array()) fail(file, at(key), "an array", describe(*v));
    return *v;
  }
};

Obj root_object(const json& j, const std::string& file) {
  if (!j.is_object()) fail(file, "/", "a JSON object", describe(j));
  return Obj{j, "", file};
}

// A list of slot ranges: [[0,5460]], ["0-5460"], or single slot numbers.
SlotRanges read_ranges(const json& v, const std::string& file, const std::string& where) {
  if (!v.is_array()) fail(file, where, "a list of slot ranges", describe(v));
  SlotRanges out;
  auto check = [&](long lo, long hi, const std::string& at) {
    if (lo < 0 || hi > 16383 || lo > hi)
      fail(file, at, "a slot range within 0-16383", std::to_string(lo) + "-" + std::to_string(hi));
    out.emplace_back(static_cast<int>(lo), static_cast<int>(hi));
  };
  for (std::size_t i = 0; i < v.size(); ++i) {
    const json& r = v[i];
    const std::string at = where + "/" + std::to_string(i);
    if (r.is_number_integer()) {
      check(r.get<long>(), r.get<long>(), at);
    } else if (r.is_array() && r.size() == 2 && r[0].is_number_integer() && r[1].is_number_integer()) {
      check(r[0].get<long>(), r[1].get<long>(), at);
    } else if (r.is_string()) {
      const std::string s = r.get<std::string>();
      long lo = -1, hi = -1;
      const auto dash = s.find('-');
      const char* b = s.data();
      const char* e = s.data() + s.size();
      bool ok;
      if (dash == std::string::npos) {
        ok = std::from_chars(b, e, lo).ptr == e;
        hi = lo;
      } else {
        ok = std::from_chars(b, b + dash, lo).ptr == b + dash && std::from_chars(b + dash + 1, e, hi).ptr == e;
      }
      if (!ok) fail(file, at, "a slot range like \"0-5460\"", describe(r));
      check(lo, hi, at);
    } else {
      fail(file, at, "a slot number, [first, last] or \"first-last\"", describe(r));
    }
  }
  return out;
}

// `slots` is the slot count and `slot_ranges` the ranges the node owns at the end of the run (what sim
// writes). A `slots` that is itself a list of ranges is read as ranges too.
void read_slots(const Obj& node, NodeSummary& out) {
  if (const json* v = node.get("slots", false); v && !v->is_null()) {
    if (v->is_number())
      out.slot_count = v->get<double>();
    else if (v->is_array())
      out.slot_ranges = read_ranges(*v, node.file, node.at("slots"));
    else
      fail(node.file, node.at("slots"), "a slot count or a list of slot ranges", describe(*v));
  }
  if (const json* v = node.get("slot_ranges", false); v && !v->is_null())
    out.slot_ranges = read_ranges(*v, node.file, node.at("slot_ranges"));
  if (std::isnan(out.slot_count) && !out.slot_ranges.empty()) {
    double count = 0;
    for (auto [lo, hi] : out.slot_ranges) count += hi - lo + 1;
    out.slot_count = count;
  }
}

// A FIFO in place of a file would block compare and the GUI forever, a huge file would exhaust memory: only regular
// files within the limit are read (issue 21).
std::string read_file(const std::filesystem::path& p, uint64_t max_bytes) {
  try {
    return io::read_regular_file(p.string(), std::min(max_bytes, io::half_physical_memory_bytes()), "results file");
  } catch (const io::InputError& e) {
    throw ResultsError(e.what());
  }
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  while (true) {
    const auto comma = line.find(',', start);
    cells.push_back(line.substr(start, comma == std::string::npos ? std::string::npos : comma - start));
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return cells;
}

bool is_text_column(const std::string& name) {
  const std::string suffix = ".role";
  return name.size() > suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

RunInfo parse_run_info(const std::string& text, const std::string& file) {
  const json j = parse_json(text, file);
  const Obj o = root_object(j, file);
  RunInfo r;
  r.cachelab_version = o.str("cachelab_version");
  r.mode = o.str("mode", true);
  if (const json* s = o.get("seed", true); !s->is_number_unsigned() && !s->is_number_integer()) {
    fail(file, "/seed", "a non-negative integer", describe(*s));
  } else {
    r.seed = s->get<std::uint64_t>();
  }
  r.scenario_file = o.str("scenario_file");
  const json& ov = o.arr("overrides");
  for (std::size_t i = 0; i < ov.size(); ++i) {
    if (!ov[i].is_string()) fail(file, "/overrides/" + std::to_string(i), "a string", describe(ov[i]));
    r.overrides.push_back(ov[i].get<std::string>());
  }
  // A run with a host calibration names its file and the overrides that came from it, which lead `overrides`.
  if (const Obj cal = o.obj("calibration"); !cal.j.empty()) {
    r.calibration_file = cal.str("file", true);
    const json& co = cal.arr("overrides", true);
    for (std::size_t i = 0; i < co.size(); ++i) {
      if (!co[i].is_string() || i >= r.overrides.size() || r.overrides[i] != co[i].get<std::string>())
        fail(file, "/calibration/overrides/" + std::to_string(i), "the same string as /overrides/" + std::to_string(i),
             describe(co[i]));
      r.calibration_overrides.push_back(co[i].get<std::string>());
    }
  }
  const Obj sc = o.obj("scenario", true);
  r.scenario = sc.j;
  r.name = sc.str("name");
  r.title = sc.str("title");
  r.description = sc.str("description");
  r.started_utc = o.str("started_utc");
  r.wall_s = o.num("wall_s");
  r.raw = j;
  return r;
}

Summary parse_summary(const std::string& text, const std::string& file) {
  const json j = parse_json(text, file);
  const Obj o = root_object(j, file);
  Summary s;
  // Present and of the right type where the reader cannot do without them; the core through the writer's table.
  o.num("requests", true);
  o.num("hit_ratio", true);
  o.obj("latency_us", true);
  core_from_json(j, file, s);
  s.evicted_keys = o.num("evicted_keys");
  s.expired_keys = o.num("expired_keys");
  s.writes_lost = o.num("writes_lost");

  auto each_object = [&](const char* key, auto&& fn) {
    const json& a = o.arr(key);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const std::string path = std::string("/") + key + "/" + std::to_string(i);
      if (!a[i].is_object()) fail(file, path, "an object", describe(a[i]));
      fn(Obj{a[i], path, file});
    }
  };
  each_object("failovers", [&](const Obj& f) {
    s.failovers.push_back(Failover{f.str("node", true), f.num("t_kill_s"), f.num("t_pfail_s"), f.num("t_fail_s"),
                                   f.num("t_promoted_s"), f.num("t_ok_s"), f.str("new_master")});
  });
  each_object("nodes", [&](const Obj& n) {
    NodeSummary ns;
    ns.name = n.str("name", true);
    ns.role = n.str("role");
    read_slots(n, ns);
    node_from_json(n.j, file, n.path, ns);  // the writer's field table
    s.nodes.push_back(std::move(ns));
  });
  each_object("slo", [&](const Obj& x) {
    s.slo.push_back(Slo{x.str("name", true), x.num("target"), x.num("value"), x.num("margin"), x.boolean("pass", true),
                        x.str("measures"), x.str("stream")});
  });
  s.raw = j;
  return s;
}

Series parse_series(const std::string& text, const std::string& file) {
  Series s;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  std::vector<int> slot;  // per header column: index into numeric (>= 0) or -(index into text) - 1
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_no == 1) {
      s.header = split_csv_line(line);
      if (s.header.size() > kMaxSeriesColumns)
        fail(file, "line 1", "at most " + std::to_string(kMaxSeriesColumns) + " columns",
             std::to_string(s.header.size()));
      std::unordered_set<std::string_view> seen;  // linear: 100,000 columns took 8.8 s pairwise
      for (std::size_t c = 0; c < s.header.size(); ++c) {
        const std::string& name = s.header[c];
        if (name.empty()) fail(file, "line 1, column " + std::to_string(c + 1), "a column name", "an empty cell");
        if (!seen.insert(name).second) fail(file, "line 1", "unique column names", "\"" + name + "\" twice");
        if (is_text_column(name)) {
          slot.push_back(-static_cast<int>(s.text_names.size()) - 1);
          s.text_names.push_back(name);
        } else {
          slot.push_back(static_cast<int>(s.numeric_names.size()));
          s.numeric_names.push_back(name);
        }
      }
      if (s.header.empty() || s.header.front() != "t_s")
        fail(file, "line 1", "a header row starting with \"t_s\"", "\"" + line.substr(0, 40) + "\"");
      s.numeric.resize(s.numeric_names.size());
      s.text.resize(s.text_names.size());
      continue;
    }
    if (line.empty()) continue;  // a trailing blank line
    const auto cells = split_csv_line(line);
    if (cells.size() != s.header.size())
      fail(file, "line " + std::to_string(line_no), std::to_string(s.header.size()) + " cells (as in the header)",
           std::to_string(cells.size()));
    for (std::size_t c = 0; c < cells.size(); ++c) {
      const std::string& cell = cells[c];
      if (slot[c] < 0) {
        s.text[static_cast<std::size_t>(-slot[c] - 1)].push_back(cell);
        continue;
      }
      double v = kMissing;
      if (!cell.empty()) {
        const char* e = cell.data() + cell.size();
        auto [p, ec] = std::from_chars(cell.data(), e, v);
        if (ec != std::errc() || p != e || !std::isfinite(v))
          fail(file, "line " + std::to_string(line_no) + ", column \"" + s.header[c] + "\"",
               "a number or an empty cell", "\"" + cell + "\"");
      } else if (c == 0) {
        fail(file, "line " + std::to_string(line_no) + ", column \"t_s\"", "a time", "an empty cell");
      }
      s.numeric[static_cast<std::size_t>(slot[c])].push_back(v);
    }
  }
  if (line_no == 0) fail(file, "line 1", "a header row", "an empty file");
  return s;
}

std::vector<Event> parse_events(const std::string& text, const std::string& file) {
  std::vector<Event> out;
  std::istringstream in(text);
  std::string line;
  int line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string label = file + ":" + std::to_string(line_no);
    const json j = parse_json(line, label);
    const Obj o = root_object(j, label);
    Event ev;
    ev.t_s = o.num("t_s", true);
    if (std::isnan(ev.t_s)) fail(label, "/t_s", "a number", "null");
    ev.type = o.str("type", true);
    ev.node = o.str("node");
    ev.raw = j;
    ev.line = line_no;
    out.push_back(std::move(ev));
  }
  return out;
}

std::size_t Series::rows() const { return numeric.empty() ? 0 : numeric.front().size(); }

const std::vector<double>* Series::column(const std::string& name) const {
  for (std::size_t i = 0; i < numeric_names.size(); ++i)
    if (numeric_names[i] == name) return &numeric[i];
  return nullptr;
}

const std::vector<std::string>* Series::text_column(const std::string& name) const {
  for (std::size_t i = 0; i < text_names.size(); ++i)
    if (text_names[i] == name) return &text[i];
  return nullptr;
}

std::vector<std::string> Series::node_names() const {
  std::vector<std::string> names;
  for (const auto& h : header) {
    const auto dot = h.find('.');
    if (dot == std::string::npos) continue;
    const std::string node = h.substr(0, dot);
    bool seen = false;
    for (const auto& n : names) seen = seen || n == node;
    if (!seen) names.push_back(node);
  }
  return names;
}

bool looks_like_run_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  return std::filesystem::is_regular_file(dir / "summary.json", ec) &&
         std::filesystem::is_regular_file(dir / "series.csv", ec);
}

Run load_run(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec))
    throw ResultsError(io::printable(dir.string(), 300) +
                       ": expected a run directory (run.json, summary.json, series.csv, "
                       "events.jsonl), found " +
                       (std::filesystem::exists(dir, ec) ? "a file" : "nothing"));
  Run run;
  run.dir = dir;
  auto load = [&](const char* name) {
    const auto p = dir / name;
    const bool json_file = std::string(name).ends_with(".json");
    return std::make_pair(read_file(p, json_file ? kMaxJsonFileBytes : kMaxTableFileBytes), p.string());
  };
  {
    auto [t, f] = load("run.json");
    run.info = parse_run_info(t, f);
  }
  {
    auto [t, f] = load("summary.json");
    run.summary = parse_summary(t, f);
  }
  {
    auto [t, f] = load("series.csv");
    run.series = parse_series(t, f);
  }
  {
    auto [t, f] = load("events.jsonl");
    run.events = parse_events(t, f);
  }
  return run;
}

}  // namespace cachelab::results
