// Golden summaries (issue 14 part 7): each bundled scenario's summary.json, reduced to its numbers, is kept under
// tests/golden/scenarios/ and every CTest run compares a fresh simulation with it within the tolerances stated in
// tests/golden/README.md. A change of behaviour shows up as a failing test naming each number that moved; when the
// change is intended, `tools/update-goldens.sh` rewrites the files and prints the diff to review and commit.
//
// Usage: cachelab_golden_check SCENARIO GOLDEN [--update]
//   GOLDEN's "set" list (JSON Pointer overrides, as `cachelab run --set`) shortens a long scenario; --update keeps
//   it and rewrites "summary".
#include <cmath>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/run/runner.hpp"
#include "cachelab/scenario/loader.hpp"

namespace {

using nlohmann::json;

// Numbers only: pointer -> value. Strings (mode, names) and arrays of rows (slot ranges, hot keys) are left out:
// rows are compared through the numbers they feed, and names are not behaviour.
void flatten(const json& j, const std::string& at, std::map<std::string, double>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) flatten(it.value(), at + "/" + it.key(), out);
  } else if (j.is_number()) {
    out[at] = j.get<double>();
  } else if (j.is_boolean()) {
    out[at] = j.get<bool>() ? 1 : 0;
  }
}

// Fields that are not behaviour of the model: the wall clock.
bool ignored(const std::string& ptr) { return ptr.find("wall") != std::string::npos; }

// The tolerances of tests/golden/README.md. The same binary gives byte-identical results (tests/unit/
// determinism_test.cpp); these bounds let another compiler or libm (whose last-bit differences change sampled times,
// and so the trajectory) pass while a change of the model does not.
struct Tolerance {
  double rel;
  double abs;
};
Tolerance tolerance_for(const std::string& ptr, double golden) {
  auto ends_with = [&](const char* tail) {
    const std::string t(tail);
    return ptr.size() >= t.size() && ptr.compare(ptr.size() - t.size(), t.size(), t) == 0;
  };
  const bool latency = ptr.find("latency") != std::string::npos || ptr.find("_us") != std::string::npos ||
                       ptr.find("_ms") != std::string::npos || ptr.find("_s/") != std::string::npos || ends_with("_s");
  const bool extreme = ends_with("/max") || ends_with("/p999") || ptr.find("_max") != std::string::npos ||
                       ptr.find("peak") != std::string::npos;
  const bool whole = golden == std::floor(golden) && std::fabs(golden) >= 1;
  // A count may move by a few; a ratio (no whole numbers) only by its relative share; times in µs by 5 µs.
  const double abs = latency ? 5 : (whole ? 3 : 1e-4);
  if (extreme) return {0.30, abs};
  if (latency) return {0.10, abs};
  return {0.02, abs};
}

json reduce(const json& summary) {
  std::map<std::string, double> flat;
  flatten(summary, "", flat);
  json out = json::object();
  for (const auto& [k, v] : flat)
    if (!ignored(k)) out[k] = v;
  return out;
}

int fail_usage(const char* msg) {
  std::cerr << "cachelab_golden_check: " << msg << "\nusage: cachelab_golden_check SCENARIO GOLDEN [--update]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3 || argc > 4) return fail_usage("wrong number of arguments");
  const std::string scenario_path = argv[1], golden_path = argv[2];
  const bool update = argc == 4 && std::string(argv[3]) == "--update";
  if (argc == 4 && !update) return fail_usage("unknown option");

  json golden = json::object();
  {
    std::ifstream in(golden_path);
    if (in) {
      try {
        in >> golden;
      } catch (const std::exception& e) {
        std::cerr << golden_path << ": not JSON: " << e.what() << "\n";
        return 2;
      }
    } else if (!update) {
      std::cerr << golden_path << ": missing; create it with tools/update-goldens.sh\n";
      return 1;
    }
  }
  std::vector<std::string> sets;
  if (golden.contains("set")) sets = golden["set"].get<std::vector<std::string>>();

  cachelab::RunOutput out;
  try {
    out = cachelab::simulate(cachelab::load_scenario_file(scenario_path, sets));
  } catch (const std::exception& e) {
    std::cerr << scenario_path << ": " << e.what() << "\n";
    return 1;
  }
  const json now = reduce(out.summary);

  if (update) {
    json g = json::object();
    g["scenario"] = scenario_path.substr(scenario_path.rfind("scenarios/"));
    g["set"] = sets;
    g["summary"] = now;
    std::ofstream o(golden_path);
    o << g.dump(1) << "\n";
    if (!o) {
      std::cerr << golden_path << ": cannot write\n";
      return 1;
    }
    return 0;
  }

  int bad = 0, checked = 0;
  const json& want = golden.at("summary");
  for (auto it = want.begin(); it != want.end(); ++it) {
    const std::string& ptr = it.key();
    if (!now.contains(ptr)) {
      std::cout << "  " << ptr << ": in the golden, missing from the run's summary\n";
      ++bad;
      continue;
    }
    const double a = it.value().get<double>(), b = now[ptr].get<double>();
    const Tolerance t = tolerance_for(ptr, a);
    ++checked;
    if (std::fabs(a - b) > std::max(t.abs, t.rel * std::fabs(a))) {
      std::cout << "  " << ptr << ": golden " << a << ", now " << b << " (tolerance " << t.rel * 100 << "% or " << t.abs
                << ")\n";
      ++bad;
    }
  }
  int added = 0;
  for (auto it = now.begin(); it != now.end(); ++it)
    if (!want.contains(it.key())) ++added;
  std::cout << scenario_path << ": " << checked << " numbers checked, " << bad << " differ"
            << (added ? ", " + std::to_string(added) + " new (not in the golden: tools/update-goldens.sh adds them)"
                      : std::string())
            << "\n";
  return bad ? 1 : 0;
}
