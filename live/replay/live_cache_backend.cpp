#include "live/replay/live_cache_backend.hpp"

#include <poll.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <ctime>

#include "live/client/credentials.hpp"
#include "live/client/redirect.hpp"
#include "live/client/slot_map.hpp"
#include "live/replay/key_prefix.hpp"

namespace cachelab::live {

namespace {
// Numbers are written with std::to_chars and read with std::from_chars: the driver formats several per command, and
// printf/scanf's locale and format parsing were ~10% of its CPU at 1 connection x 800 in flight (issue 19 part 2).
template <class Int>
void append_number(std::string& out, Int v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, static_cast<size_t>(r.ptr - buf));
}
// A RESP header: the type byte, the count, CRLF ("$12\r\n", "*3\r\n").
void append_header(std::string& out, char type, size_t n) {
  out.push_back(type);
  append_number(out, n);
  out.append("\r\n", 2);
}
void append_bulk(std::string& out, const char* data, size_t n) {
  append_header(out, '$', n);
  out.append(data, n);
  out.append("\r\n", 2);
}
void append_array(std::string& out, int n) { append_header(out, '*', static_cast<size_t>(n)); }

// Reads "cl:<aux>:<expire_at_ms>[:<version>];" (append_value's header). False when it is not one.
bool parse_value_header(std::string_view v, unsigned& aux, long long& expire_at, unsigned& version) {
  const char* p = v.data() + 3;  // after "cl:"
  const char* end = v.data() + std::min<size_t>(v.size(), 64);
  auto r = std::from_chars(p, end, aux);
  if (r.ec != std::errc() || r.ptr == end || *r.ptr != ':') return false;
  r = std::from_chars(r.ptr + 1, end, expire_at);
  if (r.ec != std::errc()) return false;
  if (r.ptr != end && *r.ptr == ':') {
    const auto rv = std::from_chars(r.ptr + 1, end, version);
    if (rv.ec != std::errc()) version = 0;
  }
  return true;
}
}  // namespace

LiveCacheBackend::LiveCacheBackend(LiveCacheOptions options, const KeyNamer& namer, const Clock& clock)
    : opt_(std::move(options)),
      timeout_(command_timeout(opt_.clients)),
      namer_(namer),
      clock_(clock),
      // Every instance has connections of its own to each node, as each application process does: pool_size of
      // them, or one without a pool (a multiplexed connection that carries whatever the instance sends; a batching
      // instance writes its batches there, as a redis-py or Jedis pipeline does). A command goes on the pooled
      // connection the client logic chose (CacheCommand::conn), which the simulated node knows it by (§9.1).
      pool_(opt_.clients.pool_size > 0 ? opt_.clients.pool_size : 1u),
      per_node_(static_cast<size_t>(pool_) * static_cast<size_t>(std::max(1, opt_.clients.instances))),
      conns_(opt_.nodes.size() * per_node_) {
  // Connections open on first use: an instance that never talks to a node holds no socket there.
  for (size_t i = 0; i < conns_.size(); ++i) conns_[i].c = std::make_unique<NodeConnection>(opt_.nodes[i / per_node_]);
  keybuf_.reserve(256);
}

LiveCacheBackend::~LiveCacheBackend() = default;

uint64_t LiveCacheBackend::outstanding() const {
  uint64_t n = deferred_.size();
  for (const auto& c : conns_) n += c.q.size() - c.timed_out;
  return n;
}

uint32_t LiveCacheBackend::index_of(const Endpoint& ep) const {
  for (size_t i = 0; i < opt_.nodes.size(); ++i)
    if (opt_.nodes[i] == ep) return static_cast<uint32_t>(i);
  return UINT32_MAX;
}

uint32_t LiveCacheBackend::connection(uint32_t node, uint16_t client, uint16_t pooled) const {
  const size_t instance = client % static_cast<size_t>(std::max(1, opt_.clients.instances));
  return static_cast<uint32_t>(node * per_node_ + instance * pool_ + std::min<uint32_t>(pooled, pool_ - 1));
}

