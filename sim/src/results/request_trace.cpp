// requests.jsonl: writing and reading (results/request_trace.hpp; the schema is results/README.md).
#include "cachelab/results/request_trace.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include <nlohmann/json.hpp>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/text.hpp"
#include "describe.hpp"

namespace cachelab::results {

using nlohmann::json;

namespace {

constexpr std::array<const char*, 18> kHopTypes = {
    "issue",         "start",     "send",         "pool_wait",    "pool_granted", "breaker_open",
    "reply",         "retry",     "db_query",     "db_service",   "db_reply",     "l1_hit",
    "single_flight", "lock_wait", "xfetch_early", "stale_served", "done",         "end"};

json hop_to_json(const TraceHop& h) {
  json j = {{"t_ns", h.t_ns}, {"type", h.type}};
  const std::string& t = h.type;
  if (!h.node.empty()) j["node"] = h.node;
  if (t == "send") {
    j["cmd"] = h.cmd;
    j["purpose"] = h.purpose;
    j["via"] = h.via;
    j["slot"] = h.slot;
    if (h.asking) j["asking"] = true;
    if (h.readonly) j["readonly"] = true;
    if (h.key_count != 1) j["key_count"] = h.key_count;
  } else if (t == "reply") {
    j["reply"] = h.reply;
    if (!h.target.empty()) j["target"] = h.target;
    if (h.reply == "value") j["value_bytes"] = h.value_bytes;
  } else if (t == "retry") {
    j["attempt"] = h.attempt;
    j["delay_ns"] = h.delay_ns;
  } else if (t == "lock_wait") {
    j["delay_ns"] = h.delay_ns;
  } else if (t == "db_query") {
    j["write"] = h.write;
  } else if (t == "db_service") {
    j["queue_ns"] = h.queue_ns;
    j["service_ns"] = h.service_ns;
  } else if (t == "db_reply") {
    j["outcome"] = h.outcome;
  } else if (t == "done") {
    j["outcome"] = h.outcome;
    j["hit"] = h.hit;
    j["fail"] = h.fail.empty() ? json() : json(h.fail);
    j["latency_ns"] = h.latency_ns;
  }
  return j;
}

json request_to_json(const TracedRequest& r) {
  json hops = json::array();
  for (const TraceHop& h : r.hops) hops.push_back(hop_to_json(h));
  return {{"seq", r.seq},
          {"client", r.client},
          {"op", r.op},
          {"key", r.key},
          {"key_number", r.key_number},
          {"key_count", r.key_count},
          {"hashed", r.hashed},
          {"crc16", r.crc16},
          {"slot", r.slot},
          {"due_ns", r.due_ns},
          {"measured", r.measured},
          {"outcome", r.outcome},
          {"fail", r.fail.empty() ? json() : json(r.fail)},
          {"hit", r.hit},
          {"degraded", r.degraded},
          {"cache_error", r.cache_error.empty() ? json() : json(r.cache_error)},
          {"latency_ns", r.latency_ns < 0 ? json() : json(r.latency_ns)},
          {"redirects", r.redirects},
          {"retries", r.retries},
          {"db_queries", r.db_queries},
          {"nodes", r.nodes},
          {"hops_truncated", r.hops_truncated},
          {"hops", std::move(hops)}};
}

[[noreturn]] void fail(const std::string& file, size_t line, const std::string& where, const std::string& expected,
                       const std::string& found) {
  throw ResultsError(file + ": line " + std::to_string(line) + (where.empty() ? "" : ": " + where) + ": expected " +
                     expected + ", found " + io::printable(found));
}

// One object of a line, read field by field with the line and JSON Pointer in every message.
class Fields {
 public:
  Fields(const json& j, const std::string& file, size_t line, std::string path)
      : j_(j), file_(file), line_(line), path_(std::move(path)) {}
  const json* get(const char* key, bool required) const {
    auto it = j_.find(key);
    if (it == j_.end()) {
      if (required) fail(file_, line_, path_ + "/" + key, "a value", "nothing (the key is missing)");
      return nullptr;
    }
    return &*it;
  }
  std::string str(const char* key, bool required, bool nullable = false) const {
    const json* v = get(key, required);
    if (!v || (nullable && v->is_null())) return "";
    if (!v->is_string()) fail(file_, line_, path_ + "/" + key, "a string", describe(*v));
    return v->get<std::string>();
  }
  std::int64_t i64(const char* key, bool required, std::int64_t dflt = 0, bool nullable = false) const {
    const json* v = get(key, required);
    if (!v || (nullable && v->is_null())) return dflt;
    if (!v->is_number_integer()) fail(file_, line_, path_ + "/" + key, "an integer", describe(*v));
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(INT64_MAX))
      fail(file_, line_, path_ + "/" + key, "an integer below 2^63", describe(*v));
    return v->get<std::int64_t>();
  }
  std::uint64_t u64(const char* key, bool required) const {
    const json* v = get(key, required);
    if (!v) return 0;
    if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<std::int64_t>() >= 0))
      fail(file_, line_, path_ + "/" + key, "a non-negative integer", describe(*v));
    return v->get<std::uint64_t>();
  }
  int small(const char* key, bool required, int lo, int hi, int dflt = 0) const {
    const std::int64_t v = i64(key, required, dflt);
    if (v < lo || v > hi)
      fail(file_, line_, path_ + "/" + key, "an integer from " + std::to_string(lo) + " to " + std::to_string(hi),
           std::to_string(v));
    return static_cast<int>(v);
  }
  double number(const char* key, bool required, bool nullable = false) const {
    const json* v = get(key, required);
    if (!v || (nullable && v->is_null())) return kMissing;
    if (!v->is_number()) fail(file_, line_, path_ + "/" + key, "a number", describe(*v));
    return v->get<double>();
  }
  bool boolean(const char* key, bool required) const {
    const json* v = get(key, required);
    if (!v) return false;
    if (!v->is_boolean()) fail(file_, line_, path_ + "/" + key, "true or false", describe(*v));
    return v->get<bool>();
  }
  const json& arr(const char* key) const {
    const json* v = get(key, true);
    if (!v->is_array()) fail(file_, line_, path_ + "/" + key, "an array", describe(*v));
    return *v;
  }
  const std::string& file() const { return file_; }
  size_t line() const { return line_; }
  const std::string& path() const { return path_; }

 private:
  const json& j_;
  const std::string& file_;
  size_t line_;
  std::string path_;
};

