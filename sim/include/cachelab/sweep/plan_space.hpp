#pragma once
// What `cachelab plan` searches, from the scenario's `plan` section and the command line: the knobs and their
// candidate values (weakest first), the node types of a catalogue (a dimension of their own, sorted by memory:
// each sets maxmemory and the price), the failure cases every candidate must survive, and the cost of a candidate.
// Every candidate value is validated through the declaration of the knob it names, exactly as a --set would be;
// a bad value is reported at its place in the plan section (/plan/search/1/values/2), exit 2.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/scenario/scenario.hpp"
#include "cachelab/sweep/catalogue.hpp"
#include "cachelab/sweep/plan_grid.hpp"

namespace cachelab::sweep {

struct PlanAxis {
  std::string pointer;                 // JSON Pointer, or "" for the node-type dimension
  std::vector<nlohmann::json> values;  // override values (node types: maxmemory in bytes)
  std::vector<std::string> labels;     // what a person reads: "3", "64mb", "cache.m-large"
  std::string source;                  // where the values came from: "/plan/search/0", "--masters", "/plan/node_types"
};

// One failure case: "steady" (no fault) or a node killed at kill_at_s.
struct FailureCase {
  std::string label;  // "steady", "master-1 killed"
  std::string node;   // "" for steady
};

struct PlanSpace {
  std::vector<PlanAxis> axes;  // the node-type axis, when there is one, is last
  std::optional<NodeCatalogue> catalogue;
  std::vector<NodeType> node_types;  // sorted by memory, as on the axis
  double usable_memory_fraction = 0.75;
  std::vector<std::string> failure_specs;  // "steady", "kill:master-1", "kill_each_master"
  double kill_at_s = 0;
  bool kill_at_peak = true;  // the kill is at the first moment of the highest rate (false: plan.kill_at_s, or mid-run)
  int seeds = 1;
  // Legacy prices (no node types): cost = masters x (price_per_node + price_per_gb x GiB of maxmemory).
  double price_per_node = 0, price_per_gb = 1;
};

// Command-line pieces that override the scenario's plan section.
struct PlanFlags {
  std::vector<std::string> sets;            // --set, for every candidate
  std::optional<std::vector<int>> masters;  // --masters a..b
  std::vector<std::string> maxmemory;       // --maxmemory (replaces a /cluster/maxmemory axis)
  std::vector<std::string> vary;            // --vary /ptr=a,b,c (adds or replaces an axis)
  std::string catalogue;                    // --catalogue FILE
  std::vector<std::string> node_types;      // --node-types a,b
  bool with_failure = false;                // --with-failure: adds kill:master-1
  std::optional<int> seeds;
  std::optional<double> price_per_node, price_per_gb;
};

// Throws ScenarioError (the scenario's or the catalogue's file, pointer, expected, found) or SpecError (a flag).
PlanSpace build_plan_space(const std::string& file, const Scenario& base, const PlanFlags& flags);

// What a candidate is: its overrides (after --set), in axis order.
std::vector<std::string> candidate_overrides(const PlanSpace& space, const GridIndex& g);
// "/cluster/masters=6, /cluster/node_timeout_ms=1000, cache.m-large".
std::string candidate_label(const PlanSpace& space, const GridIndex& g);

// The failure cases of a candidate whose scenario is `s` (kill_each_master expands to its masters).
std::vector<FailureCase> failure_cases(const PlanSpace& space, const Scenario& s);
// The override that adds a case's kill to the fault timeline ("" for steady).
std::string failure_override(const PlanSpace& space, const FailureCase& c);

// The first moment of the highest arrival rate after warm-up (the peak), else the middle of the measured period.
double peak_time_s(const Scenario& s);

// Nodes a candidate pays for: masters x (1 + replicas_per_master).
int node_count(const Scenario& s);
// Cost of a candidate: with node types, per month (nodes x price per hour x hours per month); else the legacy
// scenario cost (masters x (price_per_node + price_per_gb x GiB)).
double candidate_cost(const PlanSpace& space, const Scenario& s, const GridIndex& g);

}  // namespace cachelab::sweep