bool LiveCacheBackend::ensure_open(uint32_t node) {
  Conn& c = conns_[node];
  if (c.c->is_open()) return true;
  // A node that failed is retried after a backoff, not on every command: a dead port costs one refused connect
  // per backoff period, and commands in between fail at once, as a client with a broken pool would see.
  if (!c.open_ok && clock_.now() < c.retry_at) return false;
  std::string err;
  if (!c.c->open(err)) {
    c.open_ok = false;
    c.retry_at = clock_.now() + opt_.reconnect_backoff;
    return false;
  }
  c.script_loaded = false;  // a new connection, maybe to a restarted node that lost its scripts
  const std::string pw = opt_.password.empty() ? password_for(opt_.nodes[node_of(node)]) : opt_.password;
  if (!pw.empty()) {  // pipelined before the commands; a refusal stops the run (deliver)
    append_resp_command(c.c->out(), {std::string_view("AUTH"), std::string_view(pw)});
    c.q.push_back(Entry{0, kAuth, 0, clock_.now() + timeout_});
  }
  if (opt_.clients.read_from != ReadFrom::Master) {  // pipelined too; its +OK is skipped
    c.c->out().append("*1\r\n$8\r\nREADONLY\r\n");
    c.q.push_back(Entry{0, kSkip, 0, clock_.now() + timeout_});
  }
  return true;
}

// The server-side script of an ops script request (docs/redis-reference.md §11; sim/src/client/script.cpp): ARGV[1]
// INCR over KEYS in turn. kScriptSha1 is its SHA1 (`printf '%s' "$body" | sha1sum`); SCRIPT LOAD's reply is checked
// against it, so the two cannot drift apart unnoticed.
constexpr std::string_view kScriptBody =
    "local n = tonumber(ARGV[1]) for i = 1, n do redis.call('INCR', KEYS[(i - 1) % #KEYS + 1]) end return n";
constexpr std::string_view kScriptSha1 = "287da086d839c7ea10c1a394e9d199caf058303b";

void LiveCacheBackend::append_key(uint64_t key) {
  char name[128];
  const size_t n = namer_.format(key & ~kLockKeyBit, name);
  if (opt_.run_prefix.empty() && !(key & kLockKeyBit)) {  // the common case of a spawned lab: the bare name
    append_bulk(keybuf_, name, n);
    return;
  }
  // The prefix and the lock suffix keep the slot the simulator computed for the bare name (key_prefix.hpp).
  namebuf_.clear();
  append_prefixed_key(namebuf_, opt_.run_prefix, std::string_view(name, n), (key & kLockKeyBit) != 0);
  append_bulk(keybuf_, namebuf_.data(), namebuf_.size());
}

// The value carries a small header, "cl:<aux>:<expire_at_ms>[:<version>];", then 'x' padding to value_bytes: a GET
// learns the XFetch delta, the expiry (on this process's clock) and the database version the value was read or
// written at (staleness, origin/versions.hpp) without a second command (PTTL).
void LiveCacheBackend::append_value(const CacheCommand& cmd) {
  const long long expire_at =
      cmd.ttl_ms >= 0 ? static_cast<long long>(clock_.now().nanos() / 1'000'000 + cmd.ttl_ms) : -1;
  // Version 0 (a key never written) keeps the shorter header, so values stay the sizes they were before versions.
  headbuf_.assign("cl:", 3);
  append_number(headbuf_, static_cast<unsigned>(cmd.aux));
  headbuf_.push_back(':');
  append_number(headbuf_, expire_at);
  if (cmd.version) {
    headbuf_.push_back(':');
    append_number(headbuf_, static_cast<unsigned>(cmd.version));
  }
  headbuf_.push_back(';');
  const size_t h = headbuf_.size();
  const size_t total = std::max<size_t>(cmd.value_bytes, h);
  if (value_.size() < total) value_.assign(std::max<size_t>(total, 4096), 'x');
  std::string& out = keybuf_;
  append_header(out, '$', total);
  out.append(headbuf_);
  out.append(value_.data(), total - h);
  out.append("\r\n", 2);
}

