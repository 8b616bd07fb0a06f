#include "cachelab/sweep/runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <mutex>
#include <thread>

#include "cachelab/results/writer.hpp"
#include "cachelab/run/preflight.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/table.hpp"

namespace cachelab::sweep {

void parallel_for(size_t n, int jobs, const std::function<void(size_t)>& fn,
                  const std::function<void(size_t)>& on_done) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex mu;
  size_t done = 0;
  auto worker = [&] {
    for (size_t i; !failed && (i = next++) < n;) {
      try {
        fn(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(mu);
        if (!error) error = std::current_exception();
        failed = true;
        return;
      }
      std::lock_guard<std::mutex> lock(mu);
      ++done;
      if (on_done) on_done(done);
    }
  };
  const size_t threads = std::min<size_t>(static_cast<size_t>(std::max(1, jobs)), n);
  if (threads <= 1) {
    worker();
  } else {
    std::vector<std::thread> pool;
    for (size_t t = 0; t < threads; ++t) pool.emplace_back(worker);
    for (auto& t : pool) t.join();
  }
  if (error) std::rethrow_exception(error);
}

int default_jobs() { return std::max(1u, std::thread::hardware_concurrency()); }

ScenarioHead scenario_head(const std::string& file, const std::vector<std::string>& base_overrides) {
  const Scenario s = load_scenario_file(file, base_overrides);
  return {s.name, s.seed};
}

SweepResult run_sweep(const SweepSpec& spec, const std::filesystem::path& out, int jobs,
                      const std::function<void(size_t, size_t, double)>& progress) {
  const auto t0 = std::chrono::steady_clock::now();
  const ScenarioHead head = scenario_head(spec.file, spec.base_overrides);
  std::vector<uint64_t> seeds;
  for (int k = 0; k < spec.seeds; ++k) seeds.push_back(head.seed + static_cast<uint64_t>(k));

  struct Task {
    size_t point_slot;
    size_t seed_slot;
    Scenario scenario;
    std::string dir;
  };
  std::vector<GridPoint> points;
  for (auto& p : grid_points(spec.axes))
    if (spec.shard.contains(p.index)) points.push_back(std::move(p));
  // Load every run first: a bad value anywhere stops the sweep before any CPU is spent.
  std::vector<Task> tasks;
  for (size_t i = 0; i < points.size(); ++i)
    for (size_t k = 0; k < seeds.size(); ++k) {
      std::vector<std::string> o = spec.base_overrides;
      for (auto& x : point_overrides(spec.axes, points[i], seeds[k])) o.push_back(std::move(x));
      tasks.push_back({i, k, load_scenario_file(spec.file, o), run_dir_name(spec.axes, points[i], seeds[k])});
      tasks.back().scenario.calibration = spec.calibration;
    }
  // The pre-flight check of `cachelab run` (issue 21), for every run: `jobs` of them share the machine's memory.
  {
    const size_t concurrent =
        std::max<size_t>(1, std::min<size_t>(static_cast<size_t>(std::max(jobs, 1)), tasks.size()));
    const uint64_t memory = physical_memory_bytes();
    for (const Task& t : tasks)
      if (const std::string why = refuse_run(estimate_run(t.scenario), memory / concurrent); !why.empty())
        throw SpecError("cachelab sweep: run " + t.dir + " (" + std::to_string(concurrent) + " at a time) needs " +
                        why + "\nnothing was run");
  }
  std::filesystem::create_directories(out);
  std::vector<std::vector<RunRecord>> records(points.size(), std::vector<RunRecord>(seeds.size()));
  parallel_for(
      tasks.size(), jobs,
      [&](size_t i) {
        Task& t = tasks[i];
        const std::string started = utc_now_iso();
        RunOutput r = simulate(t.scenario);
        write_run_dir(out / t.dir, make_run_json(t.scenario, r, "sim", started), r.summary, r.series, r.events);
        records[t.point_slot][t.seed_slot] = {seeds[t.seed_slot], t.dir, metrics_of(r.summary), r.summary.at("slo")};
        { const Scenario released = std::move(t.scenario); }  // free the resolved JSON now, not at the end
      },
      [&](size_t done) {
        if (progress)
          progress(done, tasks.size(), std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count());
      });
  std::vector<nlohmann::json> rows;
  for (size_t i = 0; i < points.size(); ++i) rows.push_back(point_json(spec.axes, points[i], records[i]));
  SweepResult res;
  res.sweep = sweep_json(spec.file, head.name, spec.axes, seeds, spec.shard, std::move(rows));
  res.runs = tasks.size();
  write_sweep_files(out, res.sweep);
  res.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return res;
}

}  // namespace cachelab::sweep
