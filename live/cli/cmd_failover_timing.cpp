// cachelab-live failover-timing [--node-timeout-ms 1000,2000,3000,5000] [--runs 20] [--poll-ms 2] [--hz 10]
//                               [--masters 3 --replicas 1] [--seed 1] --out FILE.csv
// Kill-to-promotion times of real Redis, for comparison with the simulator (issue 16 part 7): for each node timeout a
// private lab on loopback, opts.runs masters SIGKILLed in turn, each failover timed by polling CLUSTER NODES
// (live/lab/failover_timing.hpp). One CSV row per failover; tools/failover-timing.sh runs the simulator's side.
#include <fstream>
#include <iostream>
#include <memory>
#include <stdexcept>
#include <string>

#include "commands.hpp"
#include "live/lab/failover_timing.hpp"
#include "live/lab/lab.hpp"
#include "live/lab/pid_registry.hpp"

namespace cachelab::live::cli {

Command add_failover_timing(CLI::App& app) {
  auto* sub = app.add_subcommand("failover-timing", "Time kill -> replica promoted on a local lab, many times, to CSV");
  struct Args {
    std::vector<int64_t> nts{1000, 2000, 3000, 5000};
    int runs = 20, poll_ms = 2, hz = 10, masters = 3, replicas = 1;
    uint64_t seed = 1;
    std::string out;
  };
  auto a = std::make_shared<Args>();
  sub->add_option("--node-timeout-ms", a->nts, "cluster-node-timeout values (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  sub->add_option("--runs", a->runs, "Failovers per node timeout")->capture_default_str()->check(CLI::Range(1, 10000));
  sub->add_option("--poll-ms", a->poll_ms, "CLUSTER NODES poll period")
      ->capture_default_str()
      ->check(CLI::Range(1, 50));
  sub->add_option("--hz", a->hz, "hz of every node")->capture_default_str()->check(CLI::Range(1, 500));
  sub->add_option("--masters", a->masters)->capture_default_str();
  sub->add_option("--replicas", a->replicas, "Replicas per master")->capture_default_str();
  sub->add_option("--seed", a->seed, "Seed of the settle-time jitter")->capture_default_str();
  sub->add_option("--out", a->out, "CSV file to write")->required();
  return {sub, [a]() -> int {
            // Every lab is checked before anything starts or is written: a bad value is a usage error (exit 2).
            const auto lab_for = [&](int64_t nt) {
              LabConfig lab;
              lab.cluster = true;
              lab.masters = a->masters;
              lab.replicas_per_master = a->replicas;
              lab.control.node_timeout_ms = nt;
              lab.store.hz = a->hz;
              return lab;
            };
            try {
              if (a->replicas < 1)
                throw std::invalid_argument("--replicas: a failover needs a replica per master, got " +
                                            std::to_string(a->replicas));
              for (const int64_t nt : a->nts) validate_lab_config(lab_for(nt));
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live failover-timing: " << e.what() << "\n";
              return 2;
            }
            std::ofstream csv(a->out);
            if (!csv) {
              std::cerr << "cachelab-live: cannot write " << a->out << "\n";
              return 2;
            }
            csv << failover_csv_header() << "\n";
            install_teardown_signal_handlers();
            try {
              for (const int64_t nt : a->nts) {
                FailoverTimingOptions o;
                o.lab = lab_for(nt);
                o.runs = a->runs;
                o.poll_ms = a->poll_ms;
                o.seed = a->seed + static_cast<uint64_t>(nt);
                o.on_sample = [&](const FailoverSample& s) {
                  csv << failover_csv_row(s) << "\n" << std::flush;
                  std::cerr << "NT " << nt << " ms, run " << s.run + 1 << "/" << a->runs << ": " << s.victim
                            << " killed, " << s.replica << " promoted after " << *s.promoted_s << " s\n";
                };
                measure_failovers(o);
              }
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live: " << e.what() << "\n";
              return 1;
            }
            return 0;
          }};
}

}  // namespace cachelab::live::cli
