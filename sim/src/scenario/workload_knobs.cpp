// The workload section's knobs: popularity, sizes, op mix, key groups, arrivals (open or closed loop), trace input.
// What each knob does to the request stream is in workload/generator.hpp (draw order) and workload/arrivals.hpp.
#include <algorithm>
#include <cctype>
#include <cmath>

#include "cachelab/core/dist.hpp"
#include "cachelab/replay/trace.hpp"
#include "cachelab/workload/popularity.hpp"
#include "workload_knobs.hpp"

namespace cachelab {

using nlohmann::json;
using schema::ObjectSpec;

namespace {

std::shared_ptr<const ObjectSpec> arrival_spec() {
  auto step = schema::object_spec("one change of the arrival rate");
  step->fields.push_back(schema::number("at_s").req().min(0).in("s").about("when the change starts"));
  step->fields.push_back(schema::number("rate_per_s").req().min(0).in("1/s").about("the new rate"));
  step->fields.push_back(
      schema::number("ramp_s").dflt(0).min(0).in("s").about("linear ramp from the old rate; 0 = a step"));
  auto diurnal = schema::object_spec("a daily (or any periodic) swing of the rate");
  diurnal->fields.push_back(
      schema::number("amplitude")
          .req()
          .min(0)
          .max(1)
          .about("the rate is multiplied by 1 + amplitude x cos(2 pi (t - peak_at_s) / period_s)"));
  diurnal->fields.push_back(schema::number("period_s").dflt(86400).min(0, true).in("s").about("one cycle"));
  diurnal->fields.push_back(schema::number("peak_at_s").dflt(0).in("s").about("a time of the peak"));
  auto spike = schema::object_spec("a flash spike: the rate rises to multiplier x, holds, then decays exponentially");
  spike->fields.push_back(schema::number("at_s").req().min(0).in("s").about("when the rise starts"));
  spike->fields.push_back(schema::number("multiplier").req().min(0).max(10000).about("the rate factor at the top"));
  spike->fields.push_back(schema::number("rise_s").dflt(0).min(0).in("s").about("linear rise; 0 = a jump"));
  spike->fields.push_back(schema::number("hold_s").dflt(0).min(0).in("s").about("time at the top"));
  spike->fields.push_back(schema::number("decay_s").dflt(0).min(0).in("s").about(
      "exponential decay time constant back to the base rate; 0 = an immediate drop"));
  auto o = schema::object_spec("when requests arrive");
  o->fields.push_back(schema::enumeration("dist", {"poisson", "closed"})
                          .dflt("poisson")
                          .about("poisson: open loop, arrivals at a rate whatever the latency (non-homogeneous with a "
                                 "shape); closed: each "
                                 "session issues its next request think_time_ms after its previous one completed"));
  o->fields.push_back(schema::number("rate_per_s")
                          .dflt(json())
                          .null_ok()
                          .min(0, true)
                          .in("1/s")
                          .about("poisson: the rate at time 0 (required); closed: must be null"));
  auto shape = schema::array("shape", step);
  shape.max_items = 10000;  // the modulated shape evaluates every step at every knot (rate_modulation.cpp)
  o->fields.push_back(shape.about("poisson: rate changes over time, in time order"));
  o->fields.push_back(schema::object("diurnal", diurnal)
                          .dflt(json())
                          .null_ok()
                          .about("poisson: a periodic factor on the rate; null = none"));
  auto spikes = schema::array("spikes", spike);
  spikes.max_items = 1000;  // each spike adds ~800 knots to the rate shape
  o->fields.push_back(spikes.about("poisson: flash spikes, factors on the rate"));
  o->fields.push_back(dist_field("think_time_ms", {{"dist", "fixed"}, {"value", 0}})
                          .in("ms")
                          .about("closed: the pause between a request's completion and the session's next request"));
  o->fields.push_back(schema::integer("sessions_per_instance")
                          .dflt(1)
                          .min(1)
                          .max(10000)
                          .about("closed: concurrent sessions per client instance (a stream's: per instance of its "
                                 "client_instances), each with one request in flight (memtier's -c)"));
  o->cross_check = [](const json& j, const auto& report) {
    const bool closed = j.at("dist") == "closed";
    if (!closed && j.at("rate_per_s").is_null())
      report("/rate_per_s", "a number > 0 (required with dist poisson)", "nothing: the key is missing or null");
    if (closed) {
      if (!j.at("rate_per_s").is_null())
        report("/rate_per_s", "null with dist closed (sessions pace themselves)", j.at("rate_per_s").dump());
      for (const char* k : {"shape", "spikes"})
        if (!j.at(k).empty())
          report(std::string("/") + k, "[] with dist closed (no rate to shape)", "a non-empty array");
      if (!j.at("diurnal").is_null()) report("/diurnal", "null with dist closed (no rate to shape)", "an object");
    }
    const auto& shape = j.at("shape");
    double end_prev = 0;
    for (size_t i = 0; i < shape.size(); ++i) {
      const double at = shape[i].at("at_s").get<double>();
      if (at < end_prev)
        report("/shape/" + std::to_string(i) + "/at_s",
               "a time >= " + json(end_prev).dump() + " (after the previous change and its ramp)", json(at).dump());
      end_prev = at + shape[i].at("ramp_s").get<double>();
    }
  };
  return o;
}

std::shared_ptr<const ObjectSpec> ops_spec() {
  auto o = schema::object_spec("the op mix: each request's command, by share (the shares sum to 1)");
  const std::pair<const char*, const char*> ops[] = {
      {"get", "read one key (GET; cache-aside: a miss loads from the origin)"},
      {"set", "write one key (the origin, then the cache per clients.on_write); an insert under popularity latest"},
      {"del", "delete one key from the origin and the cache"},
      {"incr", "INCR a counter that lives in the cache only"},
      {"mget", "read multi_key_count consecutive keys with one MGET"},
      {"mset", "write multi_key_count consecutive keys with one MSET"},
      {"rmw", "read-modify-write (YCSB F): a get, then a set of the same key by the same client"},
      {"keys",
       "KEYS * on the node of the drawn key's slot: node time grows with the node's keys "
       "(cluster.keys_ns_per_key); counted with the writes, as incr"},
      {"scan",
       "SCAN 0 COUNT workload.scan_count on the node of the drawn key's slot: node time grows with the keys "
       "walked (cluster.scan_ns_per_key); counted with the writes, as incr"},
      {"script",
       "a server-side script: script.calls INCR over script.keys consecutive keys, as one EVALSHA or one round trip "
       "per call (clients.script_mode); counted with the writes, as incr"}};
  for (const auto& [name, doc] : ops) o->fields.push_back(schema::number(name).dflt(0).min(0).max(1).about(doc));
  o->cross_check = [](const json& j, const auto& report) {
    double sum = 0;
    for (const auto& it : j.items()) sum += it.value().get<double>();
    if (std::fabs(sum - 1) > 1e-9) report("", "shares that sum to 1", "a sum of " + json(sum).dump());
  };
  return o;
}

std::shared_ptr<const ObjectSpec> multi_key_spec() {
  auto o = schema::object_spec("how many keys an mget or mset touches: uniform over [min, max]");
  o->fields.push_back(schema::integer("min").dflt(10).min(1).max(255).about("at least"));
  o->fields.push_back(schema::integer("max").dflt(10).min(1).max(255).about("at most"));
  o->cross_check = [](const json& j, const auto& report) {
    if (j.at("max").get<int64_t>() < j.at("min").get<int64_t>())
      report("/max", "an integer >= min (" + j.at("min").dump() + ")", j.at("max").dump());
  };
  return o;
}

// A server-side script (docs/redis-reference.md §11; client/script.cpp). Its node time is measured
// (cluster/script_cost.hpp): calls are bounded so that no script reaches busy-reply-threshold (5,000 ms), past which
// Redis would answer other clients -BUSY; that state is not modelled, so a scenario cannot ask for it.
std::shared_ptr<const ObjectSpec> script_spec() {
  auto o = schema::object_spec(
      "what an ops script request runs: `calls` redis.call INCR over `keys` consecutive keys in turn (key, key+1, "
      "...), "
      "as a rate limiter or an atomic read-modify-write of several counters");
  o->fields.push_back(schema::integer("calls").dflt(2).min(1).max(1000000).about(
      "redis.call per script (K); at most 1,000,000: about 0.52 s of node time at Redis 7.0's measured cost, under "
      "busy-reply-threshold's 5 s (a script past it makes Redis answer everyone else -BUSY, not modelled)"));
  o->fields.push_back(schema::integer("keys").dflt(1).min(1).max(255).about(
      "keys the script touches (KEYS[1..n]); in a cluster they must share a slot (key_groups) or the script gets "
      "-CROSSSLOT"));
  return o;
}

std::shared_ptr<const ObjectSpec> key_groups_spec() {
  auto o = schema::object_spec("keys in groups sharing a hash tag: {<prefix><group>}:<field>, one slot per group");
  o->fields.push_back(schema::integer("size").req().min(1).max(255).about(
      "keys per group: key k is field k mod size of group k / size"));
  o->fields.push_back(schema::string("fields").dflt("").about(
      "comma-separated field names (\"profile,cart\"), as many as size; \"\" = the field's index"));
  o->fields.push_back(schema::number("fraction")
                          .dflt(0)
                          .min(0)
                          .max(1)
                          .about("share of get and set requests that become an mget or mset of the key's whole group"));
  return o;
}

std::shared_ptr<const ObjectSpec> trace_spec() {
  auto o = schema::object_spec("requests from a trace file instead of the popularity and arrival process");
  o->fields.push_back(schema::string("path").req().about("the trace file (relative to the working directory)"));
  o->fields.push_back(schema::enumeration("format", {"oracleGeneral", "csv", "txt"})
                          .req()
                          .about("as cachelab replay reads them (sim/include/cachelab/replay/trace.hpp)"));
  o->fields.push_back(
      schema::enumeration("timing", {"trace", "arrival"})
          .dflt("trace")
          .about(
              "trace: due times from the trace's timestamps (whole seconds, requests spread evenly within each second, "
              "from the first timestamp); arrival: due times from the arrival section, the trace giving keys and "
              "sizes"));
  o->fields.push_back(schema::number("speedup").dflt(1).min(0, true).about(
      "timing trace: trace time is divided by this (10 = ten times faster)"));
  return o;
}

std::shared_ptr<const ObjectSpec> hash_objects_spec() {
  auto o = schema::object_spec(
      "each object as one Redis hash of `fields` fields (HGETALL reads it, one HSET writes it) instead of one string "
      "(docs/redis-reference.md §7.9)");
  o->fields.push_back(schema::integer("fields").dflt(10).min(1).max(1000).about(
      "fields per object; a hash of more than 512 (hash-max-listpack-entries) is a hashtable"));
  o->fields.push_back(schema::integer("field_name_bytes")
                          .dflt(2)
                          .min(2)
                          .max(64)
                          .in("bytes")
                          .about("every field name's length: \"f\" + the field's index, zero-padded (\"f0\", "
                                 "\"f1\", ...); enough digits for the index"));
  o->fields.push_back(
      schema::integer("long_value_bytes")
          .dflt(0)
          .min(0)
          .max(1000000)
          .in("bytes")
          .about("0 = every value is value_bytes long; else the last field's value has this length (one value over "
                 "hash-max-listpack-value, 64 bytes, makes the whole hash a hashtable)"));
  o->cross_check = [](const json& j, const auto& report) {
    const uint64_t fields = j.at("fields"), name = j.at("field_name_bytes");
    uint64_t digits = 1;
    for (uint64_t n = fields - 1; n >= 10; n /= 10) ++digits;
    if (name < digits + 1)
      report("/field_name_bytes",
             "at least " + std::to_string(digits + 1) + " (\"f\" + " + std::to_string(digits) + " digits for " +
                 std::to_string(fields) + " fields)",
             std::to_string(name));
  };
  return o;
}

size_t count_fields(const std::string& s) {
  if (s.empty()) return 0;
  size_t n = 1;
  for (char c : s) n += c == ',';
  return n;
}

// The fields a stream has whether it is the main workload or one of workload.streams: its key count, popularity,
// sizes, op mix, arrival process and TTLs.
void add_stream_fields(ObjectSpec& o, bool main) {
  o.fields.push_back(schema::integer("keys").dflt(100000).min(1).max(1e12).about(
      main ? "distinct keys" : "distinct keys of the stream (its key range: key_offset .. key_offset + keys - 1)"));
  if (main) {
    auto prefix = schema::string("key_prefix").dflt("key:").about("key names are prefix + decimal key number");
    prefix.check = [](const std::string& s) { return s.size() <= 64; };
    prefix.check_doc = "at most 64 bytes";
    o.fields.push_back(prefix);
  }
  o.fields.push_back(popularity_field("popularity", {{"dist", "zipf"}, {"alpha", 0.99}})
                         .about("which keys are requested (with zipf, key k has popularity rank k+1)"));
  o.fields.push_back(dist_field("value_bytes", {{"dist", "fixed"}, {"value", 512}})
                         .in("bytes")
                         .about("value size; each key draws its size once (a pure function of key and seed)"));
  o.fields.push_back(
      schema::number("read_fraction")
          .dflt(json())
          .null_ok()
          .min(0)
          .max(1)
          .about(
              "share of requests that are reads (get), the rest writes (set); null = 0.9, or the ops mix when given"));
  o.fields.push_back(schema::object("ops", ops_spec())
                         .dflt(json())
                         .null_ok()
                         .about("the op mix (instead of read_fraction); null = read_fraction"));
  o.fields.push_back(schema::object("multi_key_count", multi_key_spec()).about("keys per mget / mset"));
  o.fields.push_back(
      schema::integer("scan_count")
          .dflt(10)
          .min(1)
          .max(1000000)
          .about("ops scan: SCAN's COUNT (Redis's default is 10): about this many keys walked per call"));
  o.fields.push_back(schema::object("script", script_spec()).about("ops script: what one script runs"));
  if (main)
    o.fields.push_back(schema::object("hash_objects", hash_objects_spec())
                           .dflt(json())
                           .null_ok()
                           .about("each object as one hash of fields (HGETALL / HSET) instead of a string (GET / "
                                  "SET); null = strings. value_bytes is then each field's value"));
  if (main)
    o.fields.push_back(schema::object("key_groups", key_groups_spec())
                           .dflt(json())
                           .null_ok()
                           .about("hash-tagged key groups; null = plain names prefix + number"));
  o.fields.push_back(schema::object("arrival", arrival_spec()).req().about("arrival process"));
  if (main)
    o.fields.push_back(schema::object("trace", trace_spec())
                           .dflt(json())
                           .null_ok()
                           .about("trace-driven input; null = synthetic (popularity, arrival)"));
  auto ttl = dist_field("ttl_s", json()).in("s").null_ok().about("TTL set with each cache fill; null = no TTL");
  o.fields.push_back(ttl);
}

// The checks across fields that every stream shares.
void check_stream_fields(
    const json& j, const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  if (!j.at("ops").is_null() && !j.at("read_fraction").is_null())
    report("/read_fraction", "null when ops is given (ops sets the read share)", j.at("read_fraction").dump());
  const auto& pop = j.at("popularity");
  if (pop.at("dist") == "latest" && !pop.at("loaded_keys").is_null() &&
      pop.at("loaded_keys").get<uint64_t>() > j.at("keys").get<uint64_t>())
    report("/popularity/loaded_keys", "at most keys (" + j.at("keys").dump() + ")", pop.at("loaded_keys").dump());
}

// One item of workload.streams: the main workload's fields but the key groups and trace, plus its name, key range,
// key name prefix (the main workload's unless given), start and instances.
std::shared_ptr<const ObjectSpec> stream_spec() {
  auto o = schema::object_spec(
      "one more request stream, mixed with the main workload by time (a scan, a batch job, a second tenant); open "
      "loop (its own rate) or closed loop (its own sessions with think time, e.g. a batch job's workers)");
  auto name = schema::string("name").req().about(
      "the stream's name in summary.json `streams` and series.csv (not \"main\", the main workload's; unique)");
  name.check = [](const std::string& s) {
    if (s.empty() || s.size() > 32) return false;
    for (char c : s)
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) return false;
    return true;
  };
  name.check_doc = "1 to 32 letters, digits, '-', '_' or '.'";
  o->fields.push_back(name);
  o->fields.push_back(schema::integer("key_offset")
                          .dflt(json())
                          .null_ok()
                          .min(0)
                          .max(1e12)
                          .about("its first key number; null = right after the previous stream's range (the main "
                                 "workload's keys first), so streams share no key unless a key_offset says so"));
  auto prefix = schema::string("key_prefix")
                    .dflt(json())
                    .null_ok()
                    .about(
                        "how this stream's code path names its keys: prefix + decimal key number; null = the main "
                        "workload's key_prefix. Another prefix over keys another stream also requests names the "
                        "same objects twice (the inconsistent key naming pitfall: two cache entries, a miss for "
                        "each name, and a write through one name leaves the other stale)");
  prefix.check = [](const std::string& s) { return s.size() <= 64; };
  prefix.check_doc = "at most 64 bytes";
  o->fields.push_back(prefix);
  o->fields.push_back(schema::number("start_s").dflt(0).min(0).in("s").about(
      "the stream's first arrival is after this; its arrival times (shape, spikes, diurnal) count from here; a "
      "closed-loop stream's sessions start here"));
  o->fields.push_back(schema::string("client_instances")
                          .dflt("")
                          .about("the client instances that issue its requests, as \"0-3,7\"; \"\" = every instance (a "
                                 "closed-loop stream: sessions_per_instance sessions on each of them)"));
  add_stream_fields(*o, false);
  o->cross_check = [](const json& j, const auto& report) { check_stream_fields(j, report); };
  return o;
}

}  // namespace

