#include "cachelab/sweep/plan_space.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "cachelab/scenario/loader.hpp"
#include "cachelab/sweep/grid.hpp"

namespace cachelab::sweep {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string label_of(const json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); }

json value_of_text(const std::string& t) {
  try {
    return json::parse(t);
  } catch (const json::parse_error&) {
    return t;
  }
}

void set_axis(std::vector<PlanAxis>& axes, PlanAxis a) {
  for (auto& x : axes)
    if (x.pointer == a.pointer) {
      x = std::move(a);
      return;
    }
  axes.push_back(std::move(a));
}

}  // namespace

double peak_time_s(const Scenario& s) {
  double at = (s.warmup_s + s.duration_s) / 2;
  double best = s.workload.rate_per_s;
  for (const auto& st : s.workload.shape) {
    const double reached = st.at_s + st.ramp_s;
    if (st.rate_per_s > best && reached >= s.warmup_s && reached < s.duration_s) {
      best = st.rate_per_s;
      at = reached;
    }
  }
  return at;
}

PlanSpace build_plan_space(const std::string& file, const Scenario& base, const PlanFlags& flags) {
  const json& plan = base.resolved.at("plan");
  PlanSpace sp;
  std::vector<schema::Issue> issues;
  for (size_t i = 0; i < plan.at("search").size(); ++i) {
    const json& ax = plan.at("search")[i];
    PlanAxis a{ax.at("pointer").get<std::string>(), {}, {}, "/plan/search/" + std::to_string(i)};
    for (const auto& v : ax.at("values")) {
      a.values.push_back(v);
      a.labels.push_back(label_of(v));
    }
    sp.axes.push_back(std::move(a));
  }
  if (flags.masters) {
    PlanAxis a{"/cluster/masters", {}, {}, "--masters"};
    for (int m : *flags.masters) {
      a.values.push_back(m);
      a.labels.push_back(std::to_string(m));
    }
    set_axis(sp.axes, std::move(a));
  }
  if (!flags.maxmemory.empty()) {
    // Sorted by bytes (weakest first), as the search needs; equal or zero limits are refused.
    std::vector<std::pair<uint64_t, std::string>> mems;
    for (const auto& t : flags.maxmemory) {
      uint64_t b = 0;
      if (!schema::parse_size(t, b) || b == 0)
        throw SpecError("--maxmemory '" + t + "': expected a size > 0 such as 64mb");
      mems.emplace_back(b, t);
    }
    std::sort(mems.begin(), mems.end());
    for (size_t i = 1; i < mems.size(); ++i)
      if (mems[i].first == mems[i - 1].first)
        throw SpecError("--maxmemory: each value must be a distinct limit ('" + mems[i].second + "')");
    PlanAxis a{"/cluster/maxmemory", {}, {}, "--maxmemory"};
    for (const auto& [b, t] : mems) {
      a.values.push_back(t);
      a.labels.push_back(t);
    }
    set_axis(sp.axes, std::move(a));
  }
  for (const auto& v : flags.vary) {
    const Axis parsed = parse_vary(v);  // SpecError on a malformed --vary
    PlanAxis a{parsed.pointer, {}, {}, "--vary"};
    for (const auto& t : parsed.values) {
      a.values.push_back(value_of_text(t));
      a.labels.push_back(t);
    }
    set_axis(sp.axes, std::move(a));
  }

  // Node types: the catalogue (--catalogue wins; the scenario's path is relative to the scenario file).
  std::vector<std::string> type_names = flags.node_types;
  std::string type_source = "--node-types";
  if (type_names.empty()) {
    type_source = "/plan/node_types";
    for (const auto& t : plan.at("node_types")) type_names.push_back(t.get<std::string>());
  }
  sp.usable_memory_fraction = plan.at("usable_memory_fraction").get<double>();
  if (!type_names.empty()) {
    std::string cat = flags.catalogue;
    if (cat.empty()) {
      cat = plan.at("catalogue").get<std::string>();
      if (cat.empty()) throw SpecError("--node-types needs a catalogue: --catalogue FILE or plan.catalogue");
      if (fs::path(cat).is_relative()) cat = (fs::path(file).parent_path() / cat).string();
    }
    sp.catalogue = load_node_catalogue(cat);
    for (size_t i = 0; i < type_names.size(); ++i) {
      const NodeType* t = sp.catalogue->find(type_names[i]);
      if (!t) {
        std::string names;
        for (const auto& x : sp.catalogue->types) names += (names.empty() ? "" : ", ") + x.name;
        issues.push_back({type_source == "--node-types" ? "(--node-types)" : "/plan/node_types/" + std::to_string(i),
                          "a node type of " + cat + " (" + names + ")", json(type_names[i]).dump()});
        continue;
      }
      if (std::find_if(sp.node_types.begin(), sp.node_types.end(),
                       [&](const NodeType& x) { return x.name == t->name; }) == sp.node_types.end())
        sp.node_types.push_back(*t);
    }
    if (!issues.empty()) throw ScenarioError(file, issues);
    std::stable_sort(sp.node_types.begin(), sp.node_types.end(),
                     [](const NodeType& a, const NodeType& b) { return a.memory_gib < b.memory_gib; });
    for (const auto& a : sp.axes)
      if (a.pointer == "/cluster/maxmemory")
        throw SpecError(a.source +
                        ": /cluster/maxmemory cannot be searched with node types (each node type sets "
                        "maxmemory to " +
                        std::to_string(static_cast<int>(std::lround(100 * sp.usable_memory_fraction))) +
                        "% of its memory)");
    PlanAxis a{"", {}, {}, type_source};
    for (const auto& t : sp.node_types) {
      a.values.push_back(static_cast<uint64_t>(std::floor(t.memory_gib * sp.usable_memory_fraction * 1073741824.0)));
      a.labels.push_back(t.name);
    }
    sp.axes.push_back(std::move(a));
  }
  if (sp.axes.empty())
    throw SpecError(
        "nothing to search: give the scenario a plan section (plan.search, plan.node_types) or use "
        "--masters, --maxmemory, --vary, --node-types");

  // Every candidate value, validated by the knob it names (as a --set of it alone would be).
  for (const auto& a : sp.axes) {
    if (a.pointer.empty()) continue;
    for (size_t j = 0; j < a.values.size(); ++j) {
      auto ov = flags.sets;
      ov.push_back(a.pointer + "=" + a.values[j].dump());
      try {
        (void)load_scenario_file(file, ov);
      } catch (const ScenarioError& e) {
        for (const auto& is : e.issues()) {
          const std::string where =
              a.source[0] == '/' ? a.source + "/values/" + std::to_string(j) : "(" + a.source + ")";
          issues.push_back(
              {where, is.expected + " (the knob " + (is.pointer.empty() ? a.pointer : is.pointer) + ")", is.found});
        }
      }
    }
  }
  if (!issues.empty()) throw ScenarioError(file, issues);

  sp.failure_specs.clear();
  for (const auto& f : plan.at("failures")) sp.failure_specs.push_back(f.get<std::string>());
  if (flags.with_failure &&
      std::find(sp.failure_specs.begin(), sp.failure_specs.end(), "kill:master-1") == sp.failure_specs.end() &&
      std::find(sp.failure_specs.begin(), sp.failure_specs.end(), "kill_each_master") == sp.failure_specs.end())
    sp.failure_specs.push_back("kill:master-1");
  // "At the peak" only when the rate rises after warm-up; a flat rate gets the middle of the measured period.
  bool rises = false;
  for (const auto& st : base.workload.shape)
    rises = rises || (st.rate_per_s > base.workload.rate_per_s && st.at_s + st.ramp_s >= base.warmup_s &&
                      st.at_s + st.ramp_s < base.duration_s);
  sp.kill_at_peak = plan.at("kill_at_s").is_null() && rises;
  sp.kill_at_s = plan.at("kill_at_s").is_null() ? peak_time_s(base) : plan.at("kill_at_s").get<double>();
  if (sp.kill_at_s >= base.duration_s)
    throw ScenarioError(file, {{"/plan/kill_at_s", "a time < duration_s (" + json(base.duration_s).dump() + ")",
                                json(sp.kill_at_s).dump()}});
  sp.seeds = flags.seeds ? *flags.seeds : plan.at("seeds").get<int>();
  sp.price_per_node =
      flags.price_per_node ? *flags.price_per_node : base.resolved.at("cost").at("price_per_node").get<double>();
  sp.price_per_gb =
      flags.price_per_gb ? *flags.price_per_gb : base.resolved.at("cost").at("price_per_gb").get<double>();
  return sp;
}

