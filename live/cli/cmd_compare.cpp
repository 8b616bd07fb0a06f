// cachelab-live compare RUN_A RUN_B [--json] [--tol metric=value]...: the comparison of live/compare, also callable
// here until `cachelab compare` (sim/cli) compiles the same files in. Exit 0 all within tolerance, 1 otherwise,
// 2 when a directory is not a run or a tolerance is malformed.
#include <iostream>
#include <memory>

#include "cachelab/results/reader.hpp"
#include "commands.hpp"
#include "cachelab/results/compare.hpp"

namespace cachelab::live::cli {

Command add_compare(CLI::App& app) {
  auto* sub = app.add_subcommand("compare", "Compare two runs (e.g. sim and live) metric by metric");
  auto a = std::make_shared<std::string>(), b = std::make_shared<std::string>();
  auto tols = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  sub->add_option("run_a", *a, "Run directory A")->required();
  sub->add_option("run_b", *b, "Run directory B")->required();
  sub->add_option("--tol", *tols, "metric=0.02 (absolute) or metric=3% (relative); repeatable");
  sub->add_flag("--json", *as_json, "Print the verdict as JSON");
  return {sub, [a, b, tols, as_json]() -> int {
            try {
              compare::Tolerances t = compare::default_tolerances();
              for (const auto& x : *tols) compare::parse_tolerance(x, t);
              const auto v = compare::compare_runs(*a, *b, t);
              std::cout << (*as_json ? v.dump(2) + "\n" : compare::format_verdict(v));
              return v["pass"].get<bool>() ? 0 : 1;
            } catch (const std::exception& e) {
              std::cerr << "cachelab compare: " << e.what() << "\n";
              return 2;
            }
          }};
}

}  // namespace cachelab::live::cli
