// cachelab-live live FILE (--spawn | --redis HOST:PORT[,...]) [--compare]: the default command, so
// `cachelab live FILE --spawn` (which execs `cachelab-live FILE --spawn`) lands here. The work is in live/replay/driver.
// --compare then simulates the same resolved scenario with the same seed and compares the two runs
// (`cachelab compare LIVE SIM`), exiting as compare does: 0 all within tolerance, 1 not.
#include <filesystem>
#include <iostream>
#include <memory>

#include "cachelab/io/text.hpp"
#include "cachelab/results/compare.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/calibration.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"
#include "live/replay/driver.hpp"

namespace cachelab::live::cli {

namespace {

// The simulated twin of a live run: same file, overrides and seed, written next to the live run.
int simulate_and_compare(const LiveOptions& opts, const std::filesystem::path& live_dir,
                         const std::vector<std::string>& tolerances, bool as_json) {
  std::vector<std::string> sets = opts.sets;
  if (opts.seed) sets.push_back("/seed=" + std::to_string(*opts.seed));
  Scenario s = load_scenario_file(opts.file, sets);
  s.calibration = opts.calibration;
  std::filesystem::path sim_dir = live_dir;
  sim_dir.replace_filename(live_dir.filename().string() + "-sim");
  const std::string started = utc_now_iso();
  std::cerr << "simulating the same scenario (seed " << s.seed << ") into " << sim_dir.string() << "\n";
  const RunOutput out = simulate(s);
  write_run_dir(sim_dir, make_run_json(s, out, "sim", started), out.summary, out.series, out.events);
  // A scenario that says what it validates is judged on exactly that; otherwise compare's defaults. --tol on top.
  compare::Tolerances t;
  const auto& validates = s.resolved.at("compare").at("validates");
  if (validates.empty()) t = compare::default_tolerances();
  for (const auto& v : validates)
    t[v.at("metric").get<std::string>()] = {v.at("tolerance").get<double>(), v.at("relative").get<bool>()};
  for (const auto& x : tolerances) compare::parse_tolerance(x, t);
  const auto v = compare::compare_runs(live_dir.string(), sim_dir.string(), t);
  std::cout << (as_json ? v.dump(2) + "\n" : compare::format_verdict(v));
  return v["pass"].get<bool>() ? 0 : 1;
}

}  // namespace

Command add_live(CLI::App& app) {
  auto* sub = app.add_subcommand("live", "Replay a scenario on real Redis (the default: cachelab-live FILE --spawn)");
  auto o = std::make_shared<LiveOptions>();
  auto seed = std::make_shared<uint64_t>(0);
  auto do_compare = std::make_shared<bool>(false);
  auto tols = std::make_shared<std::vector<std::string>>();
  sub->add_option("file", o->file, "Scenario file")->required();
  sub->add_flag("--spawn", o->spawn, "Start a private lab of redis-server processes on loopback");
  sub->add_option("--redis", o->redis, "Use these servers (HOST:PORT[,...]); password from CACHELAB_REDIS_PASSWORD");
  sub->add_option("--prefix", o->prefix, "--redis: key prefix (default cachelab:<start time>:)");
  sub->add_flag("--allow-non-empty", o->allow_non_empty, "--redis: use a target that already holds keys");
  sub->add_flag("--keep-keys", o->keep_keys, "--redis: keep the run's keys (default: deleted after the run)");
  auto* seed_opt = sub->add_option("--seed", *seed, "Override the scenario's seed");
  sub->add_option("--set", o->sets, "Override a knob: /json/pointer=value (repeatable)");
  auto calibration = std::make_shared<std::string>();
  sub->add_option("--calibration", *calibration,
                  "Apply a host calibration (cachelab-live calibrate) as --set before yours: what --compare's "
                  "simulated twin runs with (live measures the real round trip and service time)");
  sub->add_option("--out", o->out, "Run directory (default results/<name>/<UTC time>-live)");
  sub->add_option("--results", o->results_root, "Root of the default run directory")->capture_default_str();
  sub->add_flag("--json", o->json, "Print summary.json on stdout (with --compare: the verdict)");
  sub->add_flag("--closed-loop", o->closed_loop, "Issue requests as fast as replies come (benchmarks)");
  sub->add_option("--concurrency", o->concurrency, "--closed-loop: requests in flight")->capture_default_str();
  sub->add_flag("--compare", *do_compare,
                "Also simulate the same scenario and seed (run directory <live dir>-sim) and compare the two; "
                "exit 0 when every metric is within tolerance, 1 otherwise");
  sub->add_option("--tol", *tols, "--compare: metric=0.02 (absolute) or metric=3% (relative); repeatable");
  auto trace = std::make_shared<std::pair<std::string, std::string>>();
  sub->add_option("--trace-requests", trace->first,
                  "Follow N requests hop by hop into requests.jsonl (as cachelab run)");
  sub->add_option("--trace-window", trace->second, "With --trace-requests: only requests due in FROM:TO seconds");
  return {sub, [o, seed, seed_opt, do_compare, tols, trace, calibration]() -> int {
            LiveOptions opts = *o;
            try {
              opts.sets = with_calibration(*calibration, opts.sets, &opts.calibration);
            } catch (const ScenarioError& e) {
              std::cerr << e.what() << "\ncachelab live: --calibration: nothing was run\n";
              return 2;
            }
            if (const std::string why = parse_trace_options(trace->first, trace->second, opts.trace); !why.empty()) {
              std::cerr << "cachelab live: " << io::printable(why) << "\nnothing was run\n";
              return 2;
            }
            if (seed_opt->count()) opts.seed = *seed;
            if (!*do_compare) return run_live(opts);
            if (opts.closed_loop) {
              std::cerr << "cachelab live: --compare needs the scenario's open-loop arrivals (the simulator has no "
                           "--closed-loop); drop one of them\n";
              return 2;
            }
            const bool as_json = opts.json;
            opts.json = false;
            std::filesystem::path live_dir;
            try {
              // The live run's directory is fixed up front, so the simulated twin can be placed next to it.
              if (opts.out.empty()) {
                std::vector<std::string> sets = opts.sets;
                if (opts.seed) sets.push_back("/seed=" + std::to_string(*opts.seed));
                const Scenario s = load_scenario_file(opts.file, sets);
                opts.out = default_run_dir(opts.results_root, s.name, "live").string();
              }
              live_dir = opts.out;
              for (const auto& x : *tols) {  // a malformed tolerance is bad input: refuse before running anything
                compare::Tolerances t;
                compare::parse_tolerance(x, t);
              }
            } catch (const ScenarioError& e) {
              std::cerr << e.what() << "\nnothing was run\n";
              return 2;
            } catch (const std::exception& e) {
              std::cerr << "cachelab live: " << e.what() << "\n";
              return 2;
            }
            const int rc = run_live(opts);
            if (rc != 0) return rc;
            try {
              return simulate_and_compare(opts, live_dir, *tols, as_json);
            } catch (const std::exception& e) {
              std::cerr << "cachelab live --compare: " << e.what() << "\n";
              return 2;
            }
          }};
}

}  // namespace cachelab::live::cli
