// cachelab plan FILE [--masters a..b] [--maxmemory m1,...] [--vary /ptr=a,b] [--catalogue F] [--node-types a,b] ...
// The cheapest candidate of a search space meeting every SLO of the scenario in every failure case. The search
// space, node types, cost model and failure cases come from the scenario's `plan` section (sweep/plan_space.hpp);
// flags override it. Candidates are tried cheapest first with monotonic pruning (sweep/plan_grid.hpp), each
// simulated in every case; the output says, per candidate, which SLO failed, in which case, by how much and when.
// Writes every simulated run and plan.json (results/README.md) under --out.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <set>

#include "cachelab/analytic/estimate.hpp"
#include "cachelab/io/number_format.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/results/reader.hpp"
#include "cachelab/results/slo_text.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/grid.hpp"
#include "cachelab/sweep/plan_explain.hpp"
#include "cachelab/sweep/plan_grid.hpp"
#include "cachelab/sweep/plan_space.hpp"
#include "cachelab/sweep/runner.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

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
    return used == b.size() && lo >= 1 && hi >= lo && hi - lo < 1000;
  } catch (const std::exception&) {
    return false;
  }
}

std::string safe_name(const std::string& s) {
  std::string o;
  for (char c : s) o += (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '=') ? c : '_';
  return o;
}

// One SLO in one case: the worst seed's row, plus where it missed (plan_explain.hpp).
struct CaseResult {
  std::string label;
  bool pass = true;
  json slo = json::array();  // per SLO: name, target, value, margin, pass, window (or null)
  json metrics = json::object();
  std::vector<std::string> runs;
};

struct Candidate {
  sweep::GridIndex g;
  Scenario s;  // steady scenario of the candidate (for cost, nodes, maxmemory)
  double cost = 0;
  std::vector<CaseResult> cases;
};

std::string window_text(const json& w) {
  if (w.is_null()) return "";
  const int n = w.at("intervals").get<int>();
  std::string t = ", in " + std::to_string(n) + " interval" + (n == 1 ? "" : "s") + " between " +
                  fmt::duration_s(w.at("from_s").get<double>()) + " and " + fmt::duration_s(w.at("to_s").get<double>());
  if (!w.at("phase").get<std::string>().empty()) t += ", worst at " + w.at("phase").get<std::string>();
  return t;
}

// "latency_p99_ms 736 ms, target 25.0 ms (711 ms over) with master-1 killed, 45.0 s to 60.0 s (15 intervals)".
std::string miss_text(const json& x, const std::string& case_label) {
  const std::string n = x.at("name").get<std::string>();
  const double v = x.at("value").is_number() ? x.at("value").get<double>() : NAN;
  const double target = x.at("target").get<double>();
  return results::slo_label(x) + " " + sweep::slo_value_text(n, v) + ", target " + sweep::slo_value_text(n, target) +
         " (" + sweep::slo_shortfall_text(n, v, target) + ") " +
         (case_label == "steady" ? "steady" : "with " + case_label) + window_text(x.value("window", json()));
}

// Relative shortfall: how far from passing, as a share of the target (for "closest" and the binding SLO).
double relative_margin(const json& x) {
  if (!x.at("margin").is_number()) return -INFINITY;
  return x.at("margin").get<double>() / std::max(std::abs(x.at("target").get<double>()), 1e-12);
}

}  // namespace

