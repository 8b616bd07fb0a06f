// cachelab estimate FILE [--set PTR=VALUE]... [--json] [--mtbf-h H] [--mttr-min M] [--failover-s S] [--replicas R]
// The analytic estimates alone (Che, Erlang C, the failure CTMC): no simulation, milliseconds.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "cachelab/analytic/estimate.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

std::string fmt(const std::optional<double>& v, int decimals) {
  if (!v || !std::isfinite(*v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, *v);
  return buf;
}

void print_estimate(const Scenario& s, const analytic::Estimate& e) {
  std::printf("%s: analytic estimate (no simulation)\n", s.name.c_str());
  if (e.unlimited_memory) std::printf("  capacity            unlimited (maxmemory 0)\n");
  else
    std::printf("  capacity            %llu keys per node (%.0f bytes per key as Redis counts it)\n",
                static_cast<unsigned long long>(e.capacity_keys_per_node), e.bytes_per_key);
  std::printf("  hit ratio           %.4f   [%s]\n", e.hit.hit_ratio, e.model_doc.c_str());
  double lo = 1, hi = 0, share_hi = 0;
  for (const auto& n : e.hit.nodes) {
    lo = std::min(lo, n.hit_ratio);
    hi = std::max(hi, n.hit_ratio);
    share_hi = std::max(share_hi, n.request_share);
  }
  if (e.hit.nodes.size() > 1)
    std::printf("  per node            hit %.4f..%.4f, busiest node serves %.1f%% of requests\n", lo, hi, 100 * share_hi);
  std::printf("  characteristic time %s s (busiest node, mean rate)\n", fmt(e.characteristic_time_s, 2).c_str());
  std::printf("  traffic             mean %.0f/s, peak %.0f/s over the measured period\n", e.mean_rate_per_s,
              e.peak_rate_per_s);
  const auto& q = e.origin_at_peak;
  std::printf("  origin              mean %.0f/s, peak %.0f/s; at peak: M/M/%d utilisation %.3f, P(wait) %.4f, "
              "W %s ms, W p99 %s ms\n",
              e.origin_mean_per_s, e.origin_peak_per_s, q.servers, q.utilization, q.p_wait,
              fmt(q.response_s * 1000, 3).c_str(), fmt(q.response_quantile(0.99) * 1000, 3).c_str());
  std::printf("  busiest node        utilisation %.3f at peak\n", e.node_utilization_peak);
  std::printf("  latency ms          p50 %s  p99 %s  p99.9 %s\n", fmt(e.latency_p50_ms, 3).c_str(),
              fmt(e.latency_p99_ms, 3).c_str(), fmt(e.latency_p999_ms, 3).c_str());
  std::printf("  error rate          %.3g (origin responses beyond its timeout)\n", e.error_rate);
  const auto& a = e.availability;
  std::printf("  availability        %d replica(s)/master, MTBF %.0f h, MTTR %.0f min, failover %.0f s: shard "
              "unavailable %.3g (%.1f min/year), some shard down %.3g\n",
              e.availability_inputs.replicas, e.availability_inputs.mtbf_h, e.availability_inputs.mttr_h * 60,
              e.availability_inputs.failover_s, a.shard_unavailable, a.downtime_min_per_year, a.cluster_any_unavailable);
  for (const auto& p : e.slo)
    std::printf("  SLO %-24s %s (target %.4g, predicted %s, margin %s)\n", p.name.c_str(), p.pass ? "PASS" : "FAIL",
                p.target, fmt(p.value, 4).c_str(), fmt(p.margin, 4).c_str());
  for (const auto& c : e.caveats) std::printf("  note: %s\n", c.c_str());
  std::printf("  computed in %.1f ms\n", e.wall_ms);
}

}  // namespace

static void add_estimate(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("estimate", "analytic estimates only (Che, Erlang C, failure CTMC), in milliseconds");
  struct Opts {
    std::string file;
    std::vector<std::string> sets;
    bool json = false;
    analytic::AvailabilityInputs avail;
    double mttr_min = 30;
    int replicas = -1;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("FILE", o->file, "scenario file")->required();
  cmd->add_option("--set", o->sets, "override a knob: /json/pointer=VALUE (repeatable)");
  cmd->add_flag("--json", o->json, "print the estimate as JSON");
  cmd->add_option("--mtbf-h", o->avail.mtbf_h, "mean time between failures of one node, hours (default 8760)")
      ->check(finite_number(0, true));
  cmd->add_option("--mttr-min", o->mttr_min, "mean time to repair/restart a node, minutes (default 30)")
      ->check(finite_number(0, true));
  cmd->add_option("--failover-s", o->avail.failover_s,
                  "failure detection + replica election, seconds (default 16: node_timeout 15 s + ~1 s election)")
      ->check(finite_number(0, true));
  cmd->add_option("--replicas", o->replicas,
                  "replicas per master for the availability model only (default: the scenario's)")
      ->check(CLI::Range(0, 16));
  cmd->callback([code_ptr, o] {
    Scenario s;
    try {
      s = load_scenario_file(o->file, o->sets);
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    analytic::EstimateOptions opt;
    opt.availability = o->avail;
    opt.availability.mttr_h = o->mttr_min / 60;
    if (o->replicas >= 0) opt.replicas_override = o->replicas;
    analytic::Estimate e;
    try {
      e = analytic::estimate(s, opt);
    } catch (const std::invalid_argument& err) {  // no model for this popularity (sequential, latest with inserts)
      std::cerr << o->file << ": " << err.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    if (o->json) std::cout << e.to_json().dump(2) << "\n";
    else print_estimate(s, e);
    *code_ptr = kExitOk;
  });
}

static const Command registered("estimate", add_estimate);

}  // namespace cachelab::cli