// workload.hash_objects (docs/redis-reference.md §7.9): field i is named "f" + i zero-padded to name_bytes; the first
// value carries the header, every value is value_bytes long (the last long_value_bytes when set).
void LiveCacheBackend::append_hset(std::string& out, const CacheCommand& cmd) {
  const uint32_t fields = opt_.hash.fields;
  append_array(out, static_cast<int>(2 + 2 * fields));
  out.append("$4\r\nHSET\r\n");
  append_key(cmd.key);
  out += keybuf_;
  char name[72];
  const int digits = static_cast<int>(opt_.hash.name_bytes) - 1;
  for (uint32_t i = 0; i < fields; ++i) {
    const int n = std::snprintf(name, sizeof name, "f%0*u", digits, i);
    append_bulk(out, name, static_cast<size_t>(n));
    CacheCommand field = cmd;
    if (i + 1 == fields && opt_.hash.long_value_bytes > 0) field.value_bytes = opt_.hash.long_value_bytes;
    if (i > 0) field.aux = 0, field.version = 0, field.ttl_ms = -1;
    keybuf_.clear();
    if (i == 0) {
      append_value(field);
    } else {  // plain padding: no header
      if (value_.size() < field.value_bytes) value_.assign(std::max<size_t>(field.value_bytes, 4096), 'x');
      append_bulk(keybuf_, value_.data(), field.value_bytes);
    }
    out += keybuf_;
  }
}