std::shared_ptr<const ObjectSpec> workload_spec() {
  auto o = schema::object_spec("the request stream (a pure function of this section and the seed)");
  add_stream_fields(*o, true);
  auto streams = schema::array("streams", stream_spec());
  streams.max_items = 64;
  o->fields.push_back(streams.about(
      "more request streams mixed with this one by arrival time, each with its own keys, popularity, op mix, sizes, "
      "TTLs, arrivals and client instances; [] = one stream (issue 16 part 4)"));
  o->cross_check = [](const json& j, const auto& report) {
    check_stream_fields(j, report);
    const auto& g = j.at("key_groups");
    if (!g.is_null()) {
      const int64_t size = g.at("size").get<int64_t>();
      const std::string fields = g.at("fields");
      if (!fields.empty() && count_fields(fields) != static_cast<size_t>(size))
        report("/key_groups/fields", std::to_string(size) + " comma-separated names (key_groups.size)",
               std::to_string(count_fields(fields)) + " names");
      size_t longest = 0, start = 0;
      for (size_t i = 0; i <= fields.size(); ++i)
        if (i == fields.size() || fields[i] == ',') {
          longest = std::max(longest, i - start);
          start = i + 1;
        }
      // Names fit the 96-byte buffers key names are formatted into: "{" + 64 + 13 digits + "}:" + 16.
      if (longest > 16) report("/key_groups/fields", "names of at most 16 bytes", "one of " + std::to_string(longest));
      if (fields.find_first_of("{}") != std::string::npos)
        report("/key_groups/fields", "names without '{' or '}' (they would move the hash tag)", "\"" + fields + "\"");
      const std::string prefix = j.at("key_prefix");
      if (prefix.find_first_of("{}") != std::string::npos)
        report("/key_prefix", "a prefix without '{' or '}' with key_groups (the group is the hash tag)",
               "\"" + prefix + "\"");
      if (j.at("multi_key_count").at("max").get<int64_t>() > size)
        report(
            "/multi_key_count/max",
            "at most key_groups.size (" + std::to_string(size) + ": a multi-key command stays in one group, one slot)",
            j.at("multi_key_count").at("max").dump());
      if (j.at("script").at("keys").get<int64_t>() > size)
        report("/script/keys",
               "at most key_groups.size (" + std::to_string(size) + ": a script's keys stay in one group, one slot)",
               j.at("script").at("keys").dump());
    }
    if (const auto& h = j.at("hash_objects"); !h.is_null()) {
      // HSET sets no TTL and the multi-key and counter ops are string commands: not combined with hashes.
      if (!j.at("ttl_s").is_null()) report("/ttl_s", "null with hash_objects (HSET sets no TTL)", j.at("ttl_s").dump());
      if (const auto& mix = j.at("ops"); !mix.is_null())
        for (const char* op : {"mget", "mset", "incr"})
          if (mix.at(op).get<double>() > 0)
            report(std::string("/ops/") + op, "0 with hash_objects (a string command)", mix.at(op).dump());
      if (!g.is_null()) report("/key_groups", "null with hash_objects (an object is one hash)", "an object");
      if (!j.at("streams").empty())
        report("/streams", "[] with hash_objects (streams' objects are strings)",
               std::to_string(j.at("streams").size()) + " streams");
    }
    const auto& tr = j.at("trace");
    if (!tr.is_null()) {
      if (tr.at("timing") == "trace" && j.at("arrival").at("dist") == "closed")
        report("/trace/timing", "\"arrival\" with a closed-loop arrival (sessions set the times)", "\"trace\"");
      replay::TraceFormat f;
      replay::parse_trace_format(tr.at("format").get<std::string>(), f);
      if (tr.at("timing") == "trace" && f == replay::TraceFormat::Txt)
        report("/trace/timing", "\"arrival\" for a txt trace (it has no timestamps)", "\"trace\"");
      try {
        const replay::Trace t = replay::read_trace(tr.at("path").get<std::string>(), f);
        if (t.objects > j.at("keys").get<uint64_t>())
          report("/keys", "at least the trace's " + std::to_string(t.objects) + " distinct objects (key numbers)",
                 j.at("keys").dump());
        if (t.requests.empty()) report("/trace/path", "a trace with at least one request", "an empty trace");
      } catch (const std::exception& e) {
        report("/trace/path", "a readable trace in that format", e.what());
      }
    }
    // Mixed streams (issue 16 part 4).
    const auto& streams = j.at("streams");
    if (streams.empty()) return;
    if (!g.is_null())
      report("/key_groups", "null with workload.streams (a stream's key range would cut groups)", "an object");
    uint64_t end = j.at("keys").get<uint64_t>();
    for (size_t i = 0; i < streams.size(); ++i) {
      const std::string base = "/streams/" + std::to_string(i);
      const std::string name = streams[i].at("name");
      if (name == "main") report(base + "/name", "a name other than \"main\" (the main workload's)", "\"main\"");
      for (size_t k = 0; k < i; ++k)
        if (streams[k].at("name") == name)
          report(base + "/name", "a name no other stream has (stream " + std::to_string(k) + " is \"" + name + "\")",
                 "\"" + name + "\"");
      const uint64_t off = streams[i].at("key_offset").is_null() ? end : streams[i].at("key_offset").get<uint64_t>();
      const uint64_t keys = streams[i].at("keys").get<uint64_t>();
      if (off + keys > 1000000000000ull)
        report(base + "/keys", "a key range ending at most at key number 1e12 (key_offset + keys)",
               std::to_string(off) + " + " + std::to_string(keys));
      end = std::max(end, off + keys);
    }
  };
  return o;
}

