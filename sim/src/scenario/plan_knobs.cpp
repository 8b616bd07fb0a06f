#include "plan_knobs.hpp"

#include <regex>

namespace cachelab {

using nlohmann::json;

namespace {

// "steady", "kill_each_master" or "kill:<node>" (a node name as the fault timeline spells it).
bool failure_case_ok(const std::string& s) {
  static const std::regex re(
      "steady|kill_each_master|kill:(master-[1-9][0-9]{0,3}|replica-[1-9][0-9]{0,3}-[1-9][0-9]{0,1})");
  return std::regex_match(s, re);
}

}  // namespace

std::shared_ptr<const schema::ObjectSpec> plan_spec() {
  auto axis = schema::object_spec("one knob of the search space and its candidate values");
  auto ptr =
      schema::string("pointer").req().about("the knob, as a JSON Pointer (/cluster/masters, /origin/servers, ...)");
  ptr.check = [](const std::string& p) { return p.size() > 1 && p.size() <= 256 && p[0] == '/' && p != "/plan"; };
  ptr.check_doc = "a JSON Pointer such as /cluster/masters";
  axis->fields.push_back(ptr);
  auto values = schema::array("values", nullptr);  // numbers, strings or booleans: checked through the named knob
  values.max_items = 1000;
  axis->fields.push_back(values.req().about(
      "candidate values from the least capacity to the most: the search assumes a candidate at least as strong on "
      "every knob as one that passed passes too (monotonic pruning)"));

  auto o = schema::object_spec(
      "what `cachelab plan FILE` searches without flags: knobs x node types, the failure cases every candidate must "
      "survive, priced by a node-type catalogue");
  o->fields.push_back(schema::array("search", axis).about("the knobs to search and their candidate values"));
  o->fields.push_back(schema::string("catalogue")
                          .dflt("")
                          .about("node-type catalogue (JSON), relative to the scenario file; --catalogue overrides; "
                                 "required with node_types"));
  auto types = schema::array("node_types", nullptr);
  types.max_items = 1000;
  o->fields.push_back(types.about(
      "catalogue node types to consider; each sets maxmemory = memory x usable_memory_fraction and the price "
      "(empty: no node types, priced by the cost section)"));
  o->fields.push_back(schema::number("usable_memory_fraction")
                          .dflt(0.75)
                          .min(0, true)
                          .max(1)
                          .about("share of a node type's memory given to maxmemory (the rest: fork copy-on-write, "
                                 "buffers, fragmentation)"));
  auto failures = schema::array("failures", nullptr);
  failures.max_items = 100;
  failures.dflt(json::array({"steady"}))
      .about(
          "cases every candidate must meet every SLO in: \"steady\", \"kill:<node>\" (killed at the traffic peak), "
          "\"kill_each_master\"");
  o->fields.push_back(failures);
  o->fields.push_back(
      schema::number("kill_at_s")
          .null_ok()
          .dflt(nullptr)
          .min(0)
          .in("s")
          .about(
              "when a failure case kills its node (null: at the first moment of the peak arrival rate after warm-up)"));
  o->fields.push_back(schema::integer("seeds").dflt(1).min(1).max(100).about(
      "seeds per candidate and case; a candidate passes when every run passes"));
  o->cross_check = [](const json& j, const auto& report) {
    const auto& f = j.at("failures");
    for (size_t i = 0; i < f.size(); ++i)
      if (!f[i].is_string() || !failure_case_ok(f[i].get<std::string>()))
        report("/failures/" + std::to_string(i), "\"steady\", \"kill_each_master\" or \"kill:<node>\" (kill:master-1)",
               f[i].dump());
    const auto& t = j.at("node_types");
    for (size_t i = 0; i < t.size(); ++i)
      if (!t[i].is_string()) report("/node_types/" + std::to_string(i), "a node type name (a string)", t[i].dump());
    if (!t.empty() && j.at("catalogue").get<std::string>().empty())
      report("/catalogue", "a catalogue file naming the node types (node_types is not empty)", "\"\"");
    const auto& s = j.at("search");
    for (size_t i = 0; i < s.size(); ++i) {
      if (s[i].at("values").empty())
        report("/search/" + std::to_string(i) + "/values", "at least one candidate value", "[]");
      for (size_t k = 0; k < i; ++k)
        if (s[k].at("pointer") == s[i].at("pointer"))
          report("/search/" + std::to_string(i) + "/pointer", "each knob once", s[i].at("pointer").dump());
      if (!t.empty() && s[i].at("pointer") == "/cluster/maxmemory")
        report("/search/" + std::to_string(i) + "/pointer",
               "no /cluster/maxmemory with node_types (each node type sets maxmemory)", "\"/cluster/maxmemory\"");
    }
  };
  return o;
}

}  // namespace cachelab