void LiveCacheBackend::send(const CacheCommand& cmd, uint32_t tag) {
  const Kind kind = cmd.cmd == CacheCmd::Get && cmd.hash                     ? kHGetAll
                    : cmd.cmd == CacheCmd::Get                               ? kGet
                    : cmd.cmd == CacheCmd::MGet                              ? kMGet
                    : cmd.cmd == CacheCmd::Del                               ? kDel
                    : cmd.cmd == CacheCmd::Keys || cmd.cmd == CacheCmd::Scan ? kWalk
                                                                             : kSet;
  const Entry e{tag, kind, cmd.client, clock_.now() + timeout_};
  // The pooled connection the client logic chose (CacheCommand::conn, pool.cpp), as the simulated node knows it.
  const uint32_t conn = cmd.node < opt_.nodes.size() ? connection(cmd.node, cmd.client, cmd.conn) : UINT32_MAX;
  if (conn == UINT32_MAX || !ensure_open(conn)) {
    deferred_.push_back({e, CacheReply{ReplyKind::Connection, 0, 0}});
    return;
  }
  Conn& c = conns_[conn];
  std::string& out = c.c->out();
  if (cmd.asking) {
    out.append("*1\r\n$6\r\nASKING\r\n");
    c.q.push_back(Entry{tag, kSkip, cmd.client, e.deadline});
  }
  if (cmd.cmd == CacheCmd::Eval && !c.script_loaded) {  // pipelined before the EVALSHA that needs it
    append_resp_command(out, {std::string_view("SCRIPT"), std::string_view("LOAD"), kScriptBody});
    c.q.push_back(Entry{tag, kScriptLoad, cmd.client, e.deadline});
    c.script_loaded = true;
  }
  keybuf_.clear();
  const int keys = std::max<int>(1, cmd.key_count);
  switch (cmd.cmd) {
    case CacheCmd::Get:
      out.append(cmd.hash ? "*2\r\n$7\r\nHGETALL\r\n" : "*2\r\n$3\r\nGET\r\n");
      append_key(cmd.key);
      out += keybuf_;
      break;
    case CacheCmd::Keys: {  // KEYS <prefix>*: every key of the node (under --redis, the run's only)
      const std::string pattern = opt_.run_prefix + "*";
      out.append("*2\r\n$4\r\nKEYS\r\n");
      append_bulk(out, pattern.data(), pattern.size());
      break;
    }
    case CacheCmd::Scan: {  // SCAN 0 [MATCH <prefix>*] COUNT c: one call from the start of the table
      char count[24];
      const int n =
          std::snprintf(count, sizeof count, "%u", static_cast<unsigned>(std::max<uint32_t>(1, cmd.value_bytes)));
      const std::string pattern = opt_.run_prefix + "*";
      append_array(out, opt_.run_prefix.empty() ? 4 : 6);
      out.append("$4\r\nSCAN\r\n$1\r\n0\r\n");
      if (!opt_.run_prefix.empty()) {
        out.append("$5\r\nMATCH\r\n");
        append_bulk(out, pattern.data(), pattern.size());
      }
      out.append("$5\r\nCOUNT\r\n");
      append_bulk(out, count, static_cast<size_t>(n));
      break;
    }
    case CacheCmd::Incr:
      out.append("*2\r\n$4\r\nINCR\r\n");
      append_key(cmd.key);
      out += keybuf_;
      break;
    case CacheCmd::Eval: {  // EVALSHA sha numkeys key... calls
      char calls[24];
      const auto n = std::to_chars(calls, calls + sizeof calls, std::max<uint32_t>(1, cmd.value_bytes));
      char nk[8];
      const auto k = std::to_chars(nk, nk + sizeof nk, keys);
      append_array(out, 4 + keys);
      out.append("$7\r\nEVALSHA\r\n");
      append_bulk(out, kScriptSha1.data(), kScriptSha1.size());
      append_bulk(out, nk, static_cast<size_t>(k.ptr - nk));
      for (int i = 0; i < keys; ++i) append_key(cmd.key + static_cast<uint64_t>(i));
      out += keybuf_;
      append_bulk(out, calls, static_cast<size_t>(n.ptr - calls));
      break;
    }
    case CacheCmd::Del:
    case CacheCmd::MGet:
      append_array(out, 1 + keys);
      out.append(cmd.cmd == CacheCmd::Del ? "$3\r\nDEL\r\n" : "$4\r\nMGET\r\n");
      for (int i = 0; i < keys; ++i) append_key(cmd.key + static_cast<uint64_t>(i));
      out += keybuf_;
      break;
    case CacheCmd::MSet: {
      append_array(out, 1 + 2 * keys);
      out.append("$4\r\nMSET\r\n");
      CacheCommand plain = cmd;
      plain.ttl_ms = -1;  // MSET has no TTL
      for (int i = 0; i < keys; ++i) {
        append_key(cmd.key + static_cast<uint64_t>(i));
        append_value(plain);
      }
      out += keybuf_;
      break;
    }
    case CacheCmd::Set: {
      if (cmd.hash) {  // HSET sets no TTL (validation refuses ttl_s with hash_objects)
        append_hset(out, cmd);
        break;
      }
      append_array(out, 3 + (cmd.ttl_ms >= 0 ? 2 : 0) + (cmd.nx ? 1 : 0));
      out.append("$3\r\nSET\r\n");
      append_key(cmd.key);
      append_value(cmd);
      out += keybuf_;
      if (cmd.nx) out.append("$2\r\nNX\r\n");
      if (cmd.ttl_ms >= 0) {
        out.append("$2\r\nPX\r\n");
        char ttl[24];
        // PX 0 is an error in Redis: a zero TTL is the shortest one it accepts.
        const auto r = std::to_chars(ttl, ttl + sizeof ttl, std::max<int64_t>(cmd.ttl_ms, 1));
        append_bulk(out, ttl, static_cast<size_t>(r.ptr - ttl));
      }
      break;
    }
  }
  c.q.push_back(e);
}

void LiveCacheBackend::send_batch(const BatchedCommand* cmds, size_t n) {
  if (n == 0) return;
  // Every command of a batch is one instance's to one node: they go to its one connection there (batching is
  // refused with a pool), appended as hiredis' redisAppendCommand does, and are written now in one write(2) (a full socket
  // buffer leaves the rest to pump()). The replies are read as they come, one entry of the queue each.
  for (size_t i = 0; i < n; ++i) send(cmds[i].cmd, cmds[i].tag);
  const CacheCommand& first = cmds[0].cmd;
  if (first.node >= opt_.nodes.size()) return;
  Conn& c = conns_[connection(first.node, first.client, 0)];  // a batching instance has one connection per node
  // A broken connection is failed by pump(), never from inside the client logic that sent the batch.
  std::string err;
  if (c.c->is_open() && !c.c->connecting() && c.c->wants_write()) (void)c.c->flush(err);
}

