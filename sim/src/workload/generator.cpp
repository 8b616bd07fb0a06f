#include "cachelab/workload/generator.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "cachelab/replay/trace.hpp"

namespace cachelab {

using nlohmann::json;

// Redis's largest string value (proto-max-bulk-len default 512 MB).
static constexpr double kMaxValueBytes = 512.0 * 1024 * 1024;
// A sampled TTL or think time is at most about three years (1e11 ms): ns arithmetic on it stays within int64.
static constexpr double kMaxDelayMs = 1e11;

// Op codes of the `ops` table: Op's values up to mset, then rmw, then keys, scan and script (Op's values + 1), so
// that a mix without keys, scan and script draws as before.
static constexpr int kRmw = 6, kOpCodes = 10;

// A trace read once: each request's key number (the trace's dense object index, in order of first appearance),
// size, and due time when the trace times the stream.
struct WorkloadGenerator::TraceInput {
  std::vector<replay::Request> requests;
  std::vector<double> due_s;  // timing "trace" only
  size_t pos = 0;
};

static KeyNamer make_namer(const Scenario& s) {
  const json& w = s.workload.section;
  if (!w.is_object() || w.at("key_groups").is_null()) return KeyNamer(s.workload.key_prefix);
  const json& g = w.at("key_groups");
  std::vector<std::string> fields;
  const std::string list = g.at("fields");
  size_t start = 0;
  for (size_t i = 0; !list.empty() && i <= list.size(); ++i)
    if (i == list.size() || list[i] == ',') {
      fields.push_back(list.substr(start, i - start));
      start = i + 1;
    }
  return KeyNamer(s.workload.key_prefix, g.at("size").get<uint32_t>(), std::move(fields));
}

WorkloadGenerator::~WorkloadGenerator() = default;

// The random streams of stream `index` (0: the main workload's names, as before streams existed).
static std::string stream_base(const WorkloadConfig& w, uint16_t index) {
  return index == 0 ? std::string("workload") : "workload/stream/" + w.stream_name;
}

WorkloadGenerator::WorkloadGenerator(const Scenario& s) : WorkloadGenerator(s, s.workload, nullptr, 0) {
  for (size_t i = 0; i < s.streams.size(); ++i) {
    streams_.push_back(
        std::unique_ptr<WorkloadGenerator>(new WorkloadGenerator(s, s.streams[i], this, static_cast<uint16_t>(i + 1))));
    // The stream's key names: the main workload's form unless its key_prefix differs (then the one namer every
    // component shares names its cache keys with that prefix: protocol/request.hpp cache_key).
    streams_.back()->name_form_ = namer_.add_form(s.streams[i].key_prefix);
  }
  // The sessions of every closed-loop stream, numbered in stream order (next_for).
  has_open_ = !closed_;
  total_sessions_ = static_cast<uint32_t>(session_rngs_.size());
  if (streams_.empty()) return;
  session_first_.push_back(0);
  for (const auto& st : streams_) {
    session_first_.push_back(total_sessions_);
    total_sessions_ += static_cast<uint32_t>(st->session_rngs_.size());
    has_open_ = has_open_ || !st->closed_;
  }
}

WorkloadGenerator::WorkloadGenerator(const Scenario& s, const WorkloadConfig& wc, const WorkloadGenerator* root,
                                     uint16_t index)
    : seed_(s.seed),
      value_seed_(derive_seed(s.seed, stream_base(wc, index) + "/value_bytes")),
      keys_(wc.keys),
      key_offset_(wc.key_offset),
      start_(Time::from_seconds(wc.start_s)),
      index_(index),
      root_(root ? root : this),
      read_fraction_(wc.read_fraction),
      clients_(static_cast<uint16_t>(std::min(s.clients.instances, 65535))),
      value_dist_(make_dist(wc.value_bytes)),
      arrivals_(RateShape::modulated(wc, std::max(0.0, s.duration_s - wc.start_s)),
                Rng::stream(s.seed, stream_base(wc, index) + "/arrivals")),
      rng_(Rng::stream(s.seed, stream_base(wc, index))),
      namer_(index == 0 ? make_namer(s) : KeyNamer(wc.key_prefix)) {
  for (uint32_t c : wc.client_instances) client_list_.push_back(static_cast<uint16_t>(std::min<uint32_t>(c, 65535)));
  const json& w = wc.section;
  const bool have = w.is_object();  // a Scenario built in code may carry only the typed fields
  const json pop = have ? w.at("popularity") : json{{"dist", wc.popularity}, {"alpha", wc.zipf_alpha}};
  const std::string kind = pop.at("dist");
  if (kind == "zipf")
    zipf_.emplace(keys_, pop.at("alpha").get<double>());
  else if (kind == "uniform")
    uniform_ = true;
  else
    chooser_ = make_key_chooser(pop, keys_);
  checks_ = index != 0 || chooser_ != nullptr;
  if (!wc.ttl_s.is_null()) ttl_dist_ = make_dist(wc.ttl_s);
  if (wc.value_bytes.at("dist") == "fixed")
    fixed_value_ = static_cast<uint32_t>(std::llround(wc.value_bytes.at("value").get<double>()));
  if (!have) return;

  if (!w.at("ops").is_null()) {
    use_ops_ = true;
    double cum = 0;
    const char* names[kOpCodes] = {"get", "set", "del", "incr", "mget", "mset", "rmw", "keys", "scan", "script"};
    for (int i = 0; i < kOpCodes; ++i) ops_cum_[i] = cum += w.at("ops").at(names[i]).get<double>();
    ops_cum_[kOpCodes - 1] = 2;  // the shares sum to 1 within 1e-9: the last op takes whatever rounding leaves
    for (int i = kOpCodes - 2; i >= 0 && w.at("ops").at(names[i + 1]).get<double>() == 0; --i) ops_cum_[i] = 2;
  }
  scan_count_ = w.at("scan_count");
  script_calls_ = w.at("script").at("calls");
  script_keys_ = w.at("script").at("keys");
  multi_min_ = w.at("multi_key_count").at("min");
  multi_max_ = w.at("multi_key_count").at("max");
  if (w.contains("key_groups") && !w.at("key_groups").is_null()) group_fraction_ = w.at("key_groups").at("fraction");

  const json tr = w.contains("trace") ? w.at("trace") : json();
  if (!tr.is_null()) {
    replay::TraceFormat f;
    replay::parse_trace_format(tr.at("format").get<std::string>(), f);
    replay::Trace t = replay::read_trace(tr.at("path").get<std::string>(), f);
    trace_ = std::make_unique<TraceInput>();
    trace_->requests = std::move(t.requests);
    if (tr.at("timing") == "trace") {
      // Whole-second timestamps: the n requests of one second are spread evenly over it, at (i + 1/2)/n, from the
      // first timestamp on. A timestamp that goes backwards is taken as the previous one.
      const double speedup = tr.at("speedup");
      auto& rq = trace_->requests;
      trace_->due_s.resize(rq.size());
      const uint32_t t0 = rq.front().time_s;
      uint32_t prev = t0;
      for (size_t i = 0; i < rq.size();) {
        const uint32_t sec = std::max(prev, rq[i].time_s);
        size_t j = i;
        while (j < rq.size() && std::max(sec, rq[j].time_s) == sec) ++j;
        for (size_t k = i; k < j; ++k)
          trace_->due_s[k] = ((sec - t0) + (static_cast<double>(k - i) + 0.5) / static_cast<double>(j - i)) / speedup;
        prev = sec;
        i = j;
      }
    }
  }

  const json& arrival = w.at("arrival");
  if (arrival.at("dist") == "closed") {
    closed_ = true;
    think_dist_ = make_dist(arrival.at("think_time_ms"));
    // The main workload's sessions on every instance; a stream's on its client_instances.
    const uint64_t instances = client_list_.empty() ? static_cast<uint64_t>(s.clients.instances) : client_list_.size();
    const uint64_t n = instances * arrival.at("sessions_per_instance").get<uint64_t>();
    const std::string base = stream_base(wc, index);
    session_rngs_.reserve(n);
    think_rngs_.reserve(n);
    for (uint64_t i = 0; i < n; ++i) {
      session_rngs_.push_back(Rng::stream(s.seed, base + "/session/" + std::to_string(i)));
      think_rngs_.push_back(Rng::stream(s.seed, base + "/think/" + std::to_string(i)));
    }
    session_pending_.resize(n);
    session_has_pending_.assign(n, 0);
  }
}

uint32_t WorkloadGenerator::value_bytes(uint64_t key) const {
  // The first stream whose range holds the key sizes it: the main workload's range (0 .. keys-1) first.
  if (key < keys_ || streams_.empty()) return own_value_bytes(key);
  for (const auto& st : streams_)
    if (key >= st->key_offset_ && key - st->key_offset_ < st->keys_) return st->own_value_bytes(key);
  return own_value_bytes(key);
}

uint32_t WorkloadGenerator::own_value_bytes(uint64_t key) const {
  if (fixed_value_) return *fixed_value_;
  Rng r(value_seed_ ^ (key * 0x9E3779B97F4A7C15ull));
  const double v = std::clamp(std::round(value_dist_->sample(r)), 0.0, kMaxValueBytes);
  return static_cast<uint32_t>(v);
}

void WorkloadGenerator::draw(Request& out, Rng& rng, Request* pending_write, bool& has_pending) {
  // 1. op
  int code;
  if (!use_ops_) {
    code = rng.chance(read_fraction_) ? 0 : 1;
  } else {
    const double u = rng.uniform01();
    code = 0;
    while (u >= ops_cum_[code]) ++code;
  }
  Op op = code == kRmw ? Op::Read : static_cast<Op>(code > kRmw ? code - 1 : code);
  // 2. key: the trace's, an insert's (latest), or the popularity's.
  uint64_t key;
  bool inserted = false;
  uint32_t trace_size = 0;
  if (trace_) {
    const replay::Request& r = trace_->requests[trace_->pos++];
    key = r.obj;
    trace_size = r.size_bytes;
  } else if (zipf_) {
    key = zipf_->sample(rng) - 1;
  } else if (uniform_) {
    key = rng.below(keys_);
  } else {
    inserted = (op == Op::Write || op == Op::MSet) && chooser_->insert(key);
    if (!inserted) key = chooser_->next(rng);
  }
  uint8_t count = 1;
  // 3. a whole group instead of one of its keys
  if (group_fraction_ > 0 && (op == Op::Read || op == Op::Write) && code != kRmw && rng.uniform01() < group_fraction_) {
    op = op == Op::Read ? Op::MGet : Op::MSet;
    key = namer_.group_first(key);
    count = static_cast<uint8_t>(namer_.group_size());
  } else if (op == Op::MGet || op == Op::MSet) {
    // 4. how many keys; the range stays inside the key's group (one slot) and inside the key space.
    count = static_cast<uint8_t>(multi_min_ == multi_max_ ? multi_min_
                                                          : multi_min_ + rng.below(multi_max_ - multi_min_ + 1));
    if (inserted) {
      uint64_t more;
      for (uint8_t i = 1; i < count; ++i) chooser_->insert(more);
    } else {
      const uint64_t end = namer_.group_size() ? namer_.group_first(key) + namer_.group_size() : keys_;
      if (count > end) count = static_cast<uint8_t>(end);
      if (key + count > end) key = end - count;
    }
  } else if (op == Op::Script) {
    // The script's keys: key, key+1, ..., inside the key's group (one slot) and inside the key space.
    const uint64_t end = namer_.group_size() ? namer_.group_first(key) + namer_.group_size() : keys_;
    count = static_cast<uint8_t>(std::min<uint64_t>(script_keys_, end));
    if (key + count > end) key = end - count;
  }
  out.op = op;
  out.key = key + key_offset_;
  out.key_count = count;
  out.stream = index_;
  out.name_form = name_form_;
  // 5. client instance (closed loop: the session's, set by the caller)
  if (!closed_) {
    if (client_list_.empty())
      out.client = static_cast<uint16_t>(rng.below(clients_));
    else
      out.client = client_list_[rng.below(client_list_.size())];
  }
  // The main workload's keys are its own (0 .. keys-1): sized here, inline; a stream's key may be another's.
  // SCAN carries its COUNT in value_bytes, a script its number of redis.call.
  out.value_bytes = op == Op::Scan     ? scan_count_
                    : op == Op::Script ? script_calls_
                    : trace_           ? trace_size
                    : index_ == 0      ? own_value_bytes(out.key)
                                       : root_->value_bytes(out.key);
  // 6. TTL
  if (ttl_dist_) {
    // At least 1 ms: Redis refuses SET ... PX 0.
    // At most kMaxDelayMs: a lognormal's tail must not overflow the expiry time (issue 21).
    out.ttl_ms = std::max<int64_t>(1, round_to_int64(std::min(ttl_dist_->sample(rng) * 1000.0, kMaxDelayMs)));
  } else {
    out.ttl_ms = -1;
  }
  if (code == kRmw) {
    *pending_write = out;
    pending_write->op = Op::Write;
    has_pending = true;
  }
}

bool WorkloadGenerator::next_merged(Request& out, Time end) {
  const size_t n = 1 + streams_.size();
  if (!heads_filled_) {
    heads_.resize(n);
    head_live_.resize(n);
    for (size_t i = 0; i < n; ++i)  // a closed-loop stream is drawn by next_for, never merged
      head_live_[i] = stream_closed(i) ? 0
                      : i == 0         ? next_own(heads_[0], end)
                                       : streams_[i - 1]->next_own(heads_[i], end);
    heads_filled_ = true;
  }
  size_t best = n;
  for (size_t i = 0; i < n; ++i)
    if (head_live_[i] && (best == n || heads_[i].due < heads_[best].due)) best = i;
  if (best == n) return false;
  out = heads_[best];
  out.seq = merged_seq_++;
  head_live_[best] = best == 0 ? next_own(heads_[0], end) : streams_[best - 1]->next_own(heads_[best], end);
  return true;
}

bool WorkloadGenerator::next_own(Request& out, Time end) {
  // Loud, not silent: a closed-loop stream has no arrival times of its own (next_for draws them from completions).
  if (closed_) throw std::logic_error("a closed-loop workload (arrival.dist \"closed\") is driven with next_for");
  if (has_pending_) {  // the write half of an rmw: due with its read
    out = pending_;
    out.seq = seq_++;
    has_pending_ = false;
    return true;
  }
  double t;
  if (trace_) {
    if (trace_->pos >= trace_->requests.size()) return false;
    t = trace_->due_s.empty() ? arrivals_.next() : trace_->due_s[trace_->pos];
  } else {
    if (checks_) [[unlikely]] {
      if (chooser_ && chooser_->exhausted()) return false;  // a scan read its range once
      t = arrivals_.next() + start_.seconds();
    } else {
      t = arrivals_.next();
    }
  }
  if (!std::isfinite(t) || t > end.seconds()) return false;
  out.seq = seq_++;
  out.due = Time::from_seconds(t);
  out.session = 0;
  draw(out, rng_, &pending_, has_pending_);
  return true;
}

bool WorkloadGenerator::next_for(uint32_t session, Time now, Request& out, Time end) {
  if (streams_.empty()) return own_next_for(session, now, out, end);
  // With streams: the stream that owns the session draws its request; `seq` numbers every stream's requests.
  // The last closed-loop stream whose first session is at most `session` (an open-loop stream has none).
  size_t i = session_first_.size();
  do --i;
  while (session_first_[i] > session || !stream_closed(i));
  WorkloadGenerator& g = i == 0 ? *this : *streams_[i - 1];
  if (!g.own_next_for(session - session_first_[i], now, out, end)) return false;
  out.session = session;
  out.seq = merged_seq_++;
  return true;
}

bool WorkloadGenerator::own_next_for(uint32_t session, Time now, Request& out, Time end) {
  if (now < start_) now = start_;       // a stream's sessions start at its start_s
  if (session_has_pending_[session]) {  // an rmw's write follows its read's completion at once
    out = session_pending_[session];
    out.due = now;
    out.seq = seq_++;
    session_has_pending_[session] = 0;
    return now <= end;
  }
  const double think_ms = std::min(std::max(0.0, think_dist_->sample(think_rngs_[session])), kMaxDelayMs);
  const Time due = now + Time::from_seconds(think_ms / 1000.0);
  if (due > end) return false;
  if (trace_ && trace_->pos >= trace_->requests.size()) return false;
  if (checks_ && chooser_ && chooser_->exhausted()) return false;  // a scan read its range once
  out.seq = seq_++;
  out.due = due;
  out.session = session;
  out.client =
      client_list_.empty() ? static_cast<uint16_t>(session % clients_) : client_list_[session % client_list_.size()];
  bool pending = false;
  draw(out, session_rngs_[session], &session_pending_[session], pending);
  session_has_pending_[session] = pending;
  return true;
}

std::vector<Request> WorkloadGenerator::warm_requests(uint64_t k, Rng& rng) const {
  if (trace_)
    throw std::invalid_argument("/clients/warm/top_keys: a trace has no popularity model to pick the top keys from");
  k = std::min(k, keys_);
  std::vector<uint64_t> keys;
  if (!chooser_ || !chooser_->top_keys(k, keys))
    for (uint64_t i = 0; i < k; ++i) keys.push_back(i);
  std::vector<Request> out;
  out.reserve(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    Request r;
    r.seq = i;
    r.key = keys[i];
    r.op = Op::Read;
    r.client = static_cast<uint16_t>(i % clients_);
    r.value_bytes = value_bytes(keys[i]);
    r.ttl_ms =
        ttl_dist_ ? std::max<int64_t>(1, std::llround(std::min(ttl_dist_->sample(rng) * 1000.0, kMaxDelayMs))) : -1;
    out.push_back(r);
  }
  return out;
}

}  // namespace cachelab
