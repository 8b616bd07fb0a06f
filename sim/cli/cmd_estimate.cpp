// cachelab estimate FILE [--set PTR=VALUE]... [--json] [--mtbf-h H] [--mttr-min M] [--failover-s S] [--replicas R]
// The analytic estimates alone (Che, Erlang C, the failure CTMC): no simulation, milliseconds.
#include <cmath>
#include <cstdio>
#include <iostream>
#include <stdexcept>

#include "cachelab/analytic/estimate.hpp"
#include "cachelab/io/number_format.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

// Every number through cachelab::fmt (the one format for text); "-" where the model gives none.
std::string opt(const std::optional<double>& v, std::string (*format)(double, int)) {
  return v && std::isfinite(*v) ? format(*v, 3) : "-";
}
const char* c(const std::string& s) { return s.c_str(); }

void print_estimate(const Scenario& s, const analytic::Estimate& e) {
  std::printf("%s: analytic estimate (no simulation)\n", s.name.c_str());
  if (e.unlimited_memory)
    std::printf("  capacity            unlimited (maxmemory 0)\n");
  else
    std::printf("  capacity            %s keys per node (%s per key as Redis counts it)\n",
                c(fmt::count(static_cast<double>(e.capacity_keys_per_node))), c(fmt::bytes(e.bytes_per_key)));
  std::printf("  hit ratio           %s   [%s]\n", c(fmt::ratio(e.hit.hit_ratio)), e.model_doc.c_str());
  double lo = 1, hi = 0, share_hi = 0;
  for (const auto& n : e.hit.nodes) {
    lo = std::min(lo, n.hit_ratio);
    hi = std::max(hi, n.hit_ratio);
    share_hi = std::max(share_hi, n.request_share);
  }
  if (e.hit.nodes.size() > 1)
    std::printf("  per node            hit %s..%s, busiest node serves %s of requests\n", c(fmt::ratio(lo)),
                c(fmt::ratio(hi)), c(fmt::percent(share_hi)));
  std::printf("  characteristic time %s (busiest node, mean rate)\n", c(opt(e.characteristic_time_s, fmt::duration_s)));
  std::printf("  traffic             mean %s, peak %s over the measured period\n",
              c(fmt::rate_per_s(e.mean_rate_per_s)), c(fmt::rate_per_s(e.peak_rate_per_s)));
  const auto& q = e.origin_at_peak;
  std::printf(
      "  origin              mean %s, peak %s; at peak: M/M/%d utilisation %s, P(wait) %s, "
      "W %s, W p99 %s\n",
      c(fmt::rate_per_s(e.origin_mean_per_s)), c(fmt::rate_per_s(e.origin_peak_per_s)), q.servers,
      c(fmt::ratio(q.utilization)), c(fmt::probability(q.p_wait)), c(fmt::duration_s(q.response_s)),
      c(fmt::duration_s(q.response_quantile(0.99))));
  std::printf("  busiest node        utilisation %s at peak\n", c(fmt::ratio(e.node_utilization_peak)));
  std::printf("  latency             p50 %s  p99 %s  p99.9 %s\n", c(opt(e.latency_p50_ms, fmt::duration_ms)),
              c(opt(e.latency_p99_ms, fmt::duration_ms)), c(opt(e.latency_p999_ms, fmt::duration_ms)));
  std::printf("  error rate          %s (origin responses beyond its timeout)\n", c(fmt::probability(e.error_rate)));
  const auto& a = e.availability;
  std::printf(
      "  availability        %d replica(s)/master, MTBF %s, MTTR %s, failover %s: shard "
      "unavailable %s (%s/year), some shard down %s\n",
      e.availability_inputs.replicas, c(fmt::duration_s(e.availability_inputs.mtbf_h * 3600)),
      c(fmt::duration_s(e.availability_inputs.mttr_h * 3600)), c(fmt::duration_s(e.availability_inputs.failover_s)),
      c(fmt::probability(a.shard_unavailable)), c(fmt::duration_s(a.downtime_min_per_year * 60)),
      c(fmt::probability(a.cluster_any_unavailable)));
  for (const auto& p : e.slo) {
    // Latency SLOs are in ms, the others are shares or rates: each in its unit.
    const bool ms = p.name.rfind("latency_", 0) == 0;
    const bool share =
        p.name.find("error_rate") != std::string::npos || p.name.find("availability") != std::string::npos;
    const bool rate = p.name.find("per_s") != std::string::npos;
    auto f = [&](double v) {
      return ms ? fmt::duration_ms(v) : share ? fmt::probability(v) : rate ? fmt::rate_per_s(v) : fmt::sig(v, 4);
    };
    std::printf("  SLO %-24s %s (target %s, predicted %s, margin %s)\n", p.name.c_str(), p.pass ? "PASS" : "FAIL",
                c(f(p.target)), p.value && std::isfinite(*p.value) ? c(f(*p.value)) : "-",
                p.margin && std::isfinite(*p.margin) ? c(f(*p.margin)) : "-");
  }
  for (const auto& note : e.caveats) std::printf("  note: %s\n", note.c_str());
  std::printf("  computed in %s\n", c(fmt::duration_ms(e.wall_ms)));
}

}  // namespace

static void add_estimate(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("estimate", "analytic estimates only (Che, Erlang C, failure CTMC), in milliseconds");
  struct Opts {
    std::string file, calibration;
    std::vector<std::string> sets;
    bool json = false;
    analytic::AvailabilityInputs avail;
    double mttr_min = 30;
    int replicas = -1;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("FILE", o->file, "scenario file")->required();
  cmd->add_option("--set", o->sets, "override a knob: /json/pointer=VALUE (repeatable)");
  cmd->add_option("--calibration", o->calibration, kCalibrationHelp);
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
    if (!add_calibration_overrides("estimate", o->calibration, o->sets)) {
      *code_ptr = kExitBadInput;
      return;
    }
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
    if (o->json)
      std::cout << e.to_json().dump(2) << "\n";
    else
      print_estimate(s, e);
    *code_ptr = kExitOk;
  });
}

static const Command estimate_command("estimate", add_estimate);

}  // namespace cachelab::cli