void LiveCacheBackend::fetch_slots(uint32_t node, uint16_t client) {
  if (node == kAnyNode) {
    // Any node we can reach, rotating, as a client library walks its seed list.
    node = 0;
    const size_t nodes = opt_.nodes.size();
    for (size_t i = 0; i < nodes; ++i) {
      const uint32_t n = static_cast<uint32_t>((next_any_ + i) % nodes);
      if (node_up(n)) {
        node = n;
        break;
      }
    }
    next_any_ = static_cast<uint32_t>((next_any_ + 1) % nodes);
  }
  cluster_slots(node, client, kSlots);
}

void LiveCacheBackend::fetch_seed_slots(uint32_t node, uint16_t client) { cluster_slots(node, client, kSeedSlots); }

void LiveCacheBackend::cluster_slots(uint32_t node, uint16_t client, Kind kind) {
  const Entry e{0, kind, client, clock_.now() + timeout_};
  // On the instance's first connection to the node, as a client's topology refresh takes any of its connections.
  const uint32_t conn = node < opt_.nodes.size() ? connection(node, client, 0) : UINT32_MAX;
  if (conn == UINT32_MAX || !ensure_open(conn)) {
    deferred_.push_back({e, CacheReply{ReplyKind::Connection, 0, 0}});
    return;
  }
  conns_[conn].c->out().append("*2\r\n$7\r\nCLUSTER\r\n$5\r\nSLOTS\r\n");
  conns_[conn].q.push_back(e);
}

void LiveCacheBackend::finish(const Entry& e, const CacheReply& r) {
  if (e.kind == kSkip || e.kind == kAuth || e.kind == kScriptLoad) return;
  if (e.kind == kSeedSlots) {  // the seed did not answer: the client logic asks the next one
    client_->on_slots(e.client, {});
    return;
  }
  if (e.kind == kSlots) {
    // A failed refresh keeps the last good map, which also ends the client's "refresh in flight" state.
    client_->on_slots(e.client, known_owners_);
    return;
  }
  client_->on_cache_reply(e.tag, r);
}

