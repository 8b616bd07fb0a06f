// cachelab validate FILE [--set PTR=VALUE]... [--calibration F]: exit 0 on a good scenario, 2 listing every
// problem on a bad one.
#include <iostream>

#include "cachelab/io/text.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"

namespace cachelab::cli {

static void add_validate(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  auto* cmd = app.add_subcommand("validate", "check a scenario file and print every problem found");
  auto file = std::make_shared<std::string>();
  auto sets = std::make_shared<std::vector<std::string>>();
  cmd->add_option("FILE", *file, "scenario file")->required();
  cmd->add_option("--set", *sets, "override a knob: /json/pointer=VALUE (repeatable)");
  auto calibration = std::make_shared<std::string>();
  cmd->add_option("--calibration", *calibration, kCalibrationHelp);
  cmd->callback([code_ptr, file, sets, calibration] {
    if (!add_calibration_overrides("validate", *calibration, *sets)) {
      *code_ptr = kExitBadInput;
      return;
    }
    try {
      const Scenario s = load_scenario_file(*file, *sets);
      std::cout << io::printable(*file) << ": ok (" << s.name << ", " << s.duration_s << " s, seed " << s.seed << ")\n";
      *code_ptr = kExitOk;
    } catch (const ScenarioError& e) {
      std::cerr << e.what() << "\n"
                << e.total_issues() << (e.total_issues() == 1 ? " problem" : " problems") << " in " << e.file() << "\n";
      *code_ptr = kExitBadInput;
    }
  });
}

static const Command validate_command("validate", add_validate);

}  // namespace cachelab::cli