bool parse_instance_list(const std::string& text, uint32_t instances, std::vector<uint32_t>& out, std::string& error) {
  out.clear();
  size_t i = 0;
  auto number = [&](uint64_t& v) {
    const size_t from = i;
    v = 0;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9' && i - from < 9) v = v * 10 + (text[i++] - '0');
    return i > from;
  };
  while (i < text.size()) {
    uint64_t a, b;
    if (!number(a)) {
      error = "\"" + text + "\" (not a number at offset " + std::to_string(i) + ")";
      return false;
    }
    b = a;
    if (i < text.size() && text[i] == '-') {
      ++i;
      if (!number(b) || b < a) {
        error = "\"" + text + "\" (a bad range before offset " + std::to_string(i) + ")";
        return false;
      }
    }
    if (b >= instances) {
      error = "instance " + std::to_string(b) + " (clients.instances is " + std::to_string(instances) + ")";
      return false;
    }
    for (uint64_t k = a; k <= b; ++k) out.push_back(static_cast<uint32_t>(k));
    if (i < text.size() && text[i++] != ',') {
      error = "\"" + text + "\" (expected ',' at offset " + std::to_string(i - 1) + ")";
      return false;
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return true;
}

void check_streams(const json& root,
                   const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  const json& w = root.at("workload");
  // Per-stream SLOs name a stream of this workload.
  if (root.contains("slo") && root.at("slo").contains("streams")) {
    const auto& slos = root.at("slo").at("streams");
    std::string names = "\"main\"";
    if (w.contains("streams"))
      for (const auto& st : w.at("streams")) names += ", \"" + st.at("name").get<std::string>() + "\"";
    for (size_t i = 0; i < slos.size(); ++i) {
      const std::string name = slos[i].at("stream");
      bool known = name == "main" && w.contains("streams") && !w.at("streams").empty();
      if (w.contains("streams"))
        for (const auto& st : w.at("streams")) known = known || st.at("name") == name;
      if (!known)
        report("/slo/streams/" + std::to_string(i) + "/stream",
               w.contains("streams") && !w.at("streams").empty()
                   ? "the name of a stream of the workload (" + names + ")"
                   : "a workload with streams (workload.streams; without them the whole-run SLOs are the main "
                     "workload's)",
               "\"" + name + "\"");
    }
  }
  if (!w.contains("streams")) return;
  const double duration = root.at("duration_s");
  const auto instances = root.at("clients").at("instances").get<uint32_t>();
  const auto& streams = w.at("streams");
  for (size_t i = 0; i < streams.size(); ++i) {
    const std::string base = "/workload/streams/" + std::to_string(i);
    const std::string list = streams[i].at("client_instances");
    std::vector<uint32_t> out;
    std::string error;
    if (!list.empty() && !parse_instance_list(list, instances, out, error))
      report(base + "/client_instances",
             "instance numbers and ranges below clients.instances (" + std::to_string(instances) + "), as \"0-3,7\"",
             error);
    if (streams[i].at("start_s").get<double>() >= duration)
      report(base + "/start_s", "a time < duration_s (" + json(duration).dump() + ")", streams[i].at("start_s").dump());
  }
}

}  // namespace cachelab
