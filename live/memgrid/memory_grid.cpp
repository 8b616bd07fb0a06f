#include "live/memgrid/memory_grid.hpp"

#include <algorithm>
#include <cstdio>
#include <chrono>
#include <cstdlib>
#include <map>
#include <memory>
#include <thread>
#include <sstream>
#include <stdexcept>

#include "cachelab/cache/memory_model.hpp"
#include "cachelab/cache/store.hpp"
#include "cachelab/core/rng.hpp"
#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"
#include "live/client/slot_hash.hpp"
#include "live/lab/lab.hpp"

namespace cachelab::live {
namespace {

std::string size_text(uint64_t bytes) {
  if (bytes % (1 << 20) == 0) return std::to_string(bytes >> 20) + "mb";
  if (bytes % 1024 == 0) return std::to_string(bytes >> 10) + "kb";
  return std::to_string(bytes);
}

// Key number i as a key of exactly `len` bytes: "k" and i zero-padded ("k000000042").
std::string key_name(uint64_t i, uint32_t len) {
  std::string digits = std::to_string(i);
  if (digits.size() + 1 > len) throw std::invalid_argument("key length too short for the fill");
  return "k" + std::string(len - 1 - digits.size(), '0') + digits;
}

std::string value_text(const MemGridPoint& p) {
  // An integer of value_len digits that is not a shared integer (7 for one digit: with maxmemory and an LRU policy
  // Redis does not share integers anyway, object.c tryObjectEncoding).
  if (p.integer) return std::string(1, '7') + std::string(p.value_len - 1, '1');
  return std::string(p.value_len, 'x');
}

constexpr int64_t kTtlSeconds = 100000;  // far beyond any fill: nothing expires during a point

// How many keys to send: 1.5x what the model says fits, at least 2,000 more.
uint64_t fill_count(const MemGridPoint& p, bool cluster_mode) {
  const uint64_t per_key = memory::per_key_bytes(p.key_len, p.value_len, p.ttl, cluster_mode) + 16;
  const uint64_t base = memory::startup_bytes(cluster_mode);
  const uint64_t est = p.maxmemory > base ? (p.maxmemory - base) / per_key : 0;
  return std::max(est * 3 / 2, est + 2000);
}

// The tail of SETs sent before each count in cluster mode: enough keys to refill 24 KB (more than four cluster-bus
// send buffers of 5,120 B evicted for), at least 4.
uint64_t memgrid_tail_count(const MemGridPoint& p, bool cluster_mode) {
  const uint64_t per_key = memory::per_key_bytes(p.key_len, p.value_len, p.ttl, cluster_mode, p.integer);
  return std::max<uint64_t>(4, (24576 + per_key - 1) / per_key);
}

// The fill's connection: a long timeout, as a FLUSHALL SYNC of millions of keys on a busy machine takes seconds.
constexpr int kFillTimeoutMs = 120'000;

// A command whose error reply is a failure, its reply as text.
std::string text(ControlConnection& c, const std::vector<std::string>& args) {
  return reply_text(no_error(c.command(args)));
}

// The bytes held by this node's cluster-bus send buffers, from a CLUSTER LINKS reply (7.0: one map per link,
// "send-buffer-allocated" is sdsalloc(link->sndbuf)), counting only buffers that hold or held a message: an empty
// link's sds has a few bytes, a message is >= 2,256 B (the clusterMsg header). docs/redis-reference.md §7.8.1.
uint64_t memgrid_send_buffer_bytes(const Reply& links) {
  uint64_t held = 0;
  for (size_t i = 0; i < links.size(); ++i) {
    const Reply link = links.element(i);
    for (size_t j = 0; j + 1 < link.size(); j += 2)
      if (link.element(j).str() == "send-buffer-allocated") {
        const Reply v = link.element(j + 1);
        const uint64_t bytes = v.type() == Reply::Type::Integer ? static_cast<uint64_t>(v.integer()) : 0;
        if (bytes >= 256) held += bytes;
      }
  }
  return held;
}

// The peers this node has a bus link to in each direction, from a CLUSTER LINKS reply (7.0: one map per link,
// "direction" "to" or "from"). An inbound link is listed only once it is tied to its node, which happens when a packet
// from a known sender arrives on it (cluster.c getNodeFromLinkAndMsg): until then it holds the 5,120-B send buffer of
// the PONG it answered a MEET with, outside CLUSTER LINKS and clusterCron's resize (docs/redis-reference.md §7.8.1).
struct MemGridLinks {
  int to = 0, from = 0;
};
MemGridLinks memgrid_links(const Reply& links) {
  MemGridLinks n;
  for (size_t i = 0; i < links.size(); ++i) {
    const Reply link = links.element(i);
    for (size_t j = 0; j + 1 < link.size(); j += 2)
      if (link.element(j).str() == "direction") {
        const std::string_view dir = link.element(j + 1).str();
        n.to += dir == "to";
        n.from += dir == "from";
      }
  }
  return n;
}

// The reply buffer's size of the connection a CLIENT INFO reply describes (7.0: "rbs=", c->buf_usable_size).
uint64_t memgrid_reply_buffer_bytes(const std::string& client_info) {
  const size_t at = client_info.find(" rbs=");
  if (at == std::string::npos) throw std::runtime_error("memgrid: CLIENT INFO has no rbs field: " + client_info);
  return std::stoull(client_info.substr(at + 5));
}

// CLUSTER INFO's cluster_stats_messages_sent: every bus message this node has sent (each one held in a send buffer
// until the next clusterCron, §7.8.1).
uint64_t memgrid_messages_sent(const std::string& cluster_info) {
  const std::string field = "cluster_stats_messages_sent:";
  const size_t at = cluster_info.find(field);
  if (at == std::string::npos) throw std::runtime_error("memgrid: CLUSTER INFO has no " + field);
  return std::stoull(cluster_info.substr(at + field.size()));
}

// Finishes the incremental rehash of every command container's subcommand dict (docs/redis-reference.md §7.8.2):
// populateCommandTable leaves some of them rehashing with their old bucket array still allocated, how many depends
// on the hash seed (random per process), and only a lookup of one of the container's subcommands moves it on. One
// COMMAND INFO naming every subcommand does one rehash step in each (dictFind); 32 rounds finish the biggest (an old
// array of 16 buckets needs at most 16 steps). Returns the bytes this freed (used_memory before minus after).
int64_t memgrid_finish_command_rehash(ControlConnection& c) {
  const Reply list = no_error(c.command({"COMMAND", "LIST"}));
  std::vector<std::string> args{"COMMAND", "INFO"};
  for (size_t i = 0; i < list.size(); ++i)
    if (const std::string name(list.element(i).str()); name.find('|') != std::string::npos) args.push_back(name);
  // COMMAND INFO's own latency histogram exists before `before` is read.
  no_error(c.command({"COMMAND", "INFO", "get"}));
  const auto used = [&] { return std::stoll(parse_info_fields(text(c, {"INFO", "memory"}))["used_memory"]); };
  const int64_t before = used();
  for (int round = 0; round < 32; ++round) no_error(c.command(args));
  return before - used();
}

}  // namespace

std::string MemGridPoint::label() const {
  return "v" + std::to_string(value_len) + (integer ? "int" : "") + " k" + std::to_string(key_len) +
         (ttl ? " ttl" : "") + " " + size_text(maxmemory);
}

double MemGridResult::error_pct() const {
  return live_kept
             ? (static_cast<double>(sim_kept) - static_cast<double>(live_kept)) * 100.0 / static_cast<double>(live_kept)
             : 0.0;
}

namespace {
// The grid's value shapes: a 1-byte integer (INT-encoded), then strings around Redis's encodings' limits.
struct ValueShape {
  uint32_t bytes;
  bool integer;
};
constexpr ValueShape kValueShapes[] = {{1, true},    {16, false},   {44, false},   {45, false},
                                       {100, false}, {1024, false}, {16384, false}};
}  // namespace

std::vector<MemGridPoint> memgrid_full() {
  std::vector<MemGridPoint> out;
  for (uint64_t mm : {2ull << 20, 16ull << 20, 64ull << 20, 256ull << 20})
    for (const ValueShape& v : kValueShapes)
      for (uint32_t k : {10u, 40u})
        for (bool ttl : {false, true}) out.push_back({v.bytes, v.integer, k, ttl, mm});
  return out;
}

std::vector<MemGridPoint> memgrid_ci() {
  std::vector<MemGridPoint> out;
  for (uint64_t mm : {2ull << 20, 16ull << 20})
    for (const ValueShape& v : kValueShapes)
      for (bool ttl : {false, true}) out.push_back({v.bytes, v.integer, ttl ? 40u : 10u, ttl, mm});
  out.push_back({100, false, 40, true, 64ull << 20});
  return out;
}

namespace {

// A whole decimal number in [lo, hi] from `digits` (no sign, no spaces, no trailing text), or a message naming what
// was expected.
uint64_t grid_number(const std::string& digits, uint64_t lo, uint64_t hi, const std::string& what) {
  const std::string expected = what + ": expected " + std::to_string(lo) + " to " + std::to_string(hi);
  if (digits.empty() || digits.size() > 19 || digits.find_first_not_of("0123456789") != std::string::npos)
    throw std::invalid_argument(expected + ", found \"" + digits + "\"");
  const uint64_t n = std::stoull(digits);
  if (n < lo || n > hi) throw std::invalid_argument(expected + ", found " + digits);
  return n;
}

}  // namespace

std::vector<MemGridPoint> memgrid_parse(const std::string& spec) {
  // "v16,k10,ttl,2mb;..." : one point per ';', each with exactly one value part (vN or intN), one key part (kN), one
  // maxmemory part (Nmb) and ttl at most once, in any order.
  std::vector<MemGridPoint> out;
  if (spec.empty())
    throw std::invalid_argument("expected full, ci or points such as \"v16,k10,ttl,2mb\", found nothing");
  size_t start = 0;
  for (int index = 1;; ++index) {
    const size_t end = std::min(spec.find(';', start), spec.size());
    const std::string one = spec.substr(start, end - start);
    const std::string where = "point " + std::to_string(index) + " (\"" + one + "\")";
    try {
      if (one.empty()) throw std::invalid_argument("empty (two ';' in a row, or one at an end)");
      MemGridPoint p;
      bool value = false, key = false, size = false;
      size_t at = 0;
      for (;;) {
        const size_t comma = std::min(one.find(',', at), one.size());
        const std::string t = one.substr(at, comma - at);
        const auto once = [&](bool& seen, const char* what) {
          if (seen) throw std::invalid_argument(std::string("a second ") + what + " part \"" + t + "\"");
          seen = true;
        };
        if (t == "ttl") {
          once(p.ttl, "ttl");
        } else if (t.rfind("int", 0) == 0) {
          once(value, "value");
          p.integer = true;
          // An integer of that many digits fits a long long (Redis's INT encoding, object.c tryObjectEncoding).
          p.value_len = static_cast<uint32_t>(grid_number(t.substr(3), 1, 18, "integer digits"));
        } else if (!t.empty() && t[0] == 'v') {
          once(value, "value");
          p.value_len = static_cast<uint32_t>(grid_number(t.substr(1), 1, 1 << 20, "value bytes"));
        } else if (!t.empty() && t[0] == 'k') {
          once(key, "key");
          // The fill names keys "k" and a zero-padded number; ten bytes name a billion candidates.
          p.key_len = static_cast<uint32_t>(grid_number(t.substr(1), 10, 1024, "key bytes"));
        } else if (t.size() > 2 && t.substr(t.size() - 2) == "mb") {
          once(size, "maxmemory");
          p.maxmemory = grid_number(t.substr(0, t.size() - 2), 1, 1024, "maxmemory in mb") << 20;
        } else {
          throw std::invalid_argument("expected vN, intN, kN, ttl or Nmb, found \"" + t + "\"");
        }
        if (comma == one.size()) break;
        at = comma + 1;
      }
      if (!value) throw std::invalid_argument("no value part (vN bytes or intN digits)");
      if (!key) throw std::invalid_argument("no key part (kN bytes)");
      if (!size) throw std::invalid_argument("no maxmemory part (Nmb)");
      out.push_back(p);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(where + ": " + e.what());
    }
    if (end == spec.size()) break;
    start = end + 1;
  }
  return out;
}

MemGridResult memgrid_simulate(const MemGridPoint& p, bool cluster_mode, int cluster_peers, int commands,
                               uint64_t filled) {
  StoreConfig cfg;
  cfg.cluster_peers = cluster_peers;
  cfg.latency_histograms = commands;
  cfg.maxmemory_bytes = p.maxmemory;
  cfg.policy = "allkeys-lru";
  cfg.cluster_mode = cluster_mode;
  cfg.client_connections = 1;
  cfg.described_connections = 1;  // memgrid_run reads the fill connection's reply buffer with CLIENT INFO
  Store store(cfg, Rng(1));
  Time now = Time::ms(1000);
  const int64_t expire = p.ttl ? kTtlSeconds * 1000 : Store::kNoExpiry;
  // The arguments in memory at each performEvictions (docs/redis-reference.md §7.8.2): SET key value [EX seconds],
  // the value as sent (an integer's digits are a string until tryObjectEncoding), and the count's DBSIZE.
  const uint32_t ttl_digits = static_cast<uint32_t>(std::to_string(kTtlSeconds).size());
  const uint64_t set_args = p.ttl ? memory::command_args_bytes({3u, p.key_len, p.value_len, 2u, ttl_digits})
                                  : memory::command_args_bytes({3u, p.key_len, p.value_len});
  const uint64_t dbsize_args = memory::command_args_bytes({6u});
  for (uint64_t i = 0; i < filled; ++i) {
    store.make_room(now, set_args);  // performEvictions before every command
    if (p.integer)
      store.set_integer(i, p.key_len, p.value_len, expire, now);
    else
      store.set(i, p.key_len, p.value_len, expire, now);
    now = now + Time::us(5);
  }
  store.make_room(now, dbsize_args);  // DBSIZE's own performEvictions
  MemGridResult r;
  r.point = p;
  r.filled = filled;
  r.sim_kept = store.keys();
  r.sim_used_memory = store.used_memory();
  r.sim_expand_margin = store.closest_expand_margin_bytes();
  return r;
}

std::vector<MemGridResult> memgrid_run(const std::vector<MemGridPoint>& points, bool cluster_mode,
                                       const std::function<void(const MemGridResult&)>& progress) {
  LabConfig config;
  config.cluster = cluster_mode;
  config.masters = cluster_mode ? 3 : 1;
  if (const char* m = std::getenv("CACHELAB_MEMGRID_MASTERS"); m && cluster_mode) config.masters = std::atoi(m);
  config.replicas_per_master = 0;
  config.control.node_timeout_ms = 15000;
  Lab lab(config);
  lab.start();
  const LabNode& node = cluster_mode ? lab.node("master-1") : lab.node("standalone");
  {
    ControlConnection c(node.endpoint, kFillTimeoutMs, lab.password());
    const int64_t freed = memgrid_finish_command_rehash(c);
    if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
      std::fprintf(stderr, "  command tables' rehash freed %lld B\n", static_cast<long long>(freed));
    // The latency histograms of the commands run so far (the lab's set-up, COMMAND LIST and INFO above: 24,688 B
    // each) freed (resetCommandTableStats, docs/redis-reference.md §7.8.1): a point's node holds those of the
    // commands the grid runs, which it counts from INFO commandstats.
    text(c, {"CONFIG", "RESETSTAT"});
    if (cluster_mode) {
      // The bus mesh complete before the first point: a link to and from every other master. A peer pings this node
      // at least every node_timeout / 2 (7.5 s here), so an inbound link still untied at start-up is tied within
      // that; until then its 5,112 B above an empty send buffer are in every point's used_memory: the first 2mb
      // points kept 3 % fewer keys, and the emptied node read 5,112 B less once the link was tied (§7.8.1).
      const int peers = config.masters - 1;
      MemGridLinks links = memgrid_links(no_error(c.command({"CLUSTER", "LINKS"})));
      const MemGridLinks at_start = links;
      int waits = 0;
      for (; links.to < peers || links.from < peers; ++waits) {
        if (waits == kMemGridMeshWaits)
          throw std::runtime_error("memgrid: " + node.name + " has bus links to " + std::to_string(links.to) +
                                   " and from " + std::to_string(links.from) + " of its " + std::to_string(peers) +
                                   " peers after " + std::to_string(kMemGridMeshWaits / 10) + " s");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        links = memgrid_links(no_error(c.command({"CLUSTER", "LINKS"})));
      }
      // The next clusterCron (every 100 ms) shrinks the send buffer of the message that tied the last link.
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
        std::fprintf(stderr, "  bus links at start: to %d, from %d of %d peers; complete after %d waits of 100 ms\n",
                     at_start.to, at_start.from, peers, waits);
    }
  }
  std::vector<bool> ours(kClusterSlots, !cluster_mode);
  for (auto [a, b] : node.slot_ranges)
    for (int s = a; s <= b; ++s) ours[static_cast<size_t>(s)] = true;

  std::vector<MemGridResult> results;
  // What the cluster bus can hold for a moment: one 5,120-B send buffer per link, two links per other node
  // (docs/redis-reference.md §7.8.1).
  const uint64_t bus_transient_bytes = cluster_mode ? 2ull * static_cast<uint64_t>(config.masters - 1) * 5120 : 0;
  for (const MemGridPoint& p : points) {
    const uint64_t filled = fill_count(p, cluster_mode);
    uint64_t sent = 0, live_kept = 0, sim_margin = UINT64_MAX;
    int commands = 0, bus_retries = 0, attempts = 0;
    bool quiet = true;
    std::map<std::string, std::string> empty;
    std::unique_ptr<ControlConnection> fill_conn;
    for (bool retry = true; retry;) {
      ++attempts;
      // Set-up on a connection of its own, closed before the fill (a connection's buffers are in used_memory).
      auto control = std::make_unique<ControlConnection>(node.endpoint, kFillTimeoutMs, lab.password());
      ControlConnection& r = *control;
      text(r, {"CONFIG", "SET", "maxmemory", "0"});
      text(r, {"FLUSHALL", "SYNC"});
      // A FLUSHALL of a big keyspace takes more than slowlog-log-slower-than (10 ms), and each slow log entry (up to
      // slowlog-max-len 128, the command's arguments, the client's name and address) stays in used_memory: ~300 B a
      // point, 16-40 KB after a few dozen points, which the simulator has no reason to model. Start every point clean.
      text(r, {"SLOWLOG", "RESET"});
      // And no entry during the fill: a SET slower than slowlog-log-slower-than (10 ms, a process descheduled on a
      // busy machine) would hold ~230 B for good.
      text(r, {"CONFIG", "SET", "slowlog-log-slower-than", "-1"});
      empty = parse_info_fields(text(r, {"INFO", "memory"}));
      if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
        for (const char* f : {"used_memory", "used_memory_startup", "mem_cluster_links", "mem_clients_normal",
                              "mem_not_counted_for_evict", "used_memory_dataset", "used_memory_overhead",
                              "used_memory_scripts", "mem_replication_backlog", "mem_aof_buffer"})
          std::fprintf(stderr, "  empty %s:%s\n", f, empty[f].c_str());
      if (std::getenv("CACHELAB_MEMGRID_CONN_PROBE")) {  // used_memory of idle connections, against INFO's share
        auto before = parse_info_fields(text(r, {"INFO", "memory"}));
        std::vector<std::unique_ptr<ControlConnection>> extra;
        for (int i = 0; i < 20; ++i)
          extra.push_back(std::make_unique<ControlConnection>(node.endpoint, kFillTimeoutMs, lab.password()));
        std::this_thread::sleep_for(std::chrono::milliseconds(400));
        auto after = parse_info_fields(text(r, {"INFO", "memory"}));
        std::fprintf(stderr, "  20 connections: used_memory +%lld, mem_clients_normal +%lld\n",
                     std::stoll(after["used_memory"]) - std::stoll(before["used_memory"]),
                     std::stoll(after["mem_clients_normal"]) - std::stoll(before["mem_clients_normal"]));
      }
      text(r, {"CONFIG", "SET", "maxmemory-policy", "allkeys-lru"});
      text(r, {"CONFIG", "SET", "maxmemory", std::to_string(p.maxmemory)});
      // The commands the fill and the count run, run once here so that their latency histograms exist before the
      // fill and are in `commands` below (one created at the count would be 24,688 B the fill did not see).
      text(r, {"DBSIZE"});
      text(r, {"CLIENT", "INFO"});
      if (cluster_mode) {
        no_error(r.command({"CLUSTER", "LINKS"}));
        text(r, {"CLUSTER", "INFO"});
      }
      // The distinct commands the node will have run once the fill starts (each holds a latency histogram): those
      // INFO commandstats lists now, and SET.
      commands = 0;
      bool has_set = false;
      {
        std::stringstream stats(text(r, {"INFO", "commandstats"}));
        std::string line;
        while (std::getline(stats, line)) {
          commands += line.rfind("cmdstat_", 0) == 0;
          has_set |= line.rfind("cmdstat_set:", 0) == 0;
        }
      }
      commands += !has_set;
      control.reset();
      // A point is close when the simulated fill let a dict grow with less room under maxmemory than the bus can
      // hold for a moment: real Redis decides that expansion once (dictExpandAllowed; refused, it is asked again at
      // every add, with memory only fuller), so a send buffer held at that SET turns the node's keyspace for good
      // (a v44 k40 ttl 2mb node kept 1,173 keys instead of 1,130 in one CI run: the main dict stayed at 1,024
      // buckets). Such a point's fill must run with no bus message sent; the others' transients heal by the count.
      if (attempts == 1)
        sim_margin = memgrid_simulate(p, cluster_mode, cluster_mode ? config.masters - 1 : 0, commands, filled)
                         .sim_expand_margin;
      const bool close = cluster_mode && sim_margin < bus_transient_bytes;
      // The fill's connection, as a long-lived client's: clientsCron (every 100 ms at hz 10) shrinks a new
      // connection's 16 KB reply buffer to 1 KB once it has seen that the replies are small (networking.c
      // clientsCronResizeOutputBuffer); the simulator's kClientConnectionBytes is such a connection. A fill that
      // started before the first cron reached it would have 15,360 B more: 9% of the keys of a 2mb cluster node, and
      // for good if a dict expansion came then. So the fill waits until CLIENT INFO shows the 1 KB buffer (rbs).
      fill_conn = std::make_unique<ControlConnection>(node.endpoint, kFillTimeoutMs, lab.password());
      ControlConnection& fill = *fill_conn;
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      for (int wait = 0; memgrid_reply_buffer_bytes(text(fill, {"CLIENT", "INFO"})) > 1024; ++wait) {
        if (wait == 50) throw std::runtime_error("memgrid: the fill connection's reply buffer was not shrunk in 5 s");
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      uint64_t messages_before = 0;
      if (close) {  // start with no send buffer held, and count the messages sent from here
        for (int wait = 0; memgrid_send_buffer_bytes(no_error(fill.command({"CLUSTER", "LINKS"}))) > 0; ++wait) {
          if (wait == kMemGridMaxBusRetries) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
        messages_before = memgrid_messages_sent(text(fill, {"CLUSTER", "INFO"}));
      }
      const std::string value = value_text(p);
      // Pipeline up to ~8 KB of commands per round trip, so one read of the query buffer (16 KB) holds a batch.
      const uint64_t cmd_bytes = p.key_len + p.value_len + 40;
      const uint64_t batch = std::max<uint64_t>(1, 8192 / cmd_bytes);
      uint64_t candidate = 0;
      sent = 0;
      const std::string ttl = std::to_string(kTtlSeconds);
      auto send_keys = [&](uint64_t count) {  // `count` SETs of new keys of our slots, `batch` per round trip
        uint64_t pending = 0;
        for (uint64_t n = 0; n < count;) {
          std::string key = key_name(candidate++, p.key_len);
          if (!ours[static_cast<size_t>(key_hash_slot(key))]) continue;
          if (p.ttl)
            fill.append({"SET", key, value, "EX", ttl});
          else
            fill.append({"SET", key, value});
          ++n;
          if (++pending == batch || n == count)
            for (; pending > 0; --pending) no_error(fill.read());
        }
        sent += count;
      };
      send_keys(filled);
      if (close) {
        quiet = memgrid_messages_sent(text(fill, {"CLUSTER", "INFO"})) == messages_before;
        if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
          std::fprintf(stderr, "  close point (margin %llu B): fill %d %s\n",
                       static_cast<unsigned long long>(sim_margin), attempts, quiet ? "quiet" : "sent a bus message");
        if (!quiet && attempts < kMemGridMaxFillAttempts) continue;
      }
      retry = false;
      if (!cluster_mode) {
        live_kept = std::stoull(text(fill, {"DBSIZE"}));
      } else {
        // A cluster node's bus send buffer holds each message it sends (a ~2.4 KB PING/PONG, sdscatlen doubling it to
        // a 5,120-B class) until the next clusterCron, <= 100 ms later, shrinks it (docs/redis-reference.md §7.8.1).
        // Keys evicted for it stay evicted: 5-10 KB fewer, several % of a 2mb node. The count is taken after a tail of
        // SETs that began with no buffer held (CLUSTER LINKS) and ran with no bus message sent: CLUSTER INFO's
        // cluster_stats_messages_sent, which only grows, is the same before the tail and after the count. (Checking
        // only the buffers held at the count is not enough: on a busy machine a tail takes long enough for a buffer
        // to be taken and shrunk within it, leaving its hole unrefilled; a CI run kept 64 of 2,198 keys fewer so.)
        // Otherwise wait 150 ms (past the next cron) and send another tail.
        const uint64_t tail = memgrid_tail_count(p, cluster_mode);
        for (;; ++bus_retries) {
          // The counter first: a message sent between the two reads is then seen by the counter.
          const uint64_t sent_before = memgrid_messages_sent(text(fill, {"CLUSTER", "INFO"}));
          const uint64_t held_before = memgrid_send_buffer_bytes(no_error(fill.command({"CLUSTER", "LINKS"})));
          send_keys(tail);
          live_kept = std::stoull(text(fill, {"DBSIZE"}));
          const uint64_t sent_after = memgrid_messages_sent(text(fill, {"CLUSTER", "INFO"}));
          const bool clean = held_before == 0 && sent_after == sent_before;
          if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
            std::fprintf(stderr, "  tail %d: bus send buffers %llu B before, %llu bus messages sent, dbsize %llu\n",
                         bus_retries, static_cast<unsigned long long>(held_before),
                         static_cast<unsigned long long>(sent_after - sent_before),
                         static_cast<unsigned long long>(live_kept));
          if (clean || bus_retries == kMemGridMaxBusRetries) break;
          std::this_thread::sleep_for(std::chrono::milliseconds(150));
        }
      }
    }
    ControlConnection& fill = *fill_conn;
    MemGridResult res = memgrid_simulate(p, cluster_mode, cluster_mode ? config.masters - 1 : 0, commands, sent);
    res.commands = commands;
    res.live_kept = live_kept;
    res.bus_retries = bus_retries;
    res.fill_attempts = attempts;
    res.fill_quiet = quiet;
    auto info = parse_info_fields(text(fill, {"INFO", "memory"}));
    res.live_used_memory = std::stoull(info["used_memory"]);
    res.live_clients_normal = std::stoull(info["mem_clients_normal"]);
    res.live_empty_used_memory = std::stoull(empty["used_memory"]);
    if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
      for (const char* f : {"used_memory", "mem_cluster_links", "mem_clients_normal", "used_memory_dataset",
                            "used_memory_overhead", "mem_not_counted_for_evict"})
        std::fprintf(stderr, "  full %s:%s\n", f, info[f].c_str());
    if (std::getenv("CACHELAB_MEMGRID_DEBUG"))
      std::fprintf(stderr, "%s\n", reply_text(fill.command({"INFO", "commandstats"})).c_str());
    results.push_back(res);
    if (progress) progress(res);
  }
  lab.teardown();
  return results;
}

std::string memgrid_csv(const std::vector<MemGridResult>& results, bool cluster_mode) {
  std::ostringstream out;
  out << "mode,value_len,integer,key_len,ttl,maxmemory,filled,live_kept,sim_kept,error_pct,live_used_memory,"
         "sim_used_memory,live_mem_clients_normal,live_empty_used_memory,bus_retries,sim_expand_margin,fill_attempts,"
         "fill_quiet\n";
  for (const auto& r : results) {
    char err[32];
    std::snprintf(err, sizeof err, "%.3f", r.error_pct());
    out << (cluster_mode ? "cluster" : "standalone") << ',' << r.point.value_len << ',' << r.point.integer << ','
        << r.point.key_len << ',' << r.point.ttl << ',' << r.point.maxmemory << ',' << r.filled << ',' << r.live_kept
        << ',' << r.sim_kept << ',' << err << ',' << r.live_used_memory << ',' << r.sim_used_memory << ','
        << r.live_clients_normal << ',' << r.live_empty_used_memory << ',' << r.bus_retries << ','
        << (r.sim_expand_margin == UINT64_MAX ? std::string() : std::to_string(r.sim_expand_margin)) << ','
        << r.fill_attempts << ',' << (r.fill_quiet ? 1 : 0) << '\n';
  }
  return out.str();
}

}  // namespace cachelab::live
