// Kill-to-promotion times of real Redis: see failover_timing.hpp.
#include "live/lab/failover_timing.hpp"

#include <chrono>
#include <cstdio>
#include <thread>

#include "cachelab/core/rng.hpp"
#include "live/client/control_connection.hpp"
#include "live/lab/cluster_nodes.hpp"
#include "live/lab/lab.hpp"

namespace cachelab::live {
namespace {

using SteadyClock = std::chrono::steady_clock;

double seconds_since(SteadyClock::time_point t0) {
  return std::chrono::duration<double>(SteadyClock::now() - t0).count();
}

// The flags of `id` in one node's CLUSTER NODES text, and whether that node's own line says master.
struct View {
  bool victim_pfail = false, victim_fail = false, myself_master = false;
};

View read_view(ControlConnection& c, const std::string& victim_id) {
  View v;
  const Reply r = c.command({"CLUSTER", "NODES"});
  if (r.is_error()) return v;
  for (const NodeLine& line : parse_cluster_nodes(r.str())) {
    if (line.myself) v.myself_master = line.role == "master";
    if (line.id != victim_id) continue;
    // "fail?" is PFAIL, "fail" is FAIL (a flag list such as "master,fail").
    const std::string f = "," + line.flags + ",";
    v.victim_pfail = f.find(",fail?,") != std::string::npos;
    v.victim_fail = f.find(",fail,") != std::string::npos;
  }
  return v;
}

}  // namespace

std::vector<FailoverSample> measure_failovers(const FailoverTimingOptions& opts) {
  const int64_t nt = opts.lab.control.node_timeout_ms;
  Lab lab(opts.lab);
  lab.start();
  Rng jitter(opts.seed);
  std::vector<FailoverSample> out;
  const auto settle = [&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(nt + 2000 + static_cast<int64_t>(jitter.below(1000))));
  };
  settle();
  for (int run = 0; run < opts.runs; ++run) {
    lab.refresh_topology();
    // The masters with a replica, in lab order; kill them in turn.
    std::vector<const LabNode*> masters;
    for (const auto& n : lab.nodes())
      if (n.role == "master" && !n.slot_ranges.empty()) masters.push_back(&n);
    if (masters.size() < 2) throw LabError("failover timing: fewer than 2 masters with slots");
    const LabNode& victim = *masters[static_cast<size_t>(run) % masters.size()];
    const LabNode* replica = nullptr;
    for (const auto& n : lab.nodes())
      if (n.role != "master" && n.master_id == victim.node_id) replica = &n;
    const LabNode* observer = masters[(static_cast<size_t>(run) + 1) % masters.size()];
    if (!replica) throw LabError("failover timing: " + victim.name + " has no replica");
    FailoverSample s;
    s.node_timeout_ms = nt;
    s.run = run;
    s.victim = victim.name;
    s.replica = replica->name;
    s.observer = observer->name;
    const std::string victim_id = victim.node_id;
    ControlConnection rc(replica->endpoint, 2000), oc(observer->endpoint, 2000);

    const SteadyClock::time_point t0 = SteadyClock::now();
    lab.kill_node(s.victim);
    const double limit_s = 4.0 * static_cast<double>(nt) / 1000.0 + 15.0;
    int polls = 0;
    SteadyClock::time_point next = t0;
    while (!s.promoted_s) {
      const View o = read_view(oc, victim_id);
      const double to = seconds_since(t0);
      if (!s.observer_pfail_s && (o.victim_pfail || o.victim_fail)) s.observer_pfail_s = to;
      const View r = read_view(rc, victim_id);
      const double tr = seconds_since(t0);
      if (!s.replica_fail_s && r.victim_fail) s.replica_fail_s = tr;
      if (r.myself_master) s.promoted_s = tr;
      ++polls;
      if (tr > limit_s)
        throw LabError("failover timing: " + s.replica + " not promoted " + std::to_string(limit_s) +
                       " s after killing " + s.victim);
      next += std::chrono::milliseconds(opts.poll_ms);
      const auto now = SteadyClock::now();
      if (next > now)
        std::this_thread::sleep_until(next);
      else
        next = now;
    }
    s.poll_ms_observed = *s.promoted_s * 1000.0 / polls;
    out.push_back(s);
    if (opts.on_sample) opts.on_sample(s);

    lab.respawn_node(s.victim);
    lab.wait_ready(opts.lab.ready_timeout_ms);
    settle();
  }
  lab.teardown();
  return out;
}

std::string failover_csv_header() {
  return "node_timeout_ms,run,victim,replica,observer,observer_pfail_s,replica_fail_s,promoted_s,poll_ms";
}

std::string failover_csv_row(const FailoverSample& s) {
  const auto opt = [](const std::optional<double>& v) {
    if (!v) return std::string();
    char b[32];
    std::snprintf(b, sizeof b, "%.4f", *v);
    return std::string(b);
  };
  char poll[32];
  std::snprintf(poll, sizeof poll, "%.2f", s.poll_ms_observed);
  return std::to_string(s.node_timeout_ms) + "," + std::to_string(s.run) + "," + s.victim + "," + s.replica + "," +
         s.observer + "," + opt(s.observer_pfail_s) + "," + opt(s.replica_fail_s) + "," + opt(s.promoted_s) + "," +
         poll;
}

}  // namespace cachelab::live
