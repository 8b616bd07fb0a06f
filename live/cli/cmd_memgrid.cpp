// cachelab-live memgrid: the memory grid of issue 16 part 6. Starts its own lab, fills one node per grid point and
// writes sim kept, live kept and the error per point as CSV (live/memgrid/memory_grid.hpp).
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>

#include "commands.hpp"
#include "sim/cli/validators.hpp"
#include "live/memgrid/memory_grid.hpp"

namespace cachelab::live::cli {

Command add_memgrid(CLI::App& app) {
  auto* sub = app.add_subcommand("memgrid", "Keys kept under maxmemory (allkeys-lru): real Redis vs the simulator");
  auto grid = std::make_shared<std::string>("full");
  auto standalone = std::make_shared<bool>(false);
  auto out = std::make_shared<std::string>();
  auto tolerance = std::make_shared<double>(0.5);
  sub->add_option("--grid", *grid, "full (112 points), ci (29 points), or points: \"v16,k10,ttl,2mb;int1,k40,16mb\"");
  sub->add_flag("--standalone", *standalone, "One server with cluster-enabled no (default: a 3-master cluster)");
  sub->add_option("--out", *out, "CSV file (default: stdout)");
  sub->add_option("--tolerance-pct", *tolerance, "Exit 1 when a point's |error| is above this")
      ->capture_default_str()
      ->check(cachelab::cli::non_negative_number());
  return {sub, [grid, standalone, out, tolerance]() -> int {
            // The grid is read before anything starts or is written: a bad one is a usage error (exit 2).
            std::vector<MemGridPoint> points;
            try {
              points = *grid == "ci" ? memgrid_ci() : *grid == "full" ? memgrid_full() : memgrid_parse(*grid);
            } catch (const std::invalid_argument& e) {
              std::cerr << "cachelab-live memgrid: --grid: " << e.what() << "\n";
              return 2;
            }
            std::vector<MemGridResult> results;
            int results_written = 0;
            // Rows go to --out as they come, so a grid stopped half-way keeps what it measured.
            std::ofstream partial;
            if (!out->empty()) {
              partial.open(*out);
              if (!partial) {
                std::cerr << "cachelab-live memgrid: --out: cannot write " << *out << "\n";
                return 2;
              }
            }
            try {
              results = memgrid_run(points, !*standalone, [&](const MemGridResult& r) {
                if (partial.is_open()) {
                  const std::string one = memgrid_csv({r}, !*standalone);
                  partial << (results_written++ == 0 ? one : one.substr(one.find('\n') + 1)) << std::flush;
                }
                std::fprintf(stderr, "%-24s filled %9llu live %9llu sim %9llu  %+.3f%%\n", r.point.label().c_str(),
                             static_cast<unsigned long long>(r.filled), static_cast<unsigned long long>(r.live_kept),
                             static_cast<unsigned long long>(r.sim_kept), r.error_pct());
              });
            } catch (const std::exception& e) {
              std::cerr << "cachelab-live memgrid: " << e.what() << "\n";
              return 1;
            }
            const std::string csv = memgrid_csv(results, !*standalone);
            if (out->empty()) {
              std::cout << csv;
            } else {
              partial.close();
              std::ofstream f(*out);
              f << csv;
              if (!f) {
                std::cerr << "cachelab-live memgrid: cannot write " << *out << "\n";
                return 1;
              }
            }
            int bad = 0;
            double largest = 0;
            for (const auto& r : results) {
              bad += std::fabs(r.error_pct()) > *tolerance;
              largest = std::max(largest, std::fabs(r.error_pct()));
            }
            std::fprintf(stderr, "%zu of %zu points within %.3g%% (largest |error| %.3f%%)%s%s\n", results.size() - bad,
                         results.size(), *tolerance, largest, out->empty() ? "" : "; CSV: ", out->c_str());
            return bad ? 1 : 0;
          }};
}

}  // namespace cachelab::live::cli
