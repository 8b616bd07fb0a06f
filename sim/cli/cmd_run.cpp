// cachelab run FILE [--seed N] [--out DIR] [--set PTR=VALUE]... [--json] [--check-slo] [--trace-requests N]
// Prints the seed first, shows progress on stderr when it is a terminal, writes the run directory, and prints a
// summary table (or summary.json with --json).
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include "cachelab/client/request_tracer.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/results/summary_text.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/run/preflight.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

class Progress final : public RunObserver {
 public:
  explicit Progress(bool enabled) : enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  ~Progress() override {
    if (enabled_ && shown_) std::fprintf(stderr, "\r\033[K");
  }
  void on_progress(double fraction, uint64_t requests) override {
    if (!enabled_) return;
    const double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    if (wall - last_ < 0.2 && fraction < 1) return;
    last_ = wall;
    shown_ = true;
    const double rate = wall > 0 ? requests / wall : 0;
    const double eta = fraction > 0 ? wall * (1 - fraction) / fraction : 0;
    std::fprintf(stderr, "\r\033[K%5.1f%% of virtual time  %6.2fM simulated req/s  ETA %.0fs", 100 * fraction,
                 rate / 1e6, eta);
  }

 private:
  bool enabled_;
  bool shown_ = false;
  double last_ = -1;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace

static void add_run(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  auto* cmd = app.add_subcommand("run", "simulate a scenario and write its results directory");
  struct Opts {
    std::string file, out, trace, window, calibration;
    std::vector<std::string> sets;
    uint64_t seed = 0;
    bool json = false, check_slo = false, no_write = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("FILE", o->file, "scenario file")->required();
  auto* seed_opt = cmd->add_option("--seed", o->seed, "master seed (overrides the scenario's)")
                       ->check(non_negative_number());  // "-1" would wrap to 2^64 - 1 in an unsigned option
  cmd->add_option("--out", o->out, "run directory (default results/<name>/<UTC time>-sim)");
  cmd->add_option("--set", o->sets, "override a knob: /json/pointer=VALUE (repeatable)");
  cmd->add_option("--calibration", o->calibration, kCalibrationHelp);
  cmd->add_flag("--json", o->json, "print summary.json on stdout instead of the table");
  cmd->add_flag("--check-slo", o->check_slo, "exit 3 when an SLO fails");
  cmd->add_flag("--no-write", o->no_write, "do not write a results directory");
  auto* trace_opt =
      cmd->add_option("--trace-requests", o->trace,
                      "follow N requests hop by hop into requests.jsonl (a uniform sample of the run; 1.." +
                          std::to_string(RequestTracer::kMaxLimit) + ")");
  cmd->add_option("--trace-window", o->window,
                  "with --trace-requests: sample only requests due in FROM:TO seconds (TO empty: to the end)");
  cmd->callback([code_ptr, o, seed_opt, trace_opt] {
    TraceOptions trace;
    // An empty N ("--trace-requests ''") is a bad N, not an absent option.
    const std::string n = trace_opt->count() && o->trace.empty() ? std::string("''") : o->trace;
    if (const std::string why = parse_trace_options(n, o->window, trace); !why.empty()) {
      std::cerr << "cachelab run: " << io::printable(why) << "\nnothing was run\n";
      *code_ptr = kExitBadInput;
      return;
    }
    std::vector<std::string> sets = o->sets;
    CalibrationUse calibration;
    if (!add_calibration_overrides("run", o->calibration, sets, &calibration)) {
      *code_ptr = kExitBadInput;
      return;
    }
    if (seed_opt->count()) sets.push_back("/seed=" + std::to_string(o->seed));
    Scenario s;
    try {
      s = load_scenario_file(o->file, sets);
      s.calibration = calibration;
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\nnothing was run (" << e.total_issues() << " problem"
                << (e.total_issues() == 1 ? "" : "s") << ")\n";
      *code_ptr = kExitBadInput;
      return;
    }
    // Before anything is simulated: refuse a run beyond the machine, with the numbers (issue 21).
    const RunEstimate estimate = estimate_run(s);
    if (const std::string why = refuse_run(estimate, physical_memory_bytes()); !why.empty()) {
      std::cerr << io::printable(o->file) << ": this run needs " << why << "\nnothing was run\n";
      *code_ptr = kExitBadInput;
      return;
    }
    namespace fs = std::filesystem;
    fs::path dir;
    if (!o->no_write) {
      // Reserved now, so an unwritable or taken location fails before the simulation, and two runs started in the
      // same second never pick one name.
      try {
        dir = o->out.empty() ? default_run_dir("results", s.name, "sim") : reserve_run_dir(o->out);
      } catch (const OutputError& e) {
        std::cerr << "cachelab run: " << io::printable(e.what()) << "\nnothing was run\n";
        *code_ptr = kExitBadInput;
        return;
      }
    }
    // The seed comes first, so any run can be reproduced from its log.
    (o->json ? std::cerr : std::cout) << "seed " << s.seed << "\n" << std::flush;
    const std::string started = utc_now_iso();
    Progress progress(isatty(STDERR_FILENO));
    RunOutput out;
    try {
      out = simulate(s, &progress, trace);
    } catch (const std::exception& e) {
      std::cerr << "\ncachelab run: simulation failed: " << e.what() << "\n";
      if (!o->no_write) release_run_dir(dir);
      *code_ptr = kExitFailure;
      return;
    }
    if (!o->no_write) {
      try {
        write_run_dir(dir, make_run_json(s, out, "sim", started), out.summary, out.series, out.events,
                      out.traced ? &out.requests : nullptr);
      } catch (const std::exception& e) {
        std::cerr << "cachelab run: " << e.what() << "\n";
        release_run_dir(dir);
        *code_ptr = kExitFailure;
        return;
      }
    }
    if (o->json)
      std::cout << out.summary.dump(2) << "\n";
    else
      std::cout << results::summary_text(out.summary,
                                         {s.name, s.title, s.warmup_s, s.duration_s, o->no_write ? "" : dir.string()});
    *code_ptr = kExitOk;
    if (o->check_slo)
      for (const auto& slo : out.summary["slo"])
        if (!slo["pass"].get<bool>()) *code_ptr = kExitSloFailed;
  });
}

static const Command run_command("run", add_run);

}  // namespace cachelab::cli