std::vector<std::string> candidate_overrides(const PlanSpace& sp, const GridIndex& g) {
  std::vector<std::string> ov;
  for (size_t d = 0; d < sp.axes.size(); ++d) {
    const auto& a = sp.axes[d];
    ov.push_back((a.pointer.empty() ? std::string("/cluster/maxmemory") : a.pointer) + "=" + a.values[g[d]].dump());
  }
  return ov;
}

std::string candidate_label(const PlanSpace& sp, const GridIndex& g) {
  std::string s;
  for (size_t d = 0; d < sp.axes.size(); ++d) {
    if (!s.empty()) s += ", ";
    s += sp.axes[d].pointer.empty() ? sp.axes[d].labels[g[d]] : sp.axes[d].pointer + "=" + sp.axes[d].labels[g[d]];
  }
  return s;
}

std::vector<FailureCase> failure_cases(const PlanSpace& sp, const Scenario& s) {
  std::vector<FailureCase> out;
  auto add = [&](FailureCase c) {
    for (const auto& x : out)
      if (x.node == c.node) return;
    out.push_back(std::move(c));
  };
  for (const auto& f : sp.failure_specs) {
    if (f == "steady")
      add({"steady", ""});
    else if (f == "kill_each_master")
      for (int m = 1; m <= s.cluster.masters; ++m)
        add({"master-" + std::to_string(m) + " killed", "master-" + std::to_string(m)});
    else if (f.rfind("kill:", 0) == 0)
      add({f.substr(5) + " killed", f.substr(5)});
  }
  return out;
}

std::string failure_override(const PlanSpace& sp, const FailureCase& c) {
  if (c.node.empty()) return "";
  return "/faults/-=" + json({{"at_s", sp.kill_at_s}, {"action", "kill"}, {"node", c.node}}).dump();
}

int node_count(const Scenario& s) { return s.cluster.masters * (1 + s.cluster.replicas_per_master); }

double candidate_cost(const PlanSpace& sp, const Scenario& s, const GridIndex& g) {
  if (!sp.node_types.empty()) {
    const NodeType& t = sp.node_types[g.back()];
    return node_count(s) * t.price_per_hour * sp.catalogue->hours_per_month;
  }
  return s.cluster.masters *
         (sp.price_per_node + sp.price_per_gb * static_cast<double>(s.cluster.store.maxmemory_bytes) / 1073741824.0);
}

}  // namespace cachelab::sweep
