#include "cachelab/sweep/catalogue.hpp"

#include <nlohmann/json.hpp>

#include "cachelab/io/input_file.hpp"
#include "cachelab/scenario/loader.hpp"
#include "cachelab/schema/schema.hpp"

namespace cachelab::sweep {

using nlohmann::json;

namespace {

// A catalogue is a short hand-written list; anything larger is a mistake.
constexpr uint64_t kMaxCatalogueBytes = 1ull << 20;

const schema::ObjectSpec& catalogue_spec() {
  static const auto spec = [] {
    auto type = schema::object_spec("one node type");
    auto name = schema::string("name").req().about("the type's name, as plan.node_types lists it");
    name.check = [](const std::string& s) { return !s.empty() && s.size() <= 64; };
    name.check_doc = "1-64 characters";
    type->fields.push_back(name);
    type->fields.push_back(schema::number("memory_gib").req().min(0, true).max(65536).in("GiB").about("memory"));
    type->fields.push_back(
        schema::integer("vcpus").req().min(1).max(1024).about("virtual CPUs (shown, not simulated)"));
    type->fields.push_back(schema::number("network_gbps")
                               .req()
                               .min(0, true)
                               .max(10000)
                               .in("Gbit/s")
                               .about("network bandwidth (shown, not simulated)"));
    type->fields.push_back(
        schema::number("price_per_hour").req().min(0).max(1e6).about("price of one node for an hour"));
    auto o = schema::object_spec("a node-type catalogue");
    o->fields.push_back(schema::integer("cachelab_node_types").req().min(1).max(1).about("format version: 1"));
    o->fields.push_back(schema::string("note").req().about("where the prices come from (shown with every answer)"));
    o->fields.push_back(schema::string("currency").dflt("USD").about("shown with prices"));
    o->fields.push_back(schema::number("hours_per_month")
                            .dflt(730)
                            .min(1)
                            .max(744)
                            .in("h")
                            .about("hours billed per month (730 = 8760 / 12)"));
    auto types = schema::array("types", type).req().about("the node types");
    types.max_items = 1000;
    o->fields.push_back(types);
    o->cross_check = [](const json& j, const auto& report) {
      const auto& t = j.at("types");
      if (t.empty()) report("/types", "at least one node type", "[]");
      for (size_t i = 0; i < t.size(); ++i)
        for (size_t k = 0; k < i; ++k)
          if (t[k].at("name") == t[i].at("name"))
            report("/types/" + std::to_string(i) + "/name", "a name not used by an earlier type",
                   t[i].at("name").dump());
    };
    return o;
  }();
  return *spec;
}

}  // namespace

const NodeType* NodeCatalogue::find(const std::string& name) const {
  for (const auto& t : types)
    if (t.name == name) return &t;
  return nullptr;
}

NodeCatalogue load_node_catalogue(const std::string& path) {
  std::string text;
  try {
    text = io::read_regular_file(path, kMaxCatalogueBytes, "node-type catalogue");
  } catch (const io::InputError& e) {
    throw ScenarioError(path, {{"", "a readable regular file of at most 1 MiB", e.found()}});
  }
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::parse_error& e) {
    throw ScenarioError(path, {{"", "JSON text", std::string("a syntax error: ") + e.what()}});
  }
  std::vector<schema::Issue> issues;
  const json r = schema::resolve(doc, catalogue_spec(), "", issues);
  if (!issues.empty()) throw ScenarioError(path, issues);
  NodeCatalogue c;
  c.file = path;
  c.note = r.at("note").get<std::string>();
  c.currency = r.at("currency").get<std::string>();
  c.hours_per_month = r.at("hours_per_month").get<double>();
  for (const auto& t : r.at("types"))
    c.types.push_back({t.at("name").get<std::string>(), t.at("memory_gib").get<double>(), t.at("vcpus").get<int>(),
                       t.at("network_gbps").get<double>(), t.at("price_per_hour").get<double>()});
  return c;
}

}  // namespace cachelab::sweep
