#include "live/memgrid/keys_cost.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <sstream>
#include <stdexcept>
#include <tuple>

#include "live/client/control_connection.hpp"
#include "live/client/info.hpp"
#include "live/lab/lab.hpp"

namespace cachelab::live {

namespace {

// A blocking connection with a long timeout: KEYS over a million keys and FLUSHALL take a while.
constexpr int kSlowCommandTimeoutMs = 120'000;

// cmdstat_<name>:calls=N,usec=U,usec_per_call=X,... from INFO commandstats.
std::pair<uint64_t, double> command_stats(ControlConnection& c, const std::string& name) {
  const std::string info = reply_text(no_error(c.command({"INFO", "commandstats"})));
  const std::string tag = "cmdstat_" + name + ":calls=";
  const size_t at = info.find(tag);
  if (at == std::string::npos) throw std::runtime_error("INFO commandstats has no " + name);
  unsigned long long calls = 0;
  double usec = 0;
  if (std::sscanf(info.c_str() + at + tag.size(), "%llu,usec=%lf", &calls, &usec) != 2)
    throw std::runtime_error("cannot read " + tag);
  return {calls, usec};
}

// The server's CPU time so far, user + system (INFO cpu), in microseconds. Unlike commandstats' usec it counts the
// reply's write to the socket (after the command, in the event loop) and not the time the server waits for a CPU on
// a shared machine: a first measurement by commandstats under load gave 87, 563 and 1,278 ns per key at 10k, 100k
// and 1M keys, and CPU time on the same machine a minute apart about half of that above 10k.
double keys_cost_cpu_us(ControlConnection& c) {
  return server_cpu_us(parse_info_fields(reply_text(no_error(c.command({"INFO", "cpu"})))));
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

}  // namespace

std::vector<KeysCostRow> keys_cost_run(const std::vector<uint64_t>& sizes, int runs, uint64_t scan_count,
                                       const KeysCostShape& shape) {
  LabConfig config;
  config.cluster = false;
  config.masters = 1;
  config.replicas_per_master = 0;
  config.store.maxmemory_bytes = 0;  // nothing evicted: every key stays
  Lab lab(config);
  lab.start();
  const LabNode& node = lab.node("standalone");
  std::vector<KeysCostRow> rows;
  try {
    ControlConnection c(node.endpoint, kSlowCommandTimeoutMs, lab.password());
    for (const uint64_t keys : sizes) {
      no_error(c.command({"FLUSHALL", "SYNC"}));
      // Keys name_prefix + "key:00000001" with 16-byte values, pipelined in batches of 1000.
      char digits[32];
      const std::string value(16, 'v');
      for (uint64_t i = 0; i < keys;) {
        const uint64_t batch = std::min<uint64_t>(1000, keys - i);
        for (uint64_t b = 0; b < batch; ++b, ++i) {
          std::snprintf(digits, sizeof digits, "key:%08llu", static_cast<unsigned long long>(i));
          const std::string name = shape.name_prefix + digits;
          if (shape.ttl)
            c.append({"SET", name, value, "EX", "3600"});
          else
            c.append({"SET", name, value});
        }
        for (uint64_t b = 0; b < batch; ++b) no_error(c.read());
      }
      if (std::stoull(reply_text(no_error(c.command({"DBSIZE"})))) != keys)
        throw std::runtime_error("DBSIZE differs from the keys set");
      // KEYS * (or KEYS <name_prefix>*): `runs` calls, each walking every key.
      const std::string pattern = shape.match ? shape.name_prefix + "*" : "*";
      no_error(c.command({"CONFIG", "RESETSTAT"}));
      std::vector<double> wall;
      double cpu0 = keys_cost_cpu_us(c);
      for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        const Reply reply = no_error(c.command({"KEYS", pattern}));
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        const size_t n = reply.size();
        if (n != keys) throw std::runtime_error("KEYS " + pattern + " answered a different number of keys");
      }
      double cpu = keys_cost_cpu_us(c) - cpu0;
      auto [calls, usec] = command_stats(c, "keys");
      const uint32_t name_bytes = static_cast<uint32_t>(shape.name_prefix.size() + 12);
      rows.push_back({"keys", name_bytes, shape.match, shape.ttl, keys, 0, calls, usec / static_cast<double>(calls),
                      usec * 1000.0 / static_cast<double>(calls) / static_cast<double>(keys), median(wall),
                      cpu / static_cast<double>(calls),
                      cpu * 1000.0 / static_cast<double>(calls) / static_cast<double>(keys)});
      // SCAN 0 ... COUNT c until the cursor is back at 0: every key once, about keys / c calls.
      no_error(c.command({"CONFIG", "RESETSTAT"}));
      wall.clear();
      cpu0 = keys_cost_cpu_us(c);
      for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        std::string cursor = "0";
        do {
          const Reply reply =
              shape.match ? no_error(c.command({"SCAN", cursor, "MATCH", pattern, "COUNT", std::to_string(scan_count)}))
                          : no_error(c.command({"SCAN", cursor, "COUNT", std::to_string(scan_count)}));
          cursor = reply_text(reply.element(0));
        } while (cursor != "0");
        wall.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
      }
      cpu = keys_cost_cpu_us(c) - cpu0;
      std::tie(calls, usec) = command_stats(c, "scan");
      rows.push_back(
          {"scan", name_bytes, shape.match, shape.ttl, keys, scan_count, calls, usec / static_cast<double>(calls),
           usec * 1000.0 / static_cast<double>(runs) / static_cast<double>(keys), median(wall),
           cpu / static_cast<double>(calls), cpu * 1000.0 / static_cast<double>(runs) / static_cast<double>(keys)});
      std::fprintf(stderr,
                   "%9llu keys: KEYS %.1f us CPU/call (%.1f ns/key), SCAN COUNT %llu %.1f us CPU/call (%.1f ns/key)\n",
                   static_cast<unsigned long long>(keys), rows[rows.size() - 2].cpu_us_per_call,
                   rows[rows.size() - 2].cpu_ns_per_key, static_cast<unsigned long long>(scan_count),
                   rows.back().cpu_us_per_call, rows.back().cpu_ns_per_key);
    }
  } catch (...) {
    lab.teardown();
    throw;
  }
  lab.teardown();
  return rows;
}

