// cachelab sweep FILE --vary /json/pointer=v1,v2,... [--vary ...] [--seeds N] [--jobs N] [--out DIR] [--shard i/n|auto/n]
// cachelab sweep-merge DIR... [--out DIR]      (also: cachelab sweep --merge DIR...)
// A grid over knobs x seeds, run in parallel; one run directory per (point, seed) plus sweep.csv and sweep.json.
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <iostream>

#include "cachelab/io/input_file.hpp"
#include "cachelab/io/text.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/runner.hpp"
#include "cachelab/sweep/table.hpp"
#include "cachelab/io/number_format.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace fs = std::filesystem;

namespace {

int merge(const std::vector<std::string>& dirs, std::string out) {
  std::vector<nlohmann::json> parts;
  for (const auto& d : dirs) {
    // A regular file within 256 MiB: a FIFO would block, /dev/zero never end (issue 21).
    std::string text;
    try {
      text = io::read_regular_file((fs::path(d) / "sweep.json").string(), 256ull << 20, "sweep.json");
    } catch (const io::InputError& e) {
      std::cerr << "cachelab sweep-merge: " << io::printable(d) << " has no usable sweep.json: " << e.found() << "\n";
      return kExitBadInput;
    }
    try {
      parts.push_back(nlohmann::json::parse(text));
    } catch (const std::exception& e) {
      std::cerr << "cachelab sweep-merge: " << io::printable(d) << "/sweep.json: " << io::printable(e.what(), 300)
                << "\n";
      return kExitBadInput;
    }
  }
  nlohmann::json merged;
  try {
    merged = sweep::merge_sweeps(parts, dirs);
  } catch (const std::exception& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  }
  const fs::path dir = out.empty() ? default_run_dir("results", merged.at("name"), "sweep-merged") : fs::path(out);
  if (fs::exists(dir) && !fs::is_empty(dir)) {
    std::cerr << "cachelab sweep-merge: " << dir.string() << " exists and is not empty; nothing is overwritten\n";
    return kExitBadInput;
  }
  fs::create_directories(dir);
  sweep::write_sweep_files(dir, merged);
  std::cout << "merged " << merged.at("points").size() << " of " << merged.at("points_total").get<size_t>()
            << " points into " << (dir / "sweep.csv").string() << "\n";
  if (!merged.at("complete").get<bool>()) std::cerr << "cachelab sweep-merge: warning: some grid points are missing\n";
  return kExitOk;
}

}  // namespace

