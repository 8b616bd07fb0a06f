// cachelab replay TRACE: libCacheSim-compatible trace replay (docs/validation.md §0)
// under the policies of ObjectPolicyRegistry (cache/object_policy.hpp: the reference policies a node runs too,
// Belady, and Redis's allkeys-* on a Store), for each policy x cache size, in parallel.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <memory>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "cachelab/io/text.hpp"
#include "cachelab/replay/simulator.hpp"
#include "cachelab/results/writer.hpp"
#include "cachelab/schema/schema.hpp"
#include "cachelab/io/number_format.hpp"
#include "commands.hpp"

namespace cachelab::cli {

namespace {

struct ReplayArgs {
  std::string trace, format = "oracleGeneral", policies = "lru", sizes, out_dir, mrc, sampling = "uniform";
  int samples = 5;
  bool unit_size = false, ignore_size = false, json = false;
  uint32_t ttl_s = 0;
  uint64_t seed = 1;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item.erase(0, item.find_first_not_of(" \t"));
    item.erase(item.find_last_not_of(" \t") + 1);
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// "128mb" (redis.conf units: k = 1000, kb = 1024), "4096" (bytes, or objects with --unit-size) or "1%" / "0.5%"
// of the working set (bytes of distinct objects; distinct objects with --unit-size).
bool parse_cache_size(const std::string& text, uint64_t working_set, uint64_t& out) {
  if (!text.empty() && text.back() == '%') {
    char* end = nullptr;
    const std::string num = text.substr(0, text.size() - 1);
    const double pct = std::strtod(num.c_str(), &end);
    if (num.empty() || *end != '\0' || !(pct > 0) || pct > 100) return false;
    out = static_cast<uint64_t>(static_cast<double>(working_set) * pct / 100.0);
    return out > 0;
  }
  return schema::parse_size(text, out) && out > 0;
}

// A cache size as the table prints it: an exact binary unit as such ("128 MiB"), any other size by magnitude with
// cachelab::fmt ("15.4 KiB", as the working-set line): --size 1% gives sizes like 15814 bytes, which printed whole
// were the one place a table read "15814B" beside "46.8 KiB". --json and --mrc keep the exact bytes.
std::string human_bytes(uint64_t b, bool unit_size) {
  if (unit_size) return fmt::count(static_cast<double>(b)) + " obj";
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4 && std::fmod(v, 1024) == 0) v /= 1024, ++u;
  if (u > 0 || v < 1024) return std::to_string(static_cast<uint64_t>(v)) + " " + units[u];
  return fmt::bytes(static_cast<double>(b));
}

int run_replay(const ReplayArgs& a) {
  auto fail = [](const std::string& msg) {
    std::cerr << "cachelab replay: " << io::printable(msg) << "\n";
    return kExitBadInput;
  };
  replay::TraceFormat format;
  if (!replay::parse_trace_format(a.format, format))
    return fail("unknown --format '" + a.format + "' (expected oracleGeneral, csv or txt)");
  const auto policies = split_list(a.policies);
  if (policies.empty()) return fail("--policy needs at least one policy");
  std::vector<std::string> names = ObjectPolicyRegistry::instance().names();
  for (const auto& p : policies) {
    if (!ObjectPolicyRegistry::instance().find(p)) {
      std::string known;
      for (const auto& n : names) known += (known.empty() ? "" : ", ") + n;
      const std::string hint = schema::did_you_mean(p, names);
      return fail("unknown --policy '" + p + "'" + (hint.empty() ? "" : " (did you mean '" + hint + "'?)") +
                  "; known: " + known);
    }
  }
  auto size_texts = split_list(a.sizes);
  // A miss-ratio curve without --size: 16 points spaced by a factor of ~1.58 from 0.1 % to 100 % of the working set.
  if (size_texts.empty() && !a.mrc.empty())
    for (const char* p : {"0.1%", "0.16%", "0.25%", "0.4%", "0.63%", "1%", "1.6%", "2.5%", "4%", "6.3%", "10%", "16%",
                          "25%", "40%", "63%", "100%"})
      size_texts.push_back(p);
  if (size_texts.empty()) return fail("--size needs at least one size (e.g. 128mb,1gb or 1%,10%)");
  if (a.samples < 1 || a.samples > 64) return fail("--samples must be 1..64 (maxmemory-samples)");
  if (a.sampling != "uniform" && a.sampling != "buckets")
    return fail("unknown --sampling '" + a.sampling + "' (expected uniform or buckets)");
  const bool unit_size = a.unit_size || a.ignore_size;
  if (a.ttl_s && format == replay::TraceFormat::Txt) return fail("--ttl needs timestamps; txt traces have none");
  // Every output location is checked before the replay: a typo must not cost the whole run (issue 21).
  if (!a.mrc.empty())
    if (const std::string why = check_output_file(a.mrc); !why.empty()) return fail("--mrc: " + why);
  if (!a.out_dir.empty())
    if (const std::string why = check_output_dir(a.out_dir); !why.empty()) return fail("--out: " + why);

  // Percent sizes need the working set before the replay: one counting pass first. Otherwise the working set
  // (reported with the results) is counted during the replay itself. oracleGeneral is streamed (memory follows the
  // caches, not the trace); csv and txt are read whole once (their next accesses need a backward pass).
  bool percent = false;
  for (const auto& t : size_texts) percent = percent || (!t.empty() && t.back() == '%');
  const bool streamed = format == replay::TraceFormat::OracleGeneral;
  replay::Trace trace;
  replay::TraceSummary summary;
  try {
    if (streamed) {
      if (percent) summary = replay::scan_trace(a.trace, format);
    } else {
      trace = replay::read_trace(a.trace, format);
      summary = {trace.requests.size(), trace.objects, trace.requested_bytes, trace.working_set_bytes};
    }
  } catch (const replay::TraceError& e) {
    return fail(e.what());
  }
  // A hit ratio of 1.0 on 0 requests is not a result (a streamed replay without a percent size counts as it goes:
  // checked again after it).
  const std::string empty_trace = "'" + a.trace + "' holds no requests (an empty trace)";
  if ((!streamed || percent) && summary.requests == 0) return fail(empty_trace);
  const uint64_t working_set = unit_size ? summary.objects : summary.working_set_bytes;
  std::vector<uint64_t> sizes;
  for (const auto& t : size_texts) {
    uint64_t v = 0;
    if (!parse_cache_size(t, working_set, v))
      return fail("bad --size '" + t +
                  "' (a redis.conf size like 128mb, a count with --unit-size, or a percent "
                  "of the working set like 10%)");
    sizes.push_back(v);
  }

  // Every policy x size is independent: run them on all cores (each run owns its policy and arrays).
  std::vector<replay::ReplayConfig> configs;
  for (const auto& p : policies)
    for (uint64_t s : sizes) {
      replay::ReplayConfig c{p, s, unit_size, a.ttl_s, a.seed};
      c.maxmemory_samples = a.samples;
      c.sampling = a.sampling;
      configs.push_back(c);
    }
  const unsigned n_threads = std::max(1u, std::min<unsigned>(std::thread::hardware_concurrency(), configs.size()));
  std::vector<replay::ReplayResult> results(configs.size());
  try {
    if (streamed) {
      replay::ReplayFileOptions opt;
      opt.threads = n_threads;
      if (percent)
        opt.known = &summary;
      else
        opt.count = &summary;
      results = replay::replay_file(a.trace, format, configs, opt);
    } else {
      std::atomic<size_t> next{0};
      auto worker = [&] {
        for (size_t j; (j = next.fetch_add(1)) < configs.size();) results[j] = replay::replay(trace, configs[j]);
      };
      std::vector<std::thread> threads;
      for (unsigned t = 1; t < n_threads; ++t) threads.emplace_back(worker);
      worker();
      for (auto& t : threads) t.join();
    }
  } catch (const replay::TraceError& e) {
    return fail(e.what());
  }
  if (summary.requests == 0) return fail(empty_trace);

  if (a.json) {
    nlohmann::json out{{"trace", a.trace},
                       {"format", replay::trace_format_name(format)},
                       {"requests", summary.requests},
                       {"objects", summary.objects},
                       {"working_set_bytes", summary.working_set_bytes},
                       {"unit_size", unit_size},
                       {"samples", a.samples},
                       {"sampling", a.sampling},
                       {"results", nlohmann::json::array()}};
    for (const auto& r : results) {
      out["results"].push_back({{"policy", r.policy},
                                {"cache_size_bytes", r.capacity_bytes},
                                {"requests", r.requests},
                                {"misses", r.misses},
                                {"miss_bytes", r.miss_bytes},
                                {"miss_ratio", r.miss_ratio()},
                                {"byte_miss_ratio", r.byte_miss_ratio()},
                                {"hit_ratio", 1 - r.miss_ratio()},
                                {"byte_hit_ratio", 1 - r.byte_miss_ratio()}});
    }
    std::cout << out.dump(2) << "\n";
  } else {
    std::cout << io::printable(a.trace) << ": " << fmt::count(static_cast<double>(summary.requests)) << " requests, "
              << fmt::count(static_cast<double>(summary.objects)) << " objects, working set "
              << fmt::bytes(static_cast<double>(summary.working_set_bytes)) << "\n";
    std::cout << std::left << std::setw(10) << "policy" << std::right << std::setw(16) << "cache_size" << std::setw(12)
              << "requests" << std::setw(12) << "misses" << std::setw(11) << "hit_ratio" << std::setw(11)
              << "miss_ratio" << std::setw(16) << "byte_hit_ratio" << std::setw(17) << "byte_miss_ratio"
              << "\n";
    for (const auto& r : results) {
      std::cout << std::left << std::setw(10) << r.policy << std::right << std::setw(16)
                << human_bytes(r.capacity_bytes, unit_size) << std::setw(12)
                << fmt::count(static_cast<double>(r.requests)) << std::setw(12)
                << fmt::count(static_cast<double>(r.misses)) << std::setw(11) << fmt::ratio(1 - r.miss_ratio())
                << std::setw(11) << fmt::ratio(r.miss_ratio()) << std::setw(16) << fmt::ratio(1 - r.byte_miss_ratio())
                << std::setw(17) << fmt::ratio(r.byte_miss_ratio()) << "\n";
    }
  }
  if (!a.mrc.empty()) {
    // The miss-ratio curve: one row per policy and size, sizes ascending within a policy.
    std::vector<const replay::ReplayResult*> rows;
    for (const auto& r : results) rows.push_back(&r);
    std::stable_sort(rows.begin(), rows.end(), [](const auto* x, const auto* y) {
      return x->policy != y->policy ? x->policy < y->policy : x->capacity_bytes < y->capacity_bytes;
    });
    std::ofstream f(a.mrc);
    if (!f) {
      std::cerr << "cachelab replay: cannot write " << io::printable(a.mrc) << "\n";
      return kExitFailure;
    }
    f << "policy," << (unit_size ? "cache_size_objects" : "cache_size_bytes") << ",miss_ratio,byte_miss_ratio\n";
    f << std::setprecision(10);
    for (const auto* r : rows)
      f << r->policy << ',' << r->capacity_bytes << ',' << r->miss_ratio() << ',' << r->byte_miss_ratio() << '\n';
    f.close();
    if (!f) {
      std::cerr << "cachelab replay: error writing " << io::printable(a.mrc) << " (disk full?)\n";
      return kExitFailure;
    }
  }
  if (!a.out_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(a.out_dir, ec);
    const auto path = std::filesystem::path(a.out_dir) / "replay.csv";
    std::ofstream f(path);
    if (!f) {
      std::cerr << "cachelab replay: cannot write " << io::printable(path.string()) << "\n";
      return kExitFailure;
    }
    f << "policy,cache_size_bytes,requests,misses,miss_bytes,requested_bytes,miss_ratio,byte_miss_ratio\n";
    f << std::setprecision(10);
    for (const auto& r : results) {
      f << r.policy << ',' << r.capacity_bytes << ',' << r.requests << ',' << r.misses << ',' << r.miss_bytes << ','
        << r.requested_bytes << ',' << r.miss_ratio() << ',' << r.byte_miss_ratio() << '\n';
    }
    f.close();
    if (!f) {
      std::cerr << "cachelab replay: error writing " << io::printable(path.string()) << " (disk full?)\n";
      return kExitFailure;
    }
  }
  return kExitOk;
}

}  // namespace

static void add_replay(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  auto a = std::make_shared<ReplayArgs>();
  std::string policy_help = "comma-separated policies:";
  for (const auto& k : ObjectPolicyRegistry::instance().all()) policy_help += "\n  " + k.name + ": " + k.description;
  auto* cmd = app.add_subcommand("replay", "replay a trace under reference eviction policies (libCacheSim semantics)");
  cmd->add_option("TRACE", a->trace, "trace file")->required();
  cmd->add_option("--format", a->format,
                  "oracleGeneral (binary, libCacheSim), csv (header time,key,size[,op]) or txt "
                  "(one key per line)")
      ->capture_default_str();
  cmd->add_option("--policy", a->policies, policy_help)->capture_default_str();
  cmd->add_option("--size", a->sizes,
                  "comma-separated cache sizes: 128mb,1gb (redis.conf units) or 1%,10% of the "
                  "working set (default with --mrc: 16 points from 0.1% to 100%)");
  cmd->add_flag("--unit-size", a->unit_size, "every object has size 1: sizes count objects");
  cmd->add_flag("--ignore-size", a->ignore_size, "same as --unit-size (libCacheSim's --ignore-obj-size)");
  cmd->add_option("--ttl", a->ttl_s, "seconds; set on insert, not refreshed on hits, lazy expiry (0: none)")
      ->check(non_negative_number());
  cmd->add_option("--seed", a->seed, "seed of the randomized policies")
      ->check(non_negative_number())  // "-1" would wrap to 2^64 - 1 in an unsigned option
      ->capture_default_str();
  cmd->add_flag("--json", a->json, "print JSON instead of a table");
  cmd->add_option("--out", a->out_dir, "also write DIR/replay.csv");
  cmd->add_option("--samples", a->samples, "maxmemory-samples of the Redis policies (allkeys-lru, allkeys-lfu)")
      ->capture_default_str();
  cmd->add_option("--sampling", a->sampling,
                  "how the Redis policies draw keys (cluster.sampling): uniform, or buckets "
                  "for Redis's dict walks (dictGetSomeKeys for allkeys-lru/lfu, "
                  "dictGetRandomKey for allkeys-random)")
      ->capture_default_str();
  cmd->add_option("--mrc", a->mrc,
                  "write a miss-ratio curve to FILE.csv: policy, cache size, miss ratio, byte miss "
                  "ratio");
  cmd->callback([code_ptr, a] { *code_ptr = run_replay(*a); });
}

static const Command replay_command("replay", add_replay);

}  // namespace cachelab::cli
