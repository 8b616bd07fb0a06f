// cachelab knobs: every scenario knob with its type, unit, default and one-line doc (from the one declaration).
#include <iostream>

#include "cachelab/cache/eviction_policy.hpp"
#include "cachelab/scenario/loader.hpp"
#include "commands.hpp"

namespace cachelab::cli {

static void add_knobs(CLI::App& app, Context& ctx) {
  int* code_ptr = &ctx.code;  // captured by value: outlives this function
  auto* cmd = app.add_subcommand("knobs", "list every scenario knob (type, unit, default, doc) and the policies");
  cmd->callback([code_ptr] {
    for (const auto& r : schema::list_knobs(scenario_spec())) {
      std::cout << r.pointer << "\n    " << r.type;
      if (!r.unit.empty()) std::cout << " [" << r.unit << "]";
      if (!r.default_text.empty()) std::cout << "  default " << r.default_text;
      std::cout << "\n    " << r.doc << "\n";
    }
    std::cout << "\nmaxmemory_policy values:\n";
    for (const auto& p : PolicyRegistry::instance().all()) std::cout << "  " << p.name << ": " << p.description << "\n";
    *code_ptr = kExitOk;
  });
}

static const Command knobs_command("knobs", add_knobs);

}  // namespace cachelab::cli
