// {"at_s": T, "action": "link", "nodes": "master-1", "peers": null, "latency_us": {...}, "loss": 0.01}: from now on
// the links between `nodes` and `peers` (every other node when null) carry the given one-way latency distribution
// and/or loss probability (null = unchanged), both directions unless one_way, until a later `link` changes them.
// Acts on the node-to-node network (cluster bus and replication stream); client round trips keep network.rtt_us.
#include <algorithm>

#include "cachelab/core/dist.hpp"
#include "cachelab/faults/fault.hpp"

namespace cachelab {
namespace {

schema::ObjectPtr link_params() {
  auto o = std::make_shared<schema::ObjectSpec>();
  o->fields.push_back(schema::string("nodes").req().about("comma-separated node names on one side"));
  o->fields.push_back(schema::string("peers").dflt(nullptr).null_ok().about(
      "comma-separated node names on the other side (null: every node not in `nodes`)"));
  o->fields.push_back(dist_field("latency_us", nullptr)
                          .null_ok()
                          .in("us")
                          .max(1e7)
                          .about("new one-way latency distribution of each of these links (null: unchanged)"));
  o->fields.push_back(schema::number("loss").dflt(nullptr).null_ok().min(0).max(1).about(
      "new probability that a message on each of these links is lost (null: unchanged)"));
  o->fields.push_back(schema::boolean("one_way").dflt(false).about("change only nodes -> peers, not peers -> nodes"));
  return o;
}

void link_check(const nlohmann::json& item, const nlohmann::json& scenario,
                const std::function<void(const std::string&, const std::string&, const std::string&)>& report) {
  if (scenario.at("cluster").at("mode") != "cluster") {
    report("", "cluster mode (the node-to-node network)", "standalone mode");
    return;
  }
  const auto names = node_names(scenario);
  auto check_list = [&](const char* key) {
    if (item.at(key).is_null()) return;
    const auto list = split_node_list(item.at(key).get<std::string>());
    if (list.empty()) report(std::string("/") + key, "at least one node name", item.at(key).dump());
    for (const auto& n : list)
      if (std::find(names.begin(), names.end(), n) == names.end())
        report(std::string("/") + key, "node names of this cluster (" + names.front() + " .. " + names.back() + ")",
               "\"" + n + "\"");
  };
  check_list("nodes");
  check_list("peers");
  if (item.at("latency_us").is_null() && item.at("loss").is_null())
    report("/latency_us", "a latency distribution or a loss probability (or both) to change", "neither");
}

void apply(FaultTarget& t, const nlohmann::json& item) {
  std::vector<int> from, to;
  for (const auto& n : split_node_list(item.at("nodes").get<std::string>())) from.push_back(t.node_index(n));
  if (!item.at("peers").is_null())
    for (const auto& n : split_node_list(item.at("peers").get<std::string>())) to.push_back(t.node_index(n));
  t.change_links(from, to, item.at("latency_us"), item.at("loss"), item.at("one_way").get<bool>());
}

const RegisterFault link_registration(
    {"link",
     "change the latency distribution and/or loss of the links between nodes and peers, until "
     "changed again (sim only)",
     link_params(), link_check, apply});

}  // namespace
}  // namespace cachelab