static void add_plan(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd = app.add_subcommand("plan",
                                 "the cheapest configuration meeting every SLO in every failure case (the scenario's "
                                 "plan section; flags override)");
  struct Opts {
    std::string file, masters, out, catalogue, calibration;
    std::vector<std::string> memories, sets, vary, node_types;
    double price_node = 0, price_gb = 1, hit_slack = 0.02;
    int seeds = 0, jobs = 0, max_runs = 200;
    bool no_prune = false, with_failure = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("FILE", o->file, "scenario file (its slo section is the target, its plan section the search)")
      ->required();
  cmd->add_option("--masters", o->masters,
                  "node counts to consider: a..b or a (replaces /cluster/masters in plan.search)");
  cmd->add_option("--maxmemory", o->memories, "memories per node to consider: 64mb,128mb,... (replaces plan.search's)")
      ->delimiter(',');
  cmd->add_option("--vary", o->vary,
                  "another knob to search: /json/pointer=v1,v2,... weakest first (replaces plan.search's)");
  cmd->add_option("--catalogue", o->catalogue, "node-type catalogue file (default: the plan section's)");
  cmd->add_option("--node-types", o->node_types, "node types to consider: a,b,... (default: plan.node_types)")
      ->delimiter(',');
  auto* price_node_opt = cmd->add_option("--price-node", o->price_node,
                                         "without node types: cost of one node (default: cost.price_per_node)")
                             ->check(finite_number(0, false));
  auto* price_gb_opt =
      cmd->add_option("--price-gb", o->price_gb,
                      "without node types: cost of one GiB of maxmemory per node (default: cost.price_per_gb)")
          ->check(finite_number(0, false));
  auto* seeds_opt = cmd->add_option("--seeds", o->seeds, "seeds per candidate and case (default: plan.seeds, 1)")
                        ->check(positive_number());
  cmd->add_option("--jobs", o->jobs, "simulations at once (default: all hardware threads)")->check(positive_number());
  cmd->add_option("--max-runs", o->max_runs, "candidates to simulate at most (default 200)")->check(positive_number());
  cmd->add_option("--set", o->sets, "override a knob for every candidate: /json/pointer=VALUE");
  cmd->add_option("--calibration", o->calibration, kCalibrationHelp);
  cmd->add_option("--out", o->out,
                  "where the simulated runs and plan.json go (default results/<name>/<UTC time>-plan)");
  cmd->add_option(
         "--hit-slack", o->hit_slack,
         "prune without simulating when the analytic hit ratio is below the SLO by more than this (default 0.02)")
      ->check(finite_number(0, false));
  cmd->add_flag("--no-prune", o->no_prune, "no analytic pruning (monotonic pruning stays: it is what the search is)");
  cmd->add_flag("--with-failure", o->with_failure,
                "add the failure case kill:master-1 (at the traffic peak) to the plan section's cases");
  cmd->callback([code_ptr, o, price_node_opt, price_gb_opt, seeds_opt] {
    CalibrationUse calibration;
    if (!add_calibration_overrides("plan", o->calibration, o->sets, &calibration)) {
      *code_ptr = kExitBadInput;
      return;
    }
    sweep::PlanFlags flags;
    flags.sets = o->sets;
    if (!o->masters.empty()) {
      int lo = 0, hi = 0;
      if (!parse_masters(o->masters, lo, hi)) {
        std::cerr << "cachelab plan: --masters '" << io::printable(o->masters)
                  << "': expected a..b or a with 1 <= a <= b\n";
        *code_ptr = kExitBadInput;
        return;
      }
      flags.masters = std::vector<int>{};
      for (int m = lo; m <= hi; ++m) flags.masters->push_back(m);
    }
    flags.maxmemory = o->memories;
    flags.vary = o->vary;
    flags.catalogue = o->catalogue;
    flags.node_types = o->node_types;
    flags.with_failure = o->with_failure;
    if (seeds_opt->count()) flags.seeds = o->seeds;
    if (price_node_opt->count()) flags.price_per_node = o->price_node;
    if (price_gb_opt->count()) flags.price_per_gb = o->price_gb;

    Scenario base;
    sweep::PlanSpace sp;
    std::vector<Candidate> cands;
    std::map<sweep::GridIndex, size_t> cand_of;
    try {
      base = load_scenario_file(o->file, o->sets);
      sp = sweep::build_plan_space(o->file, base, flags);
      // Every candidate's scenario (and every case's kill) is loaded, and so validated, before anything runs.
      std::vector<size_t> sizes;
      for (const auto& a : sp.axes) sizes.push_back(a.values.size());
      size_t total = 1;
      for (size_t n : sizes) total *= n;
      if (total > 100000)
        throw sweep::SpecError("the search space has " + std::to_string(total) + " candidates (at most 100,000)");
      for (size_t i = 0; i < total; ++i) {
        sweep::GridIndex g(sizes.size());
        size_t rest = i;
        for (size_t d = sizes.size(); d-- > 0;) {
          g[d] = rest % sizes[d];
          rest /= sizes[d];
        }
        auto ov = o->sets;
        for (auto& x : sweep::candidate_overrides(sp, g)) ov.push_back(x);
        Candidate c{g, load_scenario_file(o->file, ov), 0, {}};
        for (const auto& fc : sweep::failure_cases(sp, c.s))
          if (!fc.node.empty()) {
            auto ovk = ov;
            ovk.push_back(sweep::failure_override(sp, fc));
            (void)load_scenario_file(o->file, ovk);
          }
        c.cost = sweep::candidate_cost(sp, c.s, g);
        cand_of[g] = cands.size();
        cands.push_back(std::move(c));
      }
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    } catch (const sweep::SpecError& e) {
      std::cerr << "cachelab plan: " << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    const SloConfig& slo = base.slo;
    bool any_stream_slo = false;
    for (const auto& st : slo.streams) any_stream_slo = any_stream_slo || st.targets.any();
    if (!slo.any() && !any_stream_slo) {
      std::cerr << "cachelab plan: " << o->file << " has no SLO (section slo): nothing to plan for\n";
      *code_ptr = kExitBadInput;
      return;
    }
    fs::path dir;
    try {
      dir = o->out.empty() ? default_run_dir("results", base.name, "plan") : reserve_run_dir(o->out);
    } catch (const OutputError& e) {
      std::cerr << "cachelab plan: " << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    const int jobs = o->jobs > 0 ? o->jobs : sweep::default_jobs();
    const double interval_s = static_cast<double>(base.metrics_interval_ms) / 1000.0;

    // Hopeless: the analytic model (optimistic about hit ratio: it ignores TTL, write invalidation and Redis's
    // sampling) already misses the hit-ratio or origin-load SLO clearly in the steady case.
    auto hopeless = [&](const sweep::GridIndex& g) {
      if (o->no_prune) return false;
      const analytic::Estimate e = analytic::estimate(cands[cand_of.at(g)].s);
      if (slo.hit_ratio_min && e.hit.hit_ratio < *slo.hit_ratio_min - o->hit_slack) return true;
      if (slo.origin_requests_per_s_max &&
          e.origin_mean_per_s > *slo.origin_requests_per_s_max * (1 + 2 * o->hit_slack) + 1)
        return true;
      return false;
    };
    double sim_wall = 0;
    size_t runs_done = 0, rank_counter = 0;
    auto passes = [&](const sweep::GridIndex& g) {
      const auto t0 = std::chrono::steady_clock::now();
      Candidate& c = cands[cand_of.at(g)];
      const auto cases = sweep::failure_cases(sp, c.s);
      const size_t n = cases.size() * static_cast<size_t>(sp.seeds);
      std::vector<json> slo_rows(n);
      std::vector<json> metric_rows(n);
      std::vector<std::string> names(n);
      // c<N>-masters=6-require_full_coverage=false-cache.t-micro: the last token of each pointer, as sweep names runs.
      std::string stem = "c" + std::to_string(++rank_counter);
      for (size_t d = 0; d < sp.axes.size(); ++d) {
        const std::string& p = sp.axes[d].pointer;
        stem += "-" + safe_name((p.empty() ? "" : p.substr(p.rfind('/') + 1) + "=") + sp.axes[d].labels[g[d]]);
      }
      sweep::parallel_for(n, jobs, [&](size_t run) {
        const size_t ci = run / static_cast<size_t>(sp.seeds), k = run % static_cast<size_t>(sp.seeds);
        auto ov = o->sets;
        for (auto& x : sweep::candidate_overrides(sp, g)) ov.push_back(x);
        ov.push_back("/seed=" + std::to_string(base.seed + k));
        if (!cases[ci].node.empty()) ov.push_back(sweep::failure_override(sp, cases[ci]));
        Scenario s = load_scenario_file(o->file, ov);
        s.calibration = calibration;
        const std::string started = utc_now_iso();
        RunOutput r = simulate(s);
        const std::string name = stem + "-" +
                                 safe_name(cases[ci].node.empty() ? "steady" : cases[ci].node + "-killed") + "-seed" +
                                 std::to_string(s.seed);
        write_run_dir(dir / name, make_run_json(s, r, "sim", started), r.summary, r.series, r.events);
        json rows = r.summary.at("slo");
        // Where each missed SLO missed: read back through the results reader (series.csv as written).
        bool any_miss = false;
        for (const auto& x : rows) any_miss = any_miss || !x.at("pass").get<bool>();
        if (any_miss) {
          const results::Run run_back = results::load_run(dir / name);
          for (auto& x : rows) {
            x["window"] = nullptr;
            // A stream's SLO (slo.streams): series.csv has no per-stream column for most of them; no window.
            if (x.at("pass").get<bool>() || x.contains("stream")) continue;
            if (auto w = sweep::slo_window(run_back.series, x.at("name").get<std::string>(),
                                           x.at("target").get<double>(), s.warmup_s, interval_s, s))
              x["window"] = {{"from_s", w->from_s},
                             {"to_s", w->to_s},
                             {"intervals", w->intervals},
                             {"worst_t_s", w->worst_t_s},
                             {"phase", w->phase}};
          }
        }
        const auto& sum = r.summary;
        const double measured = sum.at("measured_s").get<double>();
        metric_rows[run] = {{"hit_ratio", sum.at("hit_ratio")},
                            {"latency_p99_ms", sum.at("latency_us").at("p99").is_number()
                                                   ? json(sum.at("latency_us").at("p99").get<double>() / 1000)
                                                   : json()},
                            {"availability", sum.value("availability", json())},
                            {"origin_requests_per_s",
                             measured > 0 ? json(sum.at("origin").at("requests").get<double>() / measured) : json()}};
        slo_rows[run] = std::move(rows);
        names[run] = name;
      });
      c.cases.clear();
      bool all = true;
      for (size_t ci = 0; ci < cases.size(); ++ci) {
        CaseResult cr;
        cr.label = cases[ci].label;
        for (int k = 0; k < sp.seeds; ++k) {
          const size_t run = ci * static_cast<size_t>(sp.seeds) + static_cast<size_t>(k);
          cr.runs.push_back(names[run]);
          if (k == 0) cr.metrics = metric_rows[run];
          for (const auto& x : slo_rows[run]) {
            cr.pass = cr.pass && x.at("pass").get<bool>();
            bool found = false;
            for (auto& w : cr.slo)
              if (results::slo_id(w) == results::slo_id(x)) {
                found = true;
                if (relative_margin(x) < relative_margin(w)) w = x;
              }
            if (!found) cr.slo.push_back(x);
          }
        }
        all = all && cr.pass;
        c.cases.push_back(std::move(cr));
      }
      runs_done += n;
      sim_wall += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      std::fprintf(stderr, "  simulated %s: %s\n", sweep::candidate_label(sp, g).c_str(),
                   all ? "meets every SLO" : "misses an SLO");
      return all;
    };

    std::vector<size_t> sizes;
    for (const auto& a : sp.axes) sizes.push_back(a.values.size());
    sweep::GridProblem pr{sizes, [&](const sweep::GridIndex& g) { return cands[cand_of.at(g)].cost; }, hopeless, passes,
                          static_cast<size_t>(o->max_runs)};
    sweep::GridOutcome out;
    try {
      out = sweep::grid_search(pr);
    } catch (const std::exception& e) {
      std::cerr << "cachelab plan: " << io::printable(e.what(), 2000) << "\n";
      *code_ptr = kExitFailure;
      return;
    }

    // ---- What the plan was.
    const bool typed = !sp.node_types.empty();
    auto cost_text = [&](double c) {
      return typed ? sp.catalogue->currency + " " + fmt::money(c) + "/month" : fmt::sig(c, 3);
    };
    std::printf("%s: plan over %zu candidates:", base.name.c_str(), out.order.size());
    for (size_t d = 0; d < sp.axes.size(); ++d) {
      std::printf("%s %s {", d ? " x" : "", sp.axes[d].pointer.empty() ? "node type" : sp.axes[d].pointer.c_str());
      for (size_t j = 0; j < sp.axes[d].labels.size(); ++j)
        std::printf("%s%s", j ? "," : "", sp.axes[d].labels[j].c_str());
      std::printf("}");
    }
    std::printf("\n");
    std::string case_list;
    for (const auto& f : sp.failure_specs) case_list += (case_list.empty() ? "" : ", ") + f;
    std::printf("  cases: %s%s; %d seed%s each; SLOs:", case_list.c_str(),
                case_list.find("kill") != std::string::npos
                    ? (" (a kill at " + fmt::duration_s(sp.kill_at_s) +
                       (sp.kill_at_peak                                      ? ", the traffic peak)"
                        : base.resolved.at("plan").at("kill_at_s").is_null() ? ", mid-run: the rate is flat)"
                                                                             : ")"))
                          .c_str()
                    : "",
                sp.seeds, sp.seeds == 1 ? "" : "s");
    bool first_slo = true;
    for (const auto& x : evaluate_slos(slo, json{{"latency_us", {{"p50", 0}, {"p99", 0}, {"p999", 0}}},
                                                 {"hit_ratio", 0},
                                                 {"requests", 1},
                                                 {"failed_requests", 0},
                                                 {"cache_failed_requests", 0},
                                                 {"measured_s", 1},
                                                 {"origin", {{"requests", 0}}},
                                                 {"availability", 0},
                                                 {"writes_lost", 0}})) {
      // The targets only (the dummy summary fills the values): "latency_p99_ms 25.0 ms, hit_ratio_min 0.8000".
      std::printf("%s %s %s", first_slo ? "" : ",", results::slo_label(x).c_str(),
                  sweep::slo_value_text(x.at("name").get<std::string>(), x.at("target").get<double>()).c_str());
      first_slo = false;
    }
    std::printf("\n");
    if (typed) {
      std::printf(
          "  cost: nodes (masters x (1 + replicas)) x price per hour x %s h/month, from %s (%s); maxmemory = %s "
          "of a node type's memory; vCPUs and network are shown, not simulated\n",
          fmt::sig(sp.catalogue->hours_per_month, 3).c_str(), sp.catalogue->file.c_str(),
          io::printable(sp.catalogue->note, 200).c_str(), fmt::percent(sp.usable_memory_fraction, 2).c_str());
    } else {
      // The prices as the user wrote them: up to 4 significant digits, no padding zeros ("0.25 + 1", not
      // "0.2500 + 1.000").
      auto price = [](double v) {
        std::string t = fmt::sig(v, 4);
        if (t.find('.') != std::string::npos && t.find_first_of("eE") == std::string::npos) {
          t.erase(t.find_last_not_of('0') + 1);
          if (t.back() == '.') t.pop_back();
        }
        return t;
      };
      std::printf(
          "  cost: masters x (%s + %s x GiB of maxmemory) (the scenario's cost section or --price-node/--price-gb)\n",
          price(sp.price_per_node).c_str(), price(sp.price_per_gb).c_str());
    }
    size_t n_dom = 0, n_est = 0, n_skip = 0;
    for (const auto& [g, v] : out.verdict) {
      n_dom += v == sweep::GridVerdict::PrunedDominated;
      n_est += v == sweep::GridVerdict::PrunedEstimate;
      n_skip += v == sweep::GridVerdict::NotVisited;
    }
    std::printf(
        "  search: cheapest first (equal costs: strongest first); each knob's values run from least to most capacity, "
        "so a candidate no "
        "stronger on any knob than one that failed fails too and is not run (monotonic pruning: %zu); %zu ruled "
        "out by the analytic estimate; %zu simulated (%zu runs, %s); %zu not needed%s\n",
        n_dom, n_est, out.runs, runs_done, fmt::duration_s(sim_wall).c_str(), n_skip,
        out.run_limit_hit ? " (some because --max-runs was reached)" : " (they cost more than the answer)");

    // ---- The candidates, cheapest first.
    std::printf("  %-4s", "#");
    std::vector<size_t> widths;
    for (const auto& a : sp.axes) {
      std::string h = a.pointer.empty() ? "node type" : a.pointer.substr(a.pointer.rfind('/') + 1);
      size_t w = h.size();
      for (const auto& l : a.labels) w = std::max(w, l.size());
      widths.push_back(w);
      std::printf("%-*s  ", static_cast<int>(w), h.c_str());
    }
    std::printf("%5s  %-20s  %s\n", "nodes", "cost", "verdict");
    json cand_json = json::array();
    size_t rank = 0;
    for (const auto& g : out.order) {
      ++rank;
      const Candidate& c = cands[cand_of.at(g)];
      const auto v = out.verdict.at(g);
      std::string verdict;
      switch (v) {
        case sweep::GridVerdict::Pass:
          verdict = "PASS";
          break;
        case sweep::GridVerdict::Fail:
          verdict = "fail";
          break;
        case sweep::GridVerdict::PrunedDominated: {
          const auto& by = out.pruned_by.at(g);
          size_t r = 0;
          for (size_t i = 0; i < out.order.size(); ++i)
            if (out.order[i] == by) r = i + 1;
          verdict = "pruned: no stronger than #" + std::to_string(r) + ", which failed";
          break;
        }
        case sweep::GridVerdict::PrunedEstimate:
          verdict = "pruned: the analytic estimate misses the hit-ratio or origin SLO";
          break;
        case sweep::GridVerdict::NotVisited:
          verdict = "not run";
          break;
      }
      const bool show = v != sweep::GridVerdict::NotVisited || out.order.size() <= 40;
      if (show) {
        std::printf("  %-4zu", rank);
        for (size_t d = 0; d < sp.axes.size(); ++d)
          std::printf("%-*s  ", static_cast<int>(widths[d]), sp.axes[d].labels[g[d]].c_str());
        std::printf("%5d  %-20s  %s\n", sweep::node_count(c.s), cost_text(c.cost).c_str(), verdict.c_str());
        for (const auto& cr : c.cases)
          for (const auto& x : cr.slo)
            if (!x.at("pass").get<bool>()) std::printf("        misses %s\n", miss_text(x, cr.label).c_str());
      }
      json knobs = json::object();
      for (size_t d = 0; d < sp.axes.size(); ++d)
        knobs[sp.axes[d].pointer.empty() ? "node_type" : sp.axes[d].pointer] = sp.axes[d].labels[g[d]];
      json cases = json::array();
      for (const auto& cr : c.cases)
        cases.push_back(
            {{"case", cr.label}, {"pass", cr.pass}, {"slo", cr.slo}, {"metrics", cr.metrics}, {"runs", cr.runs}});
      static const char* names[] = {"pass", "fail", "pruned_dominated", "pruned_estimate", "not_run"};
      cand_json.push_back({{"rank", rank},
                           {"knobs", knobs},
                           {"masters", c.s.cluster.masters},
                           {"replicas_per_master", c.s.cluster.replicas_per_master},
                           {"nodes", sweep::node_count(c.s)},
                           {"maxmemory_bytes", c.s.cluster.store.maxmemory_bytes},
                           {"cost", c.cost},
                           {"verdict", names[static_cast<int>(v)]},
                           {"cases", cases}});
    }
    size_t shown_hidden = 0;
    if (out.order.size() > 40) shown_hidden = n_skip;
    if (shown_hidden) std::printf("  (%zu candidates not run are not listed; plan.json has them all)\n", shown_hidden);

    json plan = {{"scenario_file", o->file},  {"name", base.name},         {"seeds", sp.seeds},
                 {"cases", sp.failure_specs}, {"kill_at_s", sp.kill_at_s}, {"candidates", cand_json},
                 {"simulated", out.runs},     {"runs", runs_done},         {"pruned_dominated", n_dom},
                 {"pruned_estimate", n_est},  {"not_run", n_skip}};
    json axes = json::array();
    for (const auto& a : sp.axes)
      axes.push_back(
          {{"pointer", a.pointer.empty() ? "node_type" : a.pointer}, {"source", a.source}, {"values", a.labels}});
    plan["axes"] = axes;
    plan["cost_model"] =
        typed
            ? json{{"kind", "node_types"},
                   {"catalogue", sp.catalogue->file},
                   {"note", sp.catalogue->note},
                   {"currency", sp.catalogue->currency},
                   {"hours_per_month", sp.catalogue->hours_per_month},
                   {"usable_memory_fraction", sp.usable_memory_fraction},
                   {"unit", "per month"}}
            : json{{"kind", "scenario_cost"}, {"price_per_node", sp.price_per_node}, {"price_per_gb", sp.price_per_gb}};

    // ---- The answer.
    auto answer = [&](const char* label, const std::optional<sweep::GridIndex>& g) {
      if (!g) {
        plan[label] = nullptr;
        return;
      }
      const Candidate& c = cands[cand_of.at(*g)];
      std::string head;
      if (typed) {
        const auto& t = sp.node_types[g->back()];
        head = std::to_string(sweep::node_count(c.s)) + " x " + t.name + " (" +
               fmt::bytes(t.memory_gib * 1073741824.0) + ", " + std::to_string(t.vcpus) + " vCPU), " +
               sp.catalogue->currency + " " + fmt::money(c.cost) + " per month";
      } else {
        head = sweep::candidate_label(sp, *g) + " (cost " + fmt::sig(c.cost, 3) + ")";
      }
      std::printf("%s: %s\n", label, head.c_str());
      std::printf("      %d masters + %d replica%s each, maxmemory %s per node; %s\n", c.s.cluster.masters,
                  c.s.cluster.replicas_per_master, c.s.cluster.replicas_per_master == 1 ? "" : "s",
                  fmt::bytes(static_cast<double>(c.s.cluster.store.maxmemory_bytes)).c_str(),
                  sweep::candidate_label(sp, *g).c_str());
      // The binding SLO: the smallest relative margin over every case.
      std::string binding, binding_case;
      double tight = INFINITY;
      for (const auto& cr : c.cases)
        for (const auto& x : cr.slo) {
          const double r = relative_margin(x);
          std::printf("      %-26s %-12s target %-10s %s\n", results::slo_label(x).c_str(),
                      sweep::slo_value_text(x.at("name").get<std::string>(),
                                            x.at("value").is_number() ? x.at("value").get<double>() : NAN)
                          .c_str(),
                      sweep::slo_value_text(x.at("name").get<std::string>(), x.at("target").get<double>()).c_str(),
                      cr.label.c_str());
          if (r < tight) tight = r, binding = results::slo_label(x), binding_case = cr.label;
        }
      std::printf("      binding SLO: %s (%s), margin %s of the target\n", binding.c_str(), binding_case.c_str(),
                  fmt::percent(tight, 2).c_str());
      plan[label] = {{"rank", 0},
                     {"knobs", cand_json[0]["knobs"]},
                     {"cost", c.cost},
                     {"binding_slo", binding},
                     {"binding_case", binding_case},
                     {"text", head}};
      for (const auto& cj : cand_json) {
        bool same = true;
        for (size_t d = 0; d < sp.axes.size(); ++d)
          same = same && cj.at("knobs").at(sp.axes[d].pointer.empty() ? "node_type" : sp.axes[d].pointer) ==
                             sp.axes[d].labels[(*g)[d]];
        if (same) plan[label]["rank"] = cj.at("rank"), plan[label]["knobs"] = cj.at("knobs");
      }
      if (typed) plan[label]["node_type"] = sp.node_types[g->back()].name;
    };
    answer("best", out.best);
    answer("runner_up", out.runner_up);
    if (typed && out.best) std::printf("  prices: %s\n", io::printable(sp.catalogue->note, 300).c_str());

    // ---- Nothing passes: what stops every candidate, where, and what to widen.
    if (!out.best) {
      std::map<std::string, int> fails;
      std::map<std::string, std::pair<double, std::string>> closest;  // SLO -> (relative margin, text)
      int simulated = 0;
      for (const auto& c : cands) {
        if (c.cases.empty()) continue;
        ++simulated;
        std::set<std::string> failed_here;
        for (const auto& cr : c.cases)
          for (const auto& x : cr.slo) {
            if (x.at("pass").get<bool>()) continue;
            failed_here.insert(results::slo_label(x));
            const double r = relative_margin(x);
            const std::string n = results::slo_label(x);
            if (!closest.count(n) || r > closest[n].first)
              closest[n] = {r, miss_text(x, cr.label) + " at " + sweep::candidate_label(sp, c.g)};
          }
        for (const auto& n : failed_here) ++fails[n];
      }
      std::printf("best: none of the %zu candidates meets every SLO", out.order.size());
      json blocking = json::array();
      std::vector<std::string> stoppers;
      for (const auto& [n, k] : fails)
        if (k == simulated) stoppers.push_back(n);
      if (simulated == 0) {
        std::printf(" (none simulated: every one was ruled out by the analytic estimate)\n");
      } else if (!stoppers.empty()) {
        std::printf("\n");
        for (const auto& n : stoppers) {
          std::printf("  stops every candidate: %s (%s); closest: %s\n", n.c_str(), sweep::slo_about(n).c_str(),
                      closest[n].second.c_str());
          blocking.push_back({{"slo", n}, {"closest", closest[n].second}});
        }
      } else {
        std::printf("\n  no single SLO stops every simulated candidate:");
        for (const auto& [n, k] : fails) std::printf(" %s fails %d of %d;", n.c_str(), k, simulated);
        std::printf("\n");
      }
      // Widen: knobs whose strongest value was simulated and still failed, and knobs outside the search that move
      // the stopping SLOs.
      std::vector<std::string> widen;
      for (size_t d = 0; d < sp.axes.size(); ++d) {
        bool tried = false;
        for (const auto& c : cands)
          if (!c.cases.empty() && c.g[d] + 1 == sp.axes[d].values.size()) tried = true;
        if (!tried) continue;
        // A true/false knob has nothing beyond its values: it widens only to the value not in the search.
        bool has_true = false, has_false = false, all_bool = true;
        for (const auto& v : sp.axes[d].values) {
          all_bool = all_bool && v.is_boolean();
          if (v.is_boolean()) (v.get<bool>() ? has_true : has_false) = true;
        }
        if (all_bool && has_true && has_false) continue;
        if (all_bool)
          widen.push_back(sp.axes[d].pointer + " also " + (has_true ? "false" : "true") + " (only " +
                          sp.axes[d].labels.back() + " was searched)");
        else
          widen.push_back((sp.axes[d].pointer.empty() ? std::string("node types") : sp.axes[d].pointer) + " beyond " +
                          sp.axes[d].labels.back() + " (the strongest value tried)");
      }
      auto searched = [&](const std::string& p) {
        for (const auto& a : sp.axes)
          if (a.pointer == p || (p == "/cluster/maxmemory" && a.pointer.empty())) return true;
        return false;
      };
      std::set<std::string> hints;
      const bool kills = case_list.find("kill") != std::string::npos;
      for (const auto& [n, k] : fails) {
        if (n.rfind("latency", 0) == 0 || n == "availability_min" || n == "error_rate_max" ||
            n == "cache_error_rate_max") {
          if (kills) hints.insert("/cluster/node_timeout_ms"), hints.insert("/cluster/replicas_per_master");
          hints.insert("/clients/timeout_ms");
          hints.insert("/origin/servers");
          hints.insert("/cluster/masters");
        }
        if (n == "hit_ratio_min" || n == "origin_requests_per_s_max")
          hints.insert("/cluster/maxmemory"), hints.insert("/cluster/masters");
      }
      for (const auto& h : hints)
        if (!searched(h)) widen.push_back(h + " (not searched)");
      std::printf("  the search could widen:");
      for (size_t i = 0; i < widen.size(); ++i) std::printf("%s %s", i ? ";" : "", widen[i].c_str());
      if (widen.empty()) std::printf(" no knob it searched or knows of; the SLO targets may be out of reach");
      std::printf("\n");
      plan["blocking"] = blocking;
      plan["widen"] = widen;
    }
    try {
      std::ofstream f(dir / "plan.json");
      f << plan.dump(2) << "\n";
      f.close();
      if (!f) throw OutputError("cannot write " + (dir / "plan.json").string());
    } catch (const std::exception& e) {
      std::cerr << "cachelab plan: " << e.what() << "\n";
      *code_ptr = kExitFailure;
      return;
    }
    std::printf("  results  %s\n", dir.string().c_str());
    *code_ptr = out.best ? kExitOk : kExitNoPlan;
  });
}

static const Command plan_command("plan", add_plan);

}  // namespace cachelab::cli
