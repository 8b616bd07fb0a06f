#include "live/faults/reshard.hpp"

#include "live/client/control_connection.hpp"
#include "live/client/credentials.hpp"

namespace cachelab::live {
namespace {

constexpr int kMigratePipeline = 10;      // CLUSTER_MANAGER_MIGRATE_PIPELINE (redis-cli.c:85)
constexpr int kMigrateTimeoutMs = 60000;  // CLUSTER_MANAGER_MIGRATE_TIMEOUT (redis-cli.c:86)
constexpr int kReshardCommandTimeoutMs = 5000;

Reply must(ControlConnection& c, const std::vector<std::string>& args, uint64_t& commands) {
  Reply r = c.command(args);
  ++commands;
  if (r.is_error())
    throw LabError("reshard: " + c.endpoint().str() + " answered " + std::string(r.str()) + " to " + args.at(0) + " " +
                   (args.size() > 1 ? args[1] : "") + " " + (args.size() > 2 ? args[2] : "") + " " +
                   (args.size() > 3 ? args[3] : ""));
  return r;
}

}  // namespace

ReshardPlan plan_reshard(Lab& lab, const std::string& from, const std::string& to, int count) {
  lab.refresh_topology();  // earlier faults may have changed roles and slots
  const LabNode& src = lab.node(from);
  const LabNode& dst = lab.node(to);
  for (const LabNode* n : {&src, &dst})
    if (n->pid <= 0 || n->paused || n->role != "master")
      throw LabError("reshard: " + n->name + " is not a running master");
  ReshardPlan p;
  p.from = from;
  p.to = to;
  p.source = src.endpoint;
  p.target = dst.endpoint;
  p.source_id = src.node_id;
  p.target_id = dst.node_id;
  for (const auto& [first, last] : src.slot_ranges)
    for (int s = first; s <= last && static_cast<int>(p.slots.size()) < count; ++s) p.slots.push_back(s);
  if (p.slots.empty()) throw LabError("reshard: " + from + " owns no slots");
  for (const auto& n : lab.nodes())
    if (n.role == "master" && n.pid > 0 && !n.paused && n.name != from && n.name != to)
      p.other_masters.push_back(n.endpoint);
  return p;
}

ReshardReport run_reshard(const ReshardPlan& p) {
  ReshardReport rep;
  ControlConnection source(p.source, kReshardCommandTimeoutMs), target(p.target, kReshardCommandTimeoutMs);
  std::vector<ControlConnection> others;
  for (const auto& ep : p.other_masters) others.emplace_back(ep, kReshardCommandTimeoutMs);
  for (int slot : p.slots) {
    const std::string s = std::to_string(slot);
    must(target, {"CLUSTER", "SETSLOT", s, "IMPORTING", p.source_id}, rep.commands);
    must(source, {"CLUSTER", "SETSLOT", s, "MIGRATING", p.target_id}, rep.commands);
    for (;;) {
      Reply keys = must(source, {"CLUSTER", "GETKEYSINSLOT", s, std::to_string(kMigratePipeline)}, rep.commands);
      if (keys.size() == 0) break;
      std::vector<std::string> migrate = {"MIGRATE", p.target.host, std::to_string(p.target.port),
                                          "",        "0",           std::to_string(kMigrateTimeoutMs)};
      // The source connects to the target itself: it needs the target's password (lab servers require one).
      if (const std::string pw = password_for(p.target); !pw.empty()) migrate.insert(migrate.end(), {"AUTH", pw});
      migrate.emplace_back("KEYS");
      for (size_t i = 0; i < keys.size(); ++i) migrate.emplace_back(keys.element(i).str());
      // NOKEY (every key expired or was evicted meanwhile) is not an error: the next GETKEYSINSLOT sees the rest.
      Reply r = source.command(migrate);
      ++rep.commands;
      if (r.is_error()) throw LabError("reshard: MIGRATE of slot " + s + " failed: " + std::string(r.str()));
      rep.keys_moved += keys.size();
    }
    // The target first: once it owns the slot, the source's MOVED sends clients to a node that accepts them.
    must(target, {"CLUSTER", "SETSLOT", s, "NODE", p.target_id}, rep.commands);
    must(source, {"CLUSTER", "SETSLOT", s, "NODE", p.target_id}, rep.commands);
    for (auto& o : others) must(o, {"CLUSTER", "SETSLOT", s, "NODE", p.target_id}, rep.commands);
    ++rep.slots;
  }
  return rep;
}

}  // namespace cachelab::live