const json& as_object(const json& v, const std::string& file, size_t line, const std::string& path) {
  if (!v.is_object()) fail(file, line, path, "an object", describe(v));
  return v;
}

TraceHop parse_hop(const Fields& o) {
  TraceHop h;
  h.t_ns = o.i64("t_ns", true);
  h.type = o.str("type", true);
  if (std::find_if(kHopTypes.begin(), kHopTypes.end(), [&](const char* t) { return h.type == t; }) == kHopTypes.end())
    fail(o.file(), o.line(), o.path() + "/type", "a hop type (issue, send, reply, retry, db_query, done, ...)",
         "\"" + h.type + "\"");
  h.node = o.str("node", false);
  h.cmd = o.str("cmd", h.type == "send");
  h.purpose = o.str("purpose", h.type == "send");
  h.via = o.str("via", h.type == "send");
  h.slot = o.small("slot", h.type == "send", -1, 16383, -1);
  h.asking = o.boolean("asking", false);
  h.readonly = o.boolean("readonly", false);
  h.key_count = o.small("key_count", false, 1, 255, 1);
  h.reply = o.str("reply", h.type == "reply");
  h.target = o.str("target", false);
  h.value_bytes = o.i64("value_bytes", false);
  h.attempt = o.small("attempt", h.type == "retry", 0, 1 << 20);
  h.delay_ns = o.i64("delay_ns", h.type == "retry" || h.type == "lock_wait");
  h.write = o.boolean("write", h.type == "db_query");
  h.queue_ns = o.i64("queue_ns", h.type == "db_service");
  h.service_ns = o.i64("service_ns", h.type == "db_service");
  h.outcome = o.str("outcome", h.type == "db_reply" || h.type == "done");
  h.hit = o.boolean("hit", h.type == "done");
  h.fail = o.str("fail", false, true);
  h.latency_ns = o.i64("latency_ns", h.type == "done");
  if ((h.type == "send" || h.type == "reply") && h.node.empty())
    fail(o.file(), o.line(), o.path() + "/node", "the node's name", "nothing");
  return h;
}