KeysCostFit keys_cost_fit(const std::vector<KeysCostRow>& rows, const std::string& command) {
  // Least squares of the server's CPU time per call on keys.
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (const auto& r : rows)
    if (r.command == command) {
      const double x = static_cast<double>(r.keys), y = r.cpu_us_per_call;
      n += 1, sx += x, sy += y, sxx += x * x, sxy += x * y;
    }
  KeysCostFit f;
  if (n < 2) return f;
  const double slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
  const double icept = (sy - slope * sx) / n;
  double ss_res = 0, ss_tot = 0;
  for (const auto& r : rows)
    if (r.command == command) {
      const double x = static_cast<double>(r.keys), y = r.cpu_us_per_call;
      ss_res += (y - icept - slope * x) * (y - icept - slope * x);
      ss_tot += (y - sy / n) * (y - sy / n);
    }
  f.base_us = icept;
  f.ns_per_key = slope * 1000.0;
  f.r2 = ss_tot > 0 ? 1 - ss_res / ss_tot : 1;
  return f;
}

std::string keys_cost_csv(const std::vector<KeysCostRow>& rows) {
  std::ostringstream out;
  out << "command,name_bytes,match,ttl,keys,count,calls,usec_per_call,ns_per_key,wall_ms_median,cpu_us_per_call,"
         "cpu_ns_per_key\n";
  char line[256];
  for (const auto& r : rows) {
    std::snprintf(line, sizeof line, "%s,%u,%d,%d,%llu,%llu,%llu,%.3f,%.3f,%.3f,%.3f,%.3f\n", r.command.c_str(),
                  r.name_bytes, r.match ? 1 : 0, r.ttl ? 1 : 0, static_cast<unsigned long long>(r.keys),
                  static_cast<unsigned long long>(r.count), static_cast<unsigned long long>(r.calls), r.usec_per_call,
                  r.ns_per_key, r.wall_ms_median, r.cpu_us_per_call, r.cpu_ns_per_key);
    out << line;
  }
  return out.str();
}

}  // namespace cachelab::live
