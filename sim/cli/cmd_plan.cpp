// cachelab plan FILE --masters a..b --maxmemory m1,m2,... [--price-node X] [--price-gb Y] [--seeds N] [--jobs N]
// The cheapest (masters, maxmemory) meeting every SLO of the scenario: analytic estimates prune hopeless
// configurations, simulations confirm, bisecting on memory and node count (sweep/plan.hpp). Prints the answer, the
// runner-up, the margins and the binding SLO; writes every simulated run and plan.json under --out.
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>

#include "cachelab/analytic/estimate.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/plan.hpp"
#include "cachelab/sweep/runner.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Memory {
  std::string text;
  uint64_t bytes;
};

struct Evaluation {
  bool pass = true;
  std::vector<json> summaries_slo;  // per seed
  json slo_worst = json::array();   // per SLO: the worst seed's value and margin
  json metrics = json::object();
};

bool parse_masters(const std::string& text, int& lo, int& hi) {
  try {
    const auto dots = text.find("..");
    size_t used = 0;
    if (dots == std::string::npos) {
      lo = hi = std::stoi(text, &used);
      return used == text.size() && lo >= 1;
    }
    lo = std::stoi(text.substr(0, dots), &used);
    if (used != dots) return false;
    const std::string b = text.substr(dots + 2);
    hi = std::stoi(b, &used);
    return used == b.size() && lo >= 1 && hi >= lo;
  } catch (const std::exception&) {
    return false;
  }
}

std::string fmt(const json& v, int decimals) {
  if (!v.is_number()) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v.get<double>());
  return buf;
}

}  // namespace

