#include "model/slot_layout.hpp"

#include <cmath>

namespace cachelab::gui {
namespace {

int ownerIndex(SlotLayout& l, const std::string& name) {
  for (std::size_t i = 0; i < l.owners.size(); ++i)
    if (l.owners[i] == name) return static_cast<int>(i);
  l.owners.push_back(name);
  return static_cast<int>(l.owners.size()) - 1;
}

void assign(SlotLayout& l, int lo, int hi, int who) {
  for (int s = std::max(lo, 0); s <= std::min(hi, kSlots - 1); ++s) l.owner[static_cast<std::size_t>(s)] = who;
}

}  // namespace

std::vector<std::pair<int, int>> redisCliSplit(int masters) {
  // Mirrors clusterManagerCommandCreate in redis-cli.c: a float cursor, lround of each range end.
  std::vector<std::pair<int, int>> ranges;
  if (masters <= 0) return ranges;
  const float per_node = static_cast<float>(kSlots) / static_cast<float>(masters);
  long first = 0;
  float cursor = 0.0f;
  for (int i = 0; i < masters; ++i) {
    long last = std::lround(cursor + per_node - 1);
    if (last > kSlots || i == masters - 1) last = kSlots - 1;
    if (last < first) last = first;
    ranges.emplace_back(static_cast<int>(first), static_cast<int>(last));
    first = last + 1;
    cursor += per_node;
  }
  return ranges;
}

int masterCount(const cachelab::results::Run& run) {
  const auto& sc = run.info.scenario;
  if (sc.is_object() && sc.contains("cluster") && sc["cluster"].is_object() && sc["cluster"].contains("masters") &&
      sc["cluster"]["masters"].is_number_integer())
    return sc["cluster"]["masters"].get<int>();
  int n = 0;
  for (const auto& node : run.series.node_names())
    if (node.rfind("master-", 0) == 0) ++n;
  return n;
}

bool hasSummaryRanges(const cachelab::results::Run& run) {
  for (const auto& n : run.summary.nodes)
    if (!n.slot_ranges.empty()) return true;
  return false;
}

double runEndTime(const cachelab::results::Run& run) {
  const auto* t = run.series.column("t_s");
  return t && !t->empty() ? t->back() : 0.0;
}

SlotLayout slotLayoutAt(const cachelab::results::Run& run, double t_s) {
  SlotLayout l;
  l.owner.assign(kSlots, -1);
  if (hasSummaryRanges(run) && t_s >= runEndTime(run)) {
    for (const auto& n : run.summary.nodes) {
      if (n.slot_ranges.empty()) continue;
      const int who = ownerIndex(l, n.name);
      for (auto [lo, hi] : n.slot_ranges) assign(l, lo, hi, who);
    }
    l.source = "slot ranges from summary.json (end of run)";
    return l;
  }
  const auto split = redisCliSplit(masterCount(run));
  for (std::size_t i = 0; i < split.size(); ++i)
    assign(l, split[i].first, split[i].second, ownerIndex(l, "master-" + std::to_string(i + 1)));
  l.source = "redis-cli's initial split";
  int applied = 0;
  for (const auto& ev : run.events) {
    if (ev.t_s > t_s) break;  // events.jsonl is in time order
    const auto& j = ev.raw;
    if (ev.type == "promoted" && j.contains("old_master") && j["old_master"].is_string() && !ev.node.empty()) {
      const int from = ownerIndex(l, j["old_master"].get<std::string>());
      const int to = ownerIndex(l, ev.node);
      for (auto& o : l.owner)
        if (o == from) o = to;
      ++applied;
    } else if (ev.type == "slot_moved" && j.contains("to") && j["to"].is_string()) {
      const int to = ownerIndex(l, j["to"].get<std::string>());
      if (j.contains("slot") && j["slot"].is_number_integer()) {
        assign(l, j["slot"].get<int>(), j["slot"].get<int>(), to);
        ++applied;
      } else if (j.contains("slots") && j["slots"].is_array() && j["slots"].size() == 2 &&
                 j["slots"][0].is_number_integer() && j["slots"][1].is_number_integer()) {
        assign(l, j["slots"][0].get<int>(), j["slots"][1].get<int>(), to);
        ++applied;
      }
    }
  }
  if (applied > 0) l.source += " + " + std::to_string(applied) + " ownership events from events.jsonl";
  return l;
}

}  // namespace cachelab::gui