TracedRequest parse_request(const json& j, const std::string& file, size_t line) {
  const Fields o(as_object(j, file, line, ""), file, line, "");
  TracedRequest r;
  r.seq = o.u64("seq", true);
  r.client = o.small("client", true, 0, 65535);
  r.op = o.str("op", true);
  r.key = o.str("key", true);
  r.key_number = o.u64("key_number", true);
  r.key_count = o.small("key_count", true, 1, 255);
  r.hashed = o.str("hashed", true);
  r.crc16 = o.small("crc16", true, 0, 65535);
  r.slot = o.small("slot", true, 0, 16383);
  r.due_ns = o.i64("due_ns", true);
  r.measured = o.boolean("measured", true);
  r.outcome = o.str("outcome", true);
  if (r.outcome != "ok" && r.outcome != "failed" && r.outcome != "in_flight")
    fail(file, line, "/outcome", "ok, failed or in_flight", "\"" + r.outcome + "\"");
  r.fail = o.str("fail", true, true);
  r.hit = o.boolean("hit", true);
  r.degraded = o.boolean("degraded", true);
  r.cache_error = o.str("cache_error", true, true);
  r.latency_ns = o.i64("latency_ns", true, -1, true);
  r.redirects = o.small("redirects", true, 0, 1 << 20);
  r.retries = o.small("retries", true, 0, 1 << 20);
  r.db_queries = o.small("db_queries", true, 0, 1 << 20);
  const json& nodes = o.arr("nodes");
  for (size_t i = 0; i < nodes.size(); ++i) {
    if (!nodes[i].is_string()) fail(file, line, "/nodes/" + std::to_string(i), "a node name", describe(nodes[i]));
    r.nodes.push_back(nodes[i].get<std::string>());
  }
  r.hops_truncated = o.boolean("hops_truncated", true);
  const json& hops = o.arr("hops");
  for (size_t i = 0; i < hops.size(); ++i) {
    const std::string path = "/hops/" + std::to_string(i);
    r.hops.push_back(parse_hop(Fields(as_object(hops[i], file, line, path), file, line, path)));
    if (i > 0 && r.hops[i].t_ns < r.hops[i - 1].t_ns)
      fail(file, line, path + "/t_ns", "hops in time order (at least " + std::to_string(r.hops[i - 1].t_ns) + ")",
           std::to_string(r.hops[i].t_ns));
  }
  return r;
}

}  // namespace

std::string hashed_part(const std::string& key) {
  const size_t open = key.find('{');
  if (open == std::string::npos) return key;
  const size_t close = key.find('}', open + 1);
  if (close == std::string::npos || close == open + 1) return key;
  return key.substr(open + 1, close - open - 1);
}

std::string format_requests_jsonl(const RequestTraceFile& f) {
  std::string out = json{{"cachelab_requests", f.format},
                         {"sample", f.sample},
                         {"limit", f.limit},
                         {"seen", f.seen},
                         {"recorded", f.requests.size()},
                         {"seed", f.seed},
                         {"from_s", f.from_s},
                         {"to_s", std::isnan(f.to_s) ? json() : json(f.to_s)}}
                        .dump();
  out += "\n";
  for (const TracedRequest& r : f.requests) out += request_to_json(r).dump() + "\n";
  return out;
}

RequestTraceFile parse_requests_jsonl(std::string_view text, const std::string& file) {
  RequestTraceFile f;
  size_t line = 0, pos = 0;
  bool header = false;
  uint64_t recorded = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view s = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line;
    if (s.empty()) continue;
    json j;
    try {
      j = json::parse(s);
    } catch (const json::parse_error& e) {
      fail(file, line, "", "one JSON object per line", "text that is not JSON (" + std::string(e.what()) + ")");
    }
    if (!header) {
      const Fields o(as_object(j, file, line, ""), file, line, "");
      f.format = o.small("cachelab_requests", true, 0, 1 << 20);
      if (f.format != 1) fail(file, line, "/cachelab_requests", "format 1 (this reader's)", std::to_string(f.format));
      f.sample = o.str("sample", true);
      f.limit = o.u64("limit", true);
      f.seen = o.u64("seen", true);
      recorded = o.u64("recorded", true);
      f.seed = o.u64("seed", true);
      f.from_s = o.number("from_s", true);
      f.to_s = o.number("to_s", true, true);
      header = true;
      continue;
    }
    f.requests.push_back(parse_request(j, file, line));
    if (f.requests.size() > 1 && f.requests.back().seq <= f.requests[f.requests.size() - 2].seq)
      fail(file, line, "/seq", "requests in increasing seq order", std::to_string(f.requests.back().seq));
  }
  if (!header) fail(file, line, "", "a header line {\"cachelab_requests\": 1, ...}", "an empty file");
  if (recorded != f.requests.size())
    fail(file, line, "", std::to_string(recorded) + " requests (the header's `recorded`)",
         std::to_string(f.requests.size()) + " (a truncated file?)");
  return f;
}

RequestTraceFile load_requests(const std::filesystem::path& run_dir) {
  const std::filesystem::path p = run_dir / kRequestsFile;
  std::string text;
  try {
    text = io::read_regular_file(p.string(), std::min(kMaxTableFileBytes, io::half_physical_memory_bytes()),
                                 "requests file");
  } catch (const io::InputError& e) {
    throw ResultsError(e.what());
  }
  return parse_requests_jsonl(text, p.string());
}

}  // namespace cachelab::results