static void add_plan(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("plan", "find the cheapest masters x maxmemory meeting every SLO (estimate, then simulate)");
  struct Opts {
    std::string file, masters, out;
    std::vector<std::string> memories, sets;
    double price_node = 0, price_gb = 1, hit_slack = 0.02;
    int seeds = 1, jobs = 0;
    bool no_prune = false;
    bool with_failure = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("FILE", o->file, "scenario file (its slo section is the target)")->required();
  cmd->add_option("--masters", o->masters, "node counts to consider: a..b or a")->required();
  cmd->add_option("--maxmemory", o->memories, "memories per node to consider: 64mb,128mb,...")->required()->delimiter(',');
  auto* price_node_opt =
      cmd->add_option("--price-node", o->price_node, "cost of one node (default: the scenario's cost.price_per_node)")
          ->check(finite_number(0, false));
  auto* price_gb_opt = cmd->add_option("--price-gb", o->price_gb,
                                       "cost of one GiB of maxmemory per node (default: the scenario's cost.price_per_gb)")
                             ->check(finite_number(0, false));
  cmd->add_option("--seeds", o->seeds, "seeds per configuration; it passes when every seed passes (default 1)")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--jobs", o->jobs, "simulations at once (default: all hardware threads)")->check(CLI::PositiveNumber);
  cmd->add_option("--set", o->sets, "override a knob for every configuration: /json/pointer=VALUE");
  cmd->add_option("--out", o->out, "where the simulated runs and plan.json go (default results/<name>/<UTC time>-plan)");
  cmd->add_option("--hit-slack", o->hit_slack,
                  "prune without simulating when the analytic hit ratio is below the SLO by more than this (default 0.02)")
      ->check(finite_number(0, false));
  cmd->add_flag("--no-prune", o->no_prune, "simulate every configuration the search visits (no analytic pruning)");
  cmd->add_flag("--with-failure", o->with_failure,
                "a configuration must also meet every SLO with master-1 killed at the traffic peak (runs the control "
                "plane: give the scenario replicas, or the cluster goes down with its master)");
  cmd->callback([code_ptr, o, price_node_opt, price_gb_opt] {
    int m_lo = 0, m_hi = 0;
    if (!parse_masters(o->masters, m_lo, m_hi)) {
      std::cerr << "cachelab plan: --masters '" << o->masters << "': expected a..b or a with 1 <= a <= b\n";
      *code_ptr = kExitBadInput;
      return;
    }
    // Validate every memory and node count through the loader (its size syntax, its ranges), sort by bytes.
    std::vector<Memory> mems;
    Scenario base;
    try {
      base = load_scenario_file(o->file, o->sets);
      // Prices: the command line wins over the scenario's cost section.
      if (!price_node_opt->count()) o->price_node = base.resolved.at("cost").at("price_per_node").get<double>();
      if (!price_gb_opt->count()) o->price_gb = base.resolved.at("cost").at("price_per_gb").get<double>();
      for (const auto& t : o->memories) {
        auto ov = o->sets;
        ov.push_back("/cluster/maxmemory=" + t);
        mems.push_back({t, load_scenario_file(o->file, ov).cluster.maxmemory_bytes});
      }
      for (int m : {m_lo, m_hi}) {
        auto ov = o->sets;
        ov.push_back("/cluster/masters=" + std::to_string(m));
        (void)load_scenario_file(o->file, ov);
      }
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    std::sort(mems.begin(), mems.end(), [](const Memory& a, const Memory& b) { return a.bytes < b.bytes; });
    for (size_t i = 0; i < mems.size(); ++i)
      if (mems[i].bytes == 0 || (i > 0 && mems[i].bytes == mems[i - 1].bytes)) {
        std::cerr << "cachelab plan: --maxmemory: each value must be a distinct limit > 0 ('" << mems[i].text << "')\n";
        *code_ptr = kExitBadInput;
        return;
      }
    const SloConfig& slo = base.slo;
    if (!slo.latency_p50_ms && !slo.latency_p99_ms && !slo.latency_p999_ms && !slo.hit_ratio_min && !slo.error_rate_max &&
        !slo.origin_requests_per_s_max && !slo.writes_lost_max && !slo.availability_min) {
      std::cerr << "cachelab plan: " << o->file << " has no SLO (section slo): nothing to plan for\n";
      *code_ptr = kExitBadInput;
      return;
    }
    const fs::path dir = o->out.empty() ? default_run_dir("results", base.name, "plan") : fs::path(o->out);
    if (fs::exists(dir) && !fs::is_empty(dir)) {
      std::cerr << "cachelab plan: " << dir.string() << " exists and is not empty; nothing is overwritten\n";
      *code_ptr = kExitBadInput;
      return;
    }
    fs::create_directories(dir);
    const int jobs = o->jobs > 0 ? o->jobs : sweep::default_jobs();

    auto overrides = [&](const sweep::Config& c) {
      auto ov = o->sets;
      ov.push_back("/cluster/masters=" + std::to_string(c.masters));
      ov.push_back("/cluster/maxmemory=" + mems[c.memory_index].text);
      return ov;
    };
    // The kill for --with-failure: at the first moment of the highest arrival rate after warm-up (the peak), or in
    // the middle of the measured period when the rate never rises above its start.
    double kill_at_s = (base.warmup_s + base.duration_s) / 2;
    {
      double best = base.workload.rate_per_s;
      for (const auto& st : base.workload.shape) {
        const double reached = st.at_s + st.ramp_s;
        if (st.rate_per_s > best && reached >= base.warmup_s && reached < base.duration_s) {
          best = st.rate_per_s;
          kill_at_s = reached;
        }
      }
    }
    const std::string kill_override =
        "/faults/-={\"at_s\": " + json(kill_at_s).dump() + ", \"action\": \"kill\", \"node\": \"master-1\"}";
    auto cost = [&](const sweep::Config& c) {
      return c.masters * (o->price_node + o->price_gb * static_cast<double>(mems[c.memory_index].bytes) / (1ull << 30));
    };
    std::map<sweep::Config, analytic::Estimate> estimates;
    auto estimate_of = [&](const sweep::Config& c) -> const analytic::Estimate& {
      auto it = estimates.find(c);
      if (it == estimates.end()) it = estimates.emplace(c, analytic::estimate(load_scenario_file(o->file, overrides(c)))).first;
      return it->second;
    };
    // Hopeless: the analytic model (optimistic about hit ratio: it ignores TTL, write invalidation and Redis's
    // sampling) already misses the hit-ratio or origin-load SLO clearly, or an origin/node queue is unstable.
    auto hopeless = [&](const sweep::Config& c) {
      if (o->no_prune) return false;
      const analytic::Estimate& e = estimate_of(c);
      if (slo.hit_ratio_min && e.hit.hit_ratio < *slo.hit_ratio_min - o->hit_slack) return true;
      if (slo.origin_requests_per_s_max && e.origin_mean_per_s > *slo.origin_requests_per_s_max * (1 + 2 * o->hit_slack) + 1)
        return true;
      return false;
    };
    std::map<sweep::Config, Evaluation> evals;
    double sim_wall = 0;
    int sims = 0;
    auto passes = [&](const sweep::Config& c) {
      const auto t0 = std::chrono::steady_clock::now();
      Evaluation ev;
      // With --with-failure every seed also runs with master-1 killed at the peak; all runs must pass.
      const size_t variants = o->with_failure ? 2 : 1;
      std::vector<json> summaries(static_cast<size_t>(o->seeds) * variants);
      std::mutex mu;
      sweep::parallel_for(summaries.size(), jobs, [&](size_t run) {
        const size_t k = run / variants;
        const bool failure = run % variants == 1;
        auto ov = overrides(c);
        ov.push_back("/seed=" + std::to_string(base.seed + k));
        if (failure) ov.push_back(kill_override);
        const Scenario s = load_scenario_file(o->file, ov);
        const std::string started = utc_now_iso();
        RunOutput r = simulate(s);
        const std::string name = "m" + std::to_string(c.masters) + "-" + mems[c.memory_index].text + "-seed" +
                                 std::to_string(s.seed) + (failure ? "-master1-killed" : "");
        write_run_dir(dir / name, make_run_json(s, r, "sim", started), r.summary, r.series, r.events);
        std::lock_guard<std::mutex> lock(mu);
        summaries[run] = std::move(r.summary);
      });
      for (const auto& sum : summaries) {
        ev.summaries_slo.push_back(sum.at("slo"));
        for (const auto& x : sum.at("slo")) {
          ev.pass = ev.pass && x.at("pass").get<bool>();
          bool found = false;
          for (auto& w : ev.slo_worst)
            if (w.at("name") == x.at("name")) {
              found = true;
              const bool worse = !x.at("margin").is_number() ||
                                 (w.at("margin").is_number() && x.at("margin").get<double>() < w.at("margin").get<double>());
              if (worse) w = x;
            }
          if (!found) ev.slo_worst.push_back(x);
        }
      }
      ev.metrics = {{"hit_ratio", summaries[0].at("hit_ratio")},
                    {"latency_p99_ms", summaries[0].at("latency_us").at("p99").is_number()
                                           ? json(summaries[0].at("latency_us").at("p99").get<double>() / 1000)
                                           : json()}};
      sim_wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      sims += o->seeds;
      evals[c] = ev;
      std::fprintf(stderr, "  simulated %2d masters x %-8s %s\n", c.masters, mems[c.memory_index].text.c_str(),
                   ev.pass ? "meets every SLO" : "misses an SLO");
      return ev.pass;
    };

    sweep::PlanProblem pr{m_lo, m_hi, mems.size(), cost, hopeless, passes};
    sweep::PlanOutcome out;
    try {
      out = sweep::plan_search(pr);
    } catch (const std::exception& e) {
      std::cerr << "cachelab plan: " << e.what() << "\n";
      *code_ptr = kExitFailure;
      return;
    }
    const size_t grid = static_cast<size_t>(m_hi - m_lo + 1) * mems.size();
    std::printf("%s: plan over masters %d..%d x maxmemory {", base.name.c_str(), m_lo, m_hi);
    for (size_t i = 0; i < mems.size(); ++i) std::printf("%s%s", i ? "," : "", mems[i].text.c_str());
    std::printf("} (%zu configurations), cost = masters x (%.4g + %.4g x GiB)\n", grid, o->price_node, o->price_gb);
    std::printf("  %zu simulated (%d runs, %.1f s), %zu pruned by the analytic estimate, %zu never visited\n",
                out.evaluated.size(), sims, sim_wall, out.pruned.size(), grid - out.evaluated.size() - out.pruned.size());
    std::printf("  masters  maxmemory   cost      est.hit  sim.hit  sim.p99ms  verdict\n");
    std::map<sweep::Config, std::string> verdicts;
    for (const auto& [c, ok] : out.pruned) verdicts[c] = "pruned (estimate)";
    for (const auto& [c, ok] : out.evaluated) verdicts[c] = ok ? "PASS" : "fail";
    for (const auto& [c, v] : verdicts) {
      const auto it = evals.find(c);
      std::printf("  %7d  %-9s %8.4g  %7.4f  %7s  %9s  %s\n", c.masters, mems[c.memory_index].text.c_str(), cost(c),
                  estimate_of(c).hit.hit_ratio, it == evals.end() ? "-" : fmt(it->second.metrics["hit_ratio"], 4).c_str(),
                  it == evals.end() ? "-" : fmt(it->second.metrics["latency_p99_ms"], 3).c_str(), v.c_str());
    }
    json plan = {{"scenario_file", o->file}, {"masters", {m_lo, m_hi}}, {"price_node", o->price_node},
                 {"price_gb", o->price_gb}, {"seeds", o->seeds}, {"configurations", grid},
                 {"simulated", out.evaluated.size()}, {"pruned", out.pruned.size()}};
    auto describe = [&](const char* label, const std::optional<sweep::Config>& c) {
      if (!c) {
        std::printf("  %s: none\n", label);
        plan[label] = nullptr;
        return;
      }
      const Evaluation& ev = evals.at(*c);
      std::printf("  %s: %d masters x %s (cost %.4g)\n", label, c->masters, mems[c->memory_index].text.c_str(), cost(*c));
      std::string binding;
      double tightest = INFINITY;
      for (const auto& w : ev.slo_worst) {
        const double target = w.at("target").get<double>();
        const double rel = w.at("margin").is_number() ? w.at("margin").get<double>() / std::max(std::abs(target), 1e-12) : -INFINITY;
        std::printf("      %-26s target %-10s worst seed %-10s margin %s (%.1f%%)\n", w.at("name").get<std::string>().c_str(),
                    fmt(w.at("target"), 4).c_str(), fmt(w.at("value"), 4).c_str(), fmt(w.at("margin"), 4).c_str(), 100 * rel);
        if (rel < tightest) {
          tightest = rel;
          binding = w.at("name");
        }
      }
      plan[label] = {{"masters", c->masters}, {"maxmemory", mems[c->memory_index].text}, {"cost", cost(*c)},
                     {"slo", ev.slo_worst}, {"binding_slo", binding}};
      if (std::string(label) == "best") {
        std::printf("      binding SLO: %s (smallest relative margin)", binding.c_str());
        if (c->memory_index > 0) {
          const sweep::Config below{c->masters, c->memory_index - 1};
          if (auto it = evals.find(below); it != evals.end()) {
            std::printf("; with %s it fails:", mems[below.memory_index].text.c_str());
            for (const auto& w : it->second.slo_worst)
              if (!w.at("pass").get<bool>()) std::printf(" %s (%s)", w.at("name").get<std::string>().c_str(), fmt(w.at("value"), 4).c_str());
          } else if (out.pruned.count(below)) {
            std::printf("; %s was ruled out by the analytic estimate", mems[below.memory_index].text.c_str());
          }
        }
        std::printf("\n");
      }
    };
    describe("best", out.best);
    describe("runner_up", out.runner_up);
    const std::string failover_note =
        o->with_failure ? "evaluated: every configuration also ran with master-1 killed at t=" + json(kill_at_s).dump() +
                              " s (the peak) and had to meet every SLO there too"
                        : "not evaluated (add --with-failure): these answers assume every node stays up";
    std::printf("  one master down: %s\n", failover_note.c_str());
    plan["one_master_down"] = failover_note;
    {
      std::ofstream f(dir / "plan.json");
      f << plan.dump(2) << "\n";
    }
    std::printf("  results  %s\n", dir.string().c_str());
    *code_ptr = out.best ? kExitOk : kExitSloFailed;
  });
}

static const Command registered("plan", add_plan);

}  // namespace cachelab::cli