static void add_sweep(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd =
      app.add_subcommand("sweep", "run a grid of scenario variants x seeds in parallel (sweep.csv, sweep.json)");
  struct Opts {
    std::string file, out, shard, calibration;
    std::vector<std::string> vary, sets, merge;
    int seeds = 1, jobs = 0;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("FILE", o->file, "scenario file");
  cmd->add_option("--vary", o->vary, "an axis: /json/pointer=v1,v2,... or /json/pointer=[JSON array] (repeatable)");
  cmd->add_option("--set", o->sets, "a fixed override for every point: /json/pointer=VALUE (repeatable)");
  cmd->add_option("--calibration", o->calibration, kCalibrationHelp);
  cmd->add_option("--seeds", o->seeds, "seeds per point: the scenario's seed + 0..N-1 (default 1)")
      ->check(positive_number());
  cmd->add_option("--jobs", o->jobs, "simulations at once (default: all hardware threads)")->check(positive_number());
  cmd->add_option("--out", o->out, "sweep directory (default results/<name>/<UTC time>-sweep)");
  cmd->add_option("--shard", o->shard,
                  "run only shard i of n (1 <= i <= n): points with index % n == i-1; or auto/n: "
                  "i-1 from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID "
                  "(sbatch --array=0-(n-1)), both 0-based");
  cmd->add_option("--merge", o->merge, "merge the sweep directories of shards instead of running (= sweep-merge)");
  cmd->callback([code_ptr, o] {
    if (!o->merge.empty()) {
      *code_ptr = merge(o->merge, o->out);
      return;
    }
    if (o->file.empty()) {
      std::cerr << "cachelab sweep: a scenario FILE is required (or --merge DIR...)\n";
      *code_ptr = kExitBadInput;
      return;
    }
    sweep::SweepSpec spec;
    if (!add_calibration_overrides("sweep", o->calibration, o->sets, &spec.calibration)) {
      *code_ptr = kExitBadInput;
      return;
    }
    spec.file = o->file;
    spec.base_overrides = o->sets;
    spec.seeds = o->seeds;
    try {
      for (const auto& v : o->vary) spec.axes.push_back(sweep::parse_vary(v));
      if (spec.axes.empty()) throw sweep::SpecError("cachelab sweep: give at least one --vary /json/pointer=v1,v2,...");
      sweep::check_axes(spec.axes);
      if (!o->shard.empty()) {
        std::string source;
        spec.shard = sweep::resolve_shard(o->shard, sweep::process_env, &source);
        if (!source.empty())
          std::fprintf(stderr, "cachelab sweep: shard %d/%d (%s=%d)\n", spec.shard.index, spec.shard.count,
                       source.c_str(), spec.shard.index - 1);
      }
    } catch (const sweep::SpecError& e) {
      std::cerr << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    sweep::ScenarioHead head;
    try {
      head = sweep::scenario_head(o->file, o->sets);
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n";
      *code_ptr = kExitBadInput;
      return;
    }
    const fs::path dir = o->out.empty() ? default_run_dir("results", head.name, "sweep") : fs::path(o->out);
    if (fs::exists(dir) && !fs::is_empty(dir)) {
      std::cerr << "cachelab sweep: " << dir.string() << " exists and is not empty; nothing is overwritten\n";
      *code_ptr = kExitBadInput;
      return;
    }
    const int jobs = o->jobs > 0 ? o->jobs : sweep::default_jobs();
    const bool tty = isatty(STDERR_FILENO);
    auto progress = [tty](size_t done, size_t total, double wall) {
      if (!tty) return;
      const double eta = done ? wall * static_cast<double>(total - done) / static_cast<double>(done) : 0;
      std::fprintf(stderr, "\r\033[Ksweep: %zu/%zu runs done, %.0f s elapsed, ETA %.0f s", done, total, wall, eta);
      if (done == total) std::fprintf(stderr, "\r\033[K");
    };
    sweep::SweepResult r;
    try {
      r = sweep::run_sweep(spec, dir, jobs, progress);
    } catch (const ScenarioError& e) {
      // A value on an axis is not valid for its knob: the loader's message names the pointer and the value.
      std::cerr << e.what() << "\nnothing was run (a --vary value is invalid)\n";
      *code_ptr = kExitBadInput;
      return;
    } catch (const sweep::SpecError& e) {  // a run beyond the machine (pre-flight): refused before any CPU is spent
      std::cerr << e.what() << "\n";
      release_run_dir(dir);  // only while still empty
      *code_ptr = kExitBadInput;
      return;
    } catch (const std::exception& e) {
      std::cerr << "cachelab sweep: " << e.what() << "\n";
      *code_ptr = kExitFailure;
      return;
    }
    size_t pass = 0;
    for (const auto& p : r.sweep.at("points")) pass += p.at("slo_pass").get<bool>();
    std::printf("%zu points x %d seed(s) = %zu runs on %d thread(s) in %s; %zu point(s) meet every SLO\n",
                r.sweep.at("points").size(), o->seeds, r.runs, jobs, fmt::duration_s(r.wall_s).c_str(), pass);
    std::printf("results  %s\n", (dir / "sweep.csv").string().c_str());
    *code_ptr = kExitOk;
  });
}

static void add_sweep_merge(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;
  auto* cmd =
      app.add_subcommand("sweep-merge", "merge the sweep directories of shards (--shard i/n) into one sweep.csv");
  struct Opts {
    std::vector<std::string> dirs;
    std::string out;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("DIR", o->dirs, "sweep directories of the shards")->required();
  cmd->add_option("--out", o->out, "merged directory (default results/<name>/<UTC time>-sweep-merged)");
  cmd->callback([code_ptr, o] { *code_ptr = merge(o->dirs, o->out); });
}

static const Command sweep_command("sweep", add_sweep);
static const Command registered_merge("sweep-merge", add_sweep_merge);

}  // namespace cachelab::cli
