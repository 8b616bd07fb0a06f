#pragma once
// Loading a scenario: read the file, apply --set overrides, validate every key against the declared knobs, fill in
// defaults. Every problem is collected (not just the first) and reported as FILE: /json/pointer: expected X, found Y.
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/scenario/scenario.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab {

class ScenarioError : public std::runtime_error {
 public:
  // Every text is shown escaped (io::printable: no NUL, no terminal escape sequences) and clipped; at most the
  // first 100 issues are kept.
  ScenarioError(std::string file, std::vector<schema::Issue> issues);
  const std::string& file() const { return file_; }
  const std::vector<schema::Issue>& issues() const { return issues_; }
  size_t total_issues() const { return total_; }  // including those not kept

 private:
  ScenarioError(std::string file, std::pair<size_t, std::vector<schema::Issue>> prepared);  // (total, kept)
  std::string file_;
  std::vector<schema::Issue> issues_;
  size_t total_ = 0;
};

// Scenario files are a few KB; anything much larger is a mistake (a trace named as a scenario, /dev/zero).
inline constexpr uint64_t kMaxScenarioFileBytes = 16ull << 20;

// The declaration of every knob (the root object of a scenario file).
const schema::ObjectSpec& scenario_spec();

// An override `/json/pointer=VALUE`: VALUE is parsed as JSON when it parses, else taken as a string.
// Throws ScenarioError on a malformed override.
void apply_override(nlohmann::json& doc, const std::string& file, const std::string& assignment);

// Parses text as a scenario. `file` names it in errors. Throws ScenarioError listing every problem.
Scenario load_scenario_text(const std::string& text, const std::string& file,
                            const std::vector<std::string>& overrides = {});
// Reads and parses a file. Throws ScenarioError (also for an unreadable file, a special file, a file larger than
// kMaxScenarioFileBytes).
Scenario load_scenario_file(const std::string& path, const std::vector<std::string>& overrides = {});

}  // namespace cachelab
