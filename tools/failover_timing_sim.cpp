// cachelab_failover_sim SCENARIO [--node-timeout-ms 1000,2000,3000,5000] [--seeds 200] [--first-seed 1] --out F.csv
// The simulator's side of the failover-timing comparison (issue 16 part 7; the live side is `cachelab-live
// failover-timing`, same CSV columns). The scenario kills one master (its first `kill` fault); each seed is one
// failover (its kill moved by a random fraction of a second, see below), timed from the kill: the first PFAIL of the victim seen by the first other master (the live tool's
// observer), the replica's FAIL and the replica's promotion, read from the run's events. tools/failover_timing.py
// compares the two CSVs (medians, quantiles, two-sample Kolmogorov-Smirnov).
#include <CLI/CLI.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "cachelab/core/rng.hpp"
#include "cachelab/io/input_file.hpp"
#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

int main(int argc, char** argv) {
  CLI::App app{"simulated kill -> promotion times over many seeds, as CSV"};
  std::string file, out;
  std::vector<int64_t> nts{1000, 2000, 3000, 5000};
  int seeds = 200;
  uint64_t first_seed = 1;
  app.add_option("SCENARIO", file, "scenario with one kill fault")->required();
  app.add_option("--node-timeout-ms", nts, "cluster-node-timeout values")->delimiter(',')->capture_default_str();
  app.add_option("--seeds", seeds, "failovers (seeds) per node timeout")->capture_default_str();
  app.add_option("--first-seed", first_seed)->capture_default_str();
  app.add_option("--out", out, "CSV file to write")->required();
  bool fixed_kill = false;
  app.add_flag("--fixed-kill", fixed_kill, "kill at the scenario's time (default: moved by U[0,1) s per seed)");
  CLI11_PARSE(app, argc, argv);
  std::ofstream csv(out);
  if (!csv) {
    std::cerr << "cachelab_failover_sim: cannot write " << out << "\n";
    return 2;
  }
  csv << "node_timeout_ms,run,victim,replica,observer,observer_pfail_s,replica_fail_s,promoted_s,poll_ms\n";
  try {
    const std::string text = cachelab::io::read_regular_file(file, 16u << 20, "scenario");
    const nlohmann::json doc = nlohmann::json::parse(text);
    int kill_index = -1;
    double kill_at = 0;
    for (size_t k = 0; k < doc.at("faults").size() && kill_index < 0; ++k)
      if (doc["faults"][k].value("action", std::string()) == "kill") {
        kill_index = static_cast<int>(k);
        kill_at = doc["faults"][k].at("at_s").get<double>();
      }
    if (kill_index < 0) throw std::runtime_error("the scenario has no kill fault");
    for (const int64_t nt : nts)
      for (int k = 0; k < seeds; ++k) {
        const uint64_t seed = first_seed + static_cast<uint64_t>(k);
        // Redis's gossip carries pong times in whole seconds (§3.4), so where the kill falls within the wall clock's
        // second matters; a live kill falls anywhere. Each seed's kill is moved by U[0, 1) s (stream
        // "failover-timing/kill-phase"); --fixed-kill keeps the scenario's time.
        std::vector<std::string> sets = {"/cluster/node_timeout_ms=" + std::to_string(nt),
                                         "/seed=" + std::to_string(seed)};
        if (!fixed_kill) {
          const double at = kill_at + cachelab::Rng::stream(seed, "failover-timing/kill-phase").uniform01();
          char b[64];
          std::snprintf(b, sizeof b, "/faults/%d/at_s=%.6f", kill_index, at);
          sets.push_back(b);
        }
        const auto s = cachelab::load_scenario_text(text, file, sets);
        const cachelab::RunOutput o = cachelab::simulate(s);
        const auto& f = o.summary.at("failovers").at(0);
        const double t_kill = f.at("t_kill_s").get<double>();
        const std::string victim = f.at("node").get<std::string>();
        const std::string replica = f.at("new_master").is_null() ? "" : f.at("new_master").get<std::string>();
        const std::string observer = victim == "master-1" ? "master-2" : "master-1";
        std::optional<double> pfail, fail;
        for (const auto& e : o.events) {
          const auto type = e.value("type", std::string());
          if (e.value("node", std::string()) != victim) continue;
          if (!pfail && (type == "pfail" || type == "fail") && e.value("seen_by", std::string()) == observer)
            pfail = e.at("t_s").get<double>() - t_kill;
          if (!fail && type == "fail" && e.value("seen_by", std::string()) == replica)
            fail = e.at("t_s").get<double>() - t_kill;
        }
        const auto opt = [](const std::optional<double>& v) {
          if (!v) return std::string();
          char b[32];
          std::snprintf(b, sizeof b, "%.4f", *v);
          return std::string(b);
        };
        std::optional<double> promoted;
        if (!f.at("t_promoted_s").is_null()) promoted = f.at("t_promoted_s").get<double>() - t_kill;
        csv << nt << "," << k << "," << victim << "," << replica << "," << observer << "," << opt(pfail) << ","
            << opt(fail) << "," << opt(promoted) << ",0\n";
      }
  } catch (const std::exception& e) {
    std::cerr << "cachelab_failover_sim: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
