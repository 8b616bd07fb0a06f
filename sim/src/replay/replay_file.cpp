// Replay from a file: the configs are split over threads; each thread streams the trace once (TraceStream) and
// hands every block to each of its runs in turn, so a block is decoded once per thread and stays in the core's
// caches while its runs consume it. Ids are numbered densely (DenseIds, a table as large as the trace's objects)
// only when a run needs it (ReplayRun::needs_dense_ids) or the working set is counted on the way.
#include <algorithm>
#include <exception>
#include <thread>

#include "cachelab/replay/simulator.hpp"
#include "dense_ids.hpp"

namespace cachelab::replay {

namespace {

struct Group {
  std::vector<size_t> jobs;  // indices into the configs
  bool count = false;
};

void run_group(const std::string& path, TraceFormat format, const std::vector<ReplayConfig>& configs,
               const ReplayFileOptions& opt, const Group& g, std::vector<ReplayResult>& out) {
  TraceStream in(path, format);
  std::vector<ReplayRun> runs;
  auto block = in.next();
  uint64_t objects = 0, ws_bytes = 0;
  if (opt.known) {
    objects = opt.known->objects;
    ws_bytes = opt.known->working_set_bytes;
  } else if (!block.empty()) {
    // Without a scan: the first block's mean request size stands for the mean object size, and at most 2^22
    // objects are expected (only a hint: arrays grow past it).
    uint64_t bytes = 0;
    for (const TraceRecord& r : block) bytes += r.size_bytes;
    objects = uint64_t{1} << 22;
    ws_bytes = objects * std::max<uint64_t>(1, bytes / block.size());
  }
  for (size_t j : g.jobs) {
    const ReplayConfig& c = configs[j];
    runs.emplace_back(c, expected_objects(c.capacity_bytes, c.unit_size, objects, ws_bytes), in.has_time());
  }
  bool dense_needed = g.count;
  for (const ReplayRun& r : runs) dense_needed = dense_needed || r.needs_dense_ids();
  DenseIds ids(opt.known ? opt.known->objects : 1 << 16);
  std::vector<uint32_t> dense;
  TraceSummary counted;
  constexpr size_t kAhead = 16;  // see scan_trace
  for (; !block.empty(); block = in.next()) {
    const size_t n = block.size();
    if (dense_needed) {
      dense.resize(n);
      for (size_t i = 0; i < std::min(n, kAhead); ++i) ids.prefetch(block[i].id);
      for (size_t i = 0; i < n; ++i) {
        if (i + kAhead < n) ids.prefetch(block[i + kAhead].id);
        bool fresh;
        dense[i] = ids.number(block[i].id, fresh);
        if (fresh) counted.working_set_bytes += block[i].size_bytes;
        counted.requested_bytes += block[i].size_bytes;
      }
      counted.requests += n;
    }
    for (ReplayRun& r : runs) r.feed(block, r.needs_dense_ids() ? dense.data() : nullptr);
  }
  for (size_t k = 0; k < runs.size(); ++k) out[g.jobs[k]] = runs[k].finish();
  if (g.count) {
    counted.objects = ids.size();
    *opt.count = counted;
  }
}

}  // namespace

std::vector<ReplayResult> replay_file(const std::string& path, TraceFormat format,
                                      const std::vector<ReplayConfig>& configs, const ReplayFileOptions& opt) {
  std::vector<ReplayResult> out(configs.size());
  const size_t n_groups = std::max<size_t>(1, std::min<size_t>(std::max(1u, opt.threads), configs.size()));
  std::vector<Group> groups(n_groups);
  for (size_t j = 0; j < configs.size(); ++j) groups[j % n_groups].jobs.push_back(j);
  groups[0].count = opt.count != nullptr;
  std::vector<std::exception_ptr> errors(n_groups);
  auto work = [&](size_t g) {
    try {
      run_group(path, format, configs, opt, groups[g], out);
    } catch (...) {
      errors[g] = std::current_exception();
    }
  };
  std::vector<std::thread> threads;
  for (size_t g = 1; g < n_groups; ++g) threads.emplace_back(work, g);
  work(0);
  for (auto& t : threads) t.join();
  for (const auto& e : errors)
    if (e) std::rethrow_exception(e);
  return out;
}

}  // namespace cachelab::replay
