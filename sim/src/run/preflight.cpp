#include "cachelab/run/preflight.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "cachelab/core/dist.hpp"
#include "cachelab/workload/arrivals.hpp"

namespace cachelab {

namespace {

// Rough per-item costs of the simulator's own structures (not Redis's used_memory): a stored key (dict entry,
// key number, expiry, policy state), an L1 entry, a buffered write-behind write, a session, a series cell.
constexpr double kBytesPerStoredKey = 96;
constexpr double kBytesPerL1Entry = 64;
constexpr double kBytesPerBufferedWrite = 48;
constexpr double kBytesPerSession = 96;
constexpr double kBytesPerSeriesCell = 16;
constexpr double kBytesPerPeerView = 96;  // control plane: n x n peer views

std::string human(double bytes) {
  const char* units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
  int u = 0;
  while (bytes >= 1000 && u < 5) bytes /= 1000, ++u;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g %s", bytes, units[u]);
  return buf;
}

std::string num(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.3g", v);
  return buf;
}

}  // namespace

uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES), page = sysconf(_SC_PAGESIZE);
  return pages > 0 && page > 0 ? static_cast<uint64_t>(pages) * static_cast<uint64_t>(page) : 0;
}

// A closed-loop stream's sessions: its client instances (every instance for the main workload) x sessions_per_instance.
static double preflight_closed_sessions(const Scenario& s, const WorkloadConfig& w) {
  const double instances = w.client_instances.empty() ? static_cast<double>(s.clients.instances)
                                                      : static_cast<double>(w.client_instances.size());
  return instances * w.section.at("arrival").at("sessions_per_instance").get<double>();
}

// Its requests over `span_s`: each session one per think time + round trip.
static double preflight_closed_requests(const Scenario& s, const WorkloadConfig& w, double span_s) {
  const double think_s = make_dist(w.section.at("arrival").at("think_time_ms"))->mean() / 1e3;
  const double rtt_s = std::max(1e-6, make_dist(s.resolved.at("network").at("rtt_us"))->mean() / 1e6);
  return preflight_closed_sessions(s, w) * span_s / (think_s + rtt_s);
}

RunEstimate estimate_run(const Scenario& s) {
  RunEstimate e;
  const auto& w = s.workload.section;
  const double instances = s.clients.instances;
  if (!w.at("trace").is_null() && w.at("trace").at("timing") == "trace") {
    e.requests = 0;  // as many as the trace holds: bounded by the trace file's size limit
  } else if (s.workload.closed_loop) {
    e.requests = preflight_closed_requests(s, s.workload, s.duration_s);
  } else {
    e.requests = RateShape::modulated(s.workload, s.duration_s).integral(0, s.duration_s);
  }
  // Mixed streams: each one's arrivals (or its sessions' requests) from its start on; a scan's at most its keys.
  for (const auto& st : s.streams) {
    const double span = std::max(0.0, s.duration_s - st.start_s);
    double n =
        st.closed_loop ? preflight_closed_requests(s, st, span) : RateShape::modulated(st, span).integral(0, span);
    if (st.popularity == "scan") n = std::min(n, static_cast<double>(st.keys));
    e.requests += n;
  }

  double slow = 1;
  for (const auto& f : s.resolved.at("faults"))
    if (f.at("action") == "slow_node") slow = std::max(slow, f.at("factor").get<double>());
  const double requests = std::max(e.requests, 1.0);
  e.node_work_ns = requests * make_dist(s.resolved.at("cluster").at("service_us"))->mean() * 1e3 * slow;
  e.origin_work_ns = requests * make_dist(s.resolved.at("origin").at("service_ms"))->mean() * 1e6 /
                     std::max(1.0, static_cast<double>(s.origin.servers));

  std::vector<std::pair<double, std::string>> parts;
  const double copies = 1.0 + s.cluster.replicas_per_master;
  double keys = std::min(static_cast<double>(s.key_space()), std::max(e.requests, 0.0) + s.clients.warm_top_keys);
  if (e.requests == 0) keys = static_cast<double>(s.key_space());
  parts.push_back({keys * copies * kBytesPerStoredKey,
                   "keyspace " + num(keys) + " keys x " + num(copies) + " copies x " + num(kBytesPerStoredKey) + " B"});
  if (s.clients.l1_keys > 0)
    parts.push_back({instances * s.clients.l1_keys * kBytesPerL1Entry, "L1 caches " + num(instances) + " instances x " +
                                                                           num(s.clients.l1_keys) + " entries x " +
                                                                           num(kBytesPerL1Entry) + " B"});
  if (s.clients.pattern == Pattern::WriteBehind)
    parts.push_back({instances * s.clients.wb_buffer_limit * kBytesPerBufferedWrite,
                     "write-behind buffers " + num(instances) + " instances x " + num(s.clients.wb_buffer_limit) +
                         " writes x " + num(kBytesPerBufferedWrite) + " B"});
  double sessions = s.workload.closed_loop ? preflight_closed_sessions(s, s.workload) : 0;
  for (const auto& st : s.streams) sessions += st.closed_loop ? preflight_closed_sessions(s, st) : 0;
  if (sessions > 0)
    parts.push_back({sessions * kBytesPerSession, "sessions " + num(sessions) + " x " + num(kBytesPerSession) + " B"});
  const double nodes = s.cluster.masters * copies;
  if (s.cluster.replicas_per_master > 0)
    parts.push_back({nodes * nodes * kBytesPerPeerView, "control plane " + num(nodes) + " x " + num(nodes) +
                                                            " peer views x " + num(kBytesPerPeerView) + " B"});
  const double rows = s.duration_s * 1000.0 / static_cast<double>(s.metrics_interval_ms);
  const double columns = 40 + 8 * nodes;
  parts.push_back({rows * columns * kBytesPerSeriesCell, "series.csv " + num(rows) + " rows x " + num(columns) +
                                                             " columns x " + num(kBytesPerSeriesCell) + " B"});
  std::sort(parts.begin(), parts.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
  for (const auto& [bytes, what] : parts) {
    e.memory_bytes += bytes;
    e.memory_parts.push_back(what + " = " + human(bytes));
  }
  return e;
}

std::string refuse_run(const RunEstimate& e, uint64_t memory_limit_bytes) {
  std::string why;
  if (!(e.requests <= kMaxRunRequests))
    why += "about " + num(e.requests) + " requests to simulate, more than the limit of " + num(kMaxRunRequests) +
           " (about " + num(e.requests / 2e6 / 3600) +
           " hours at 2 million simulated requests per second); "
           "shorten duration_s or lower the rate";
  constexpr double kClockNs = 4.611686018427387904e18;  // 2^62 ns: 146 years
  for (const auto& [ns, who] : {std::pair{e.node_work_ns, "a node"}, std::pair{e.origin_work_ns, "the origin"}})
    if (!(ns <= kClockNs)) {
      if (!why.empty()) why += "; and ";
      why += std::string("up to ") + num(ns / 1e9) + " s of queued work at " + who +
             " (requests x mean service time), beyond the simulated clock's " + num(kClockNs / 1e9) +
             " s; lower the service time or the rate";
    }
  if (memory_limit_bytes > 0 && !(e.memory_bytes <= static_cast<double>(memory_limit_bytes))) {
    if (!why.empty()) why += "; and ";
    why += "about " + human(e.memory_bytes) + " of memory, more than this machine's " +
           human(static_cast<double>(memory_limit_bytes)) + " (";
    for (size_t i = 0; i < e.memory_parts.size() && i < 3; ++i) why += (i ? ", " : "") + e.memory_parts[i];
    why += ")";
  }
  return why;
}

}  // namespace cachelab