void LiveCacheBackend::deliver(const Entry& e, const Reply& r, uint32_t node) {
  if (e.kind == kSkip) return;  // ASKING's +OK
  if (e.kind == kScriptLoad) {  // the script's SHA1, or the EVALSHA behind it will meet NOSCRIPT
    if (r.type() != Reply::Type::String || r.str() != kScriptSha1)
      guard_.reply(true, "SCRIPT LOAD answered " + std::string(r.str()) + ", not " + std::string(kScriptSha1),
                   opt_.nodes[node]);
    return;
  }
  if (e.kind == kAuth) {
    if (r.is_error()) guard_.auth_refused(r.str(), opt_.nodes[node]);
    return;
  }
  if (e.kind == kSlots || e.kind == kSeedSlots) {
    SlotMap map;
    if (r.type() == Reply::Type::Array && map.load_cluster_slots(r, opt_.nodes[node]) &&
        (e.kind == kSlots || map.covered_slots() > 0)) {
      std::vector<uint16_t> owners = known_owners_;
      owners.resize(16384, 0);
      for (int s = 0; s < 16384; ++s)
        if (auto ep = map.owner(s))
          if (uint32_t i = index_of(*ep); i != UINT32_MAX) owners[static_cast<size_t>(s)] = static_cast<uint16_t>(i);
      known_owners_ = owners;
      client_->on_slots(e.client, owners);
    } else {
      client_->on_slots(e.client, e.kind == kSeedSlots ? std::vector<uint16_t>{} : known_owners_);
    }
    return;
  }
  CacheReply out;
  switch (r.type()) {
    case Reply::Type::String: {
      out.kind = e.kind == kGet ? ReplyKind::Value : ReplyKind::Ok;
      const std::string_view v = r.str();
      out.value_bytes = static_cast<uint32_t>(v.size());
      if (e.kind == kGet && v.size() > 3 && v.compare(0, 3, "cl:") == 0) {  // our header: aux and expiry
        unsigned aux = 0, version = 0;
        long long expire_at = -1;
        if (parse_value_header(v, aux, expire_at, version)) {
          out.aux = static_cast<uint16_t>(aux);
          out.expire_at_ms = expire_at;
          out.version = version;
        }
      }
      break;
    }
    case Reply::Type::Array: {
      if (e.kind == kHGetAll) {  // [name, value, ...]; [] when the key does not exist
        out.kind = r.size() ? ReplyKind::Value : ReplyKind::Nil;
        uint64_t bytes = 0;
        for (size_t i = 1; i < r.size(); i += 2) bytes += r.element(i).str().size();
        out.value_bytes = static_cast<uint32_t>(std::min<uint64_t>(bytes, UINT32_MAX));
        if (r.size() >= 2) {
          const std::string_view v = r.element(1).str();
          unsigned aux = 0, version = 0;
          long long expire_at = -1;
          if (v.size() > 3 && v.compare(0, 3, "cl:") == 0 && parse_value_header(v, aux, expire_at, version)) {
            out.aux = static_cast<uint16_t>(aux);
            out.expire_at_ms = expire_at;
            out.version = version;
          }
        }
        break;
      }
      if (e.kind == kWalk) {  // KEYS: the keys; SCAN: [cursor, keys]
        out.kind = ReplyKind::Value;
        const size_t n = r.size() == 2 && r.element(1).type() == Reply::Type::Array ? r.element(1).size() : r.size();
        out.value_bytes = static_cast<uint32_t>(n);
        break;
      }
      // MGET: a hit when every key was there
      uint16_t found = 0;
      uint64_t mask = 0;
      for (size_t i = 0; i < r.size(); ++i)
        if (r.element(i).type() == Reply::Type::String) {
          ++found;
          if (i < 64) mask |= uint64_t{1} << i;
        }
      out.found = static_cast<uint8_t>(found);  // an MGET of at most 255 keys (CacheCommand::key_count)
      out.found_mask = mask;
      out.kind = found == r.size() ? ReplyKind::Value : found ? ReplyKind::Ok : ReplyKind::Nil;
      break;
    }
    case Reply::Type::Nil:
      out.kind = ReplyKind::Nil;
      break;
    case Reply::Type::Error: {
      // One classification of error replies (live/client/redirect.hpp), mapped onto the simulator's kinds.
      const ClusterError ce = classify_error(r.str(), opt_.nodes[node]);
      switch (ce.kind) {
        case ErrorKind::Moved:
        case ErrorKind::Ask: {
          const uint32_t to = index_of(ce.target);
          // A node outside the lab (cannot happen with our own servers): a connection failure to the client.
          if (to == UINT32_MAX)
            out.kind = ReplyKind::Connection;
          else
            out = CacheReply{ce.kind == ErrorKind::Moved ? ReplyKind::Moved : ReplyKind::Ask, 0, to};
          break;
        }
        case ErrorKind::TryAgain:
          out.kind = ReplyKind::TryAgain;
          break;
        case ErrorKind::ClusterDown:
          out.kind = ReplyKind::ClusterDown;
          break;
        case ErrorKind::Oom:
          out.kind = ReplyKind::Oom;
          break;
        case ErrorKind::CrossSlot:
          out.kind = ReplyKind::CrossSlot;
          break;  // docs/redis-reference.md §2.2 step 1
        case ErrorKind::NoReplicas:
          out.kind = ReplyKind::NoReplicas;
          break;  // ref. §0, §6.1
        case ErrorKind::Unavailable:
          out.kind = ReplyKind::Connection;
          break;               // -LOADING: the node cannot serve
        case ErrorKind::Auth:  // the run cannot go on: every command will meet it (fatal() stops the driver)
          guard_.auth_refused(r.str(), opt_.nodes[node]);
          out.kind = ReplyKind::Error;
          break;
        case ErrorKind::Other:
          out.kind = ReplyKind::Error;
          break;  // -WRONGTYPE, -ERR: the command failed
      }
      guard_.reply(out.kind == ReplyKind::Error, r.str(), opt_.nodes[node]);
      break;
    }
    default:
      out.kind = ReplyKind::Ok;
      break;  // +OK, :n
  }
  if (out.kind != ReplyKind::Error) guard_.reply(false, {}, opt_.nodes[node]);
  client_->on_cache_reply(e.tag, out);
}

