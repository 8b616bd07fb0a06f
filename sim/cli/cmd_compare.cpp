// cachelab compare RUN_A RUN_B [--json] [--tol metric=value]...: every summary metric side by side with a verdict
// (cachelab/results/compare.hpp). Exit 0 when all are within tolerance, 1 when not, 2 on bad input.
#include <iostream>
#include <memory>

#include "cachelab/results/compare.hpp"
#include "commands.hpp"

namespace cachelab::cli {

static void add_compare(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand("compare", "compare two runs metric by metric (exit 0 all within tolerance, 1 not)");
  auto a = std::make_shared<std::string>(), b = std::make_shared<std::string>();
  auto tols = std::make_shared<std::vector<std::string>>();
  auto as_json = std::make_shared<bool>(false);
  cmd->add_option("run_a", *a, "run directory A")->required();
  cmd->add_option("run_b", *b, "run directory B")->required();
  cmd->add_option("--tol", *tols, "metric=0.02 (absolute) or metric=3% (relative); repeatable");
  cmd->add_flag("--json", *as_json, "print the verdict as JSON");
  int* code = &ctx.code;
  cmd->callback([=] {
    try {
      compare::Tolerances t = compare::default_tolerances();
      for (const auto& x : *tols) compare::parse_tolerance(x, t);
      const auto v = compare::compare_runs(*a, *b, t);
      std::cout << (*as_json ? v.dump(2) + "\n" : compare::format_verdict(v));
      *code = v["pass"].get<bool>() ? kExitOk : kExitFailure;
    } catch (const std::exception& e) {
      std::cerr << "cachelab compare: " << e.what() << "\n";
      *code = kExitBadInput;
    }
  });
}

static const Command compare_command("compare", add_compare);

}  // namespace cachelab::cli