void LiveCacheBackend::fail_conn(uint32_t node) {
  Conn& c = conns_[node];
  c.c->close();
  c.open_ok = false;
  c.retry_at = clock_.now() + opt_.reconnect_backoff;
  std::deque<Entry> q;
  q.swap(c.q);
  const size_t skip = c.timed_out;
  c.timed_out = 0;
  // Callbacks may send new commands (a read falls back to the origin, a refresh goes elsewhere): q is ours now.
  for (size_t i = skip; i < q.size(); ++i) finish(q[i], CacheReply{ReplyKind::Connection, 0, 0});
}

void LiveCacheBackend::expire(Time now) {
  for (auto& c : conns_) {
    // Deadlines grow along the queue (one timeout for all), so the expired ones are a prefix.
    while (c.timed_out < c.q.size() && c.q[c.timed_out].deadline <= now) {
      const Entry e = c.q[c.timed_out++];
      finish(e, CacheReply{ReplyKind::Timeout, 0, 0});
    }
  }
}

void LiveCacheBackend::pump(Time max_wait) {
  // Failures decided inside send() are answered here, never re-entrantly from inside ClientLogic.
  while (!deferred_.empty()) {
    std::vector<std::pair<Entry, CacheReply>> d;
    d.swap(deferred_);
    for (auto& [e, r] : d) finish(e, r);
  }
  fds_.clear();
  fd_conn_.clear();
  for (uint32_t i = 0; i < conns_.size(); ++i) {
    Conn& c = conns_[i];
    if (!c.c->is_open()) continue;
    if (!c.c->connecting() && c.c->wants_write()) {
      std::string err;
      if (!c.c->flush(err)) {
        fail_conn(i);
        continue;
      }
    }
    short ev = POLLIN;
    if (c.c->connecting() || c.c->wants_write()) ev |= POLLOUT;
    fds_.push_back(pollfd{c.c->fd(), ev, 0});
    fd_conn_.push_back(i);
  }
  pollfd* fds = fds_.data();
  const uint32_t* idx = fd_conn_.data();
  const nfds_t n = fds_.size();
  Time now = clock_.now();
  Time wait = max_wait;
  for (const auto& c : conns_)
    if (c.timed_out < c.q.size()) wait = std::min(wait, c.q[c.timed_out].deadline - now);
  if (wait < Time::ns(0)) wait = Time::ns(0);
  const timespec ts{static_cast<time_t>(wait.nanos() / 1'000'000'000), static_cast<long>(wait.nanos() % 1'000'000'000)};
  const int rc = ::ppoll(fds, n, &ts, nullptr);
  if (on_wake_) on_wake_();
  if (rc > 0) {
    for (nfds_t k = 0; k < n; ++k) {
      if (!fds[k].revents) continue;
      const uint32_t i = idx[k];
      Conn& c = conns_[i];
      if (!c.c->is_open()) continue;
      std::string err;
      if (c.c->connecting()) {
        if (!c.c->finish_connect(err)) {
          fail_conn(i);
          continue;
        }
        c.open_ok = true;
      }
      if ((fds[k].revents & POLLOUT) && c.c->wants_write() && !c.c->flush(err)) {
        fail_conn(i);
        continue;
      }
      if (fds[k].revents & (POLLIN | POLLHUP | POLLERR)) {
        replies_.clear();
        const bool ok = c.c->read_replies(replies_, err);
        for (const Reply& r : replies_) {
          if (c.q.empty()) break;
          const Entry e = c.q.front();
          c.q.pop_front();
          if (c.timed_out > 0) {  // already answered as Timeout
            --c.timed_out;
            continue;
          }
          deliver(e, r, node_of(i));
        }
        if (!ok) fail_conn(i);
      }
    }
  }
  expire(clock_.now());
}

}  // namespace cachelab::live
