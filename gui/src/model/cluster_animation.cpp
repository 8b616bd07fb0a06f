#include "model/cluster_animation.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <unordered_map>

#include "model/slot_layout.hpp"

namespace cachelab::gui {

using cachelab::results::Event;
using nlohmann::json;

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A checkpoint of the replayed state every this many events: scrubbing replays at most this many.
constexpr std::size_t kCheckpointEvery = 2048;

// The files are untrusted: a field of the wrong type reads as absent, never throws.
std::string str(const json& j, const char* key) {
  if (!j.is_object()) return {};
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
double num(const json& j, const char* key) {
  if (!j.is_object()) return kNaN;
  const auto it = j.find(key);
  return it != j.end() && it->is_number() ? it->get<double>() : kNaN;
}

void eraseName(std::vector<std::string>& v, const std::string& name) {
  v.erase(std::remove(v.begin(), v.end(), name), v.end());
}
void addName(std::vector<std::string>& v, const std::string& name) {
  if (std::find(v.begin(), v.end(), name) == v.end()) v.push_back(name);
}

// "replica-2-1" -> 2, "master-3" -> 3; 0 for another name.
int shardNumber(const std::string& name) {
  for (const char* prefix : {"master-", "replica-"}) {
    const std::string p = prefix;
    if (name.rfind(p, 0) != 0) continue;
    int m = 0;
    std::size_t i = p.size();
    while (i < name.size() && name[i] >= '0' && name[i] <= '9' && m < 1000000) m = m * 10 + (name[i++] - '0');
    return i > p.size() ? m : 0;
  }
  return 0;
}

}  // namespace

std::string eventSummary(const Event& ev) {
  std::string out = ev.type;
  if (!ev.node.empty()) out += " " + ev.node;
  if (ev.type == "cluster_layout") {
    const auto it = ev.raw.find("nodes");
    return out + " · " + std::to_string(it != ev.raw.end() && it->is_array() ? it->size() : 0) + " nodes";
  }
  if (!ev.raw.is_object()) return out;
  for (const auto& [key, value] : ev.raw.items()) {
    if (key == "t_s" || key == "type" || key == "node") continue;
    std::string v = value.is_string() ? value.get<std::string>() : value.dump();
    if (value.is_number_float()) {  // times and sizes: 4 significant digits read better than 17
      char buf[32];
      const double d = value.get<double>();
      std::snprintf(buf, sizeof buf, std::fabs(d) >= 1000 ? "%.0f" : "%.4g", d);
      v = buf;
    }
    if (v.size() > 40) v = v.substr(0, 37) + "...";
    out += " · " + key + " " + v;
  }
  return out;
}

int ClusterFrame::node(const std::string& name) const {
  for (std::size_t i = 0; i < nodes.size(); ++i)
    if (nodes[i].name == name) return static_cast<int>(i);
  return -1;
}

struct ClusterAnimation::State {
  std::vector<AnimNode> nodes;      // roles, liveness, beliefs (the series fields are filled per frame)
  std::vector<double> promoted_at;  // per node, the last promotion (NaN: none)
  std::vector<int> slot_owner;
  std::vector<AnimElection> elections;  // recent and open ones
  std::optional<AnimMigration> reshard;
  std::vector<AnimCut> cuts;
  std::size_t applied = 0;
};

namespace {

class Replayer {
 public:
  Replayer(ClusterAnimation::State& s, double recent_s) : s_(s), recent_s_(recent_s) {
    for (std::size_t i = 0; i < s_.nodes.size(); ++i) index_[s_.nodes[i].name] = static_cast<int>(i);
  }

  void apply(const Event& ev) {
    const json& j = ev.raw;
    const std::string type = ev.type == "fault" ? "fault:" + str(j, "action") : ev.type;
    const int n = find(ev.node);
    if (type == "fault:kill" || type == "node_down") {
      if (n >= 0) down(n);
    } else if (type == "fault:restart" || type == "node_up") {
      if (n >= 0) s_.nodes[n].up = true, s_.nodes[n].paused = false;
    } else if (type == "fault:pause") {
      if (n >= 0) s_.nodes[n].paused = true;
    } else if (type == "fault:resume") {
      if (n >= 0) s_.nodes[n].paused = false;
    } else if (type == "add_node_start") {
      if (n >= 0) {
        AnimNode& x = s_.nodes[n];
        x.up = true;
        x.role = "master";  // CLUSTER MEET: an empty master until slots move to it
        x.master.clear();
      }
    } else if (type == "remove_node_end") {
      if (n >= 0) {
        down(n);
        s_.nodes[n].role.clear();
        for (auto& other : s_.nodes) {  // CLUSTER FORGET on every other node
          eraseName(other.pfail_by, ev.node);
          eraseName(other.fail_by, ev.node);
        }
      }
    } else if (type == "pfail") {
      if (n >= 0) addName(s_.nodes[n].pfail_by, observer(j));
    } else if (type == "pfail_cleared") {
      if (n >= 0) eraseName(s_.nodes[n].pfail_by, observer(j));
    } else if (type == "fail") {
      if (n >= 0) {
        const std::string by = observer(j);
        eraseName(s_.nodes[n].pfail_by, by);  // FAIL replaces the observer's PFAIL flag
        addName(s_.nodes[n].fail_by, by);
      }
    } else if (type == "fail_cleared") {
      if (n >= 0) eraseName(s_.nodes[n].fail_by, observer(j));
    } else if (type == "cluster_state") {
      if (n >= 0) s_.nodes[n].cluster_ok = str(j, "state") == "ok";
    } else if (type == "promoted") {
      if (n >= 0) promoted(n, find(str(j, "old_master")), ev.t_s);
    } else if (type == "role_changed") {
      if (n >= 0) {
        const std::string role = str(j, "role");
        if (!role.empty()) s_.nodes[n].role = role;
        s_.nodes[n].master = role == "replica" ? str(j, "master") : std::string();
      }
    } else if (type == "replica_migrated") {
      if (n >= 0) s_.nodes[n].master = str(j, "to");
    } else if (type == "election_started") {
      electionStarted(ev);
    } else if (type == "failover_auth") {
      vote(ev);
    } else if (type == "reshard_start") {
      AnimMigration m;
      m.from = str(j, "from");
      m.to = str(j, "to");
      const double slot_count = num(j, "slots");
      m.total = std::isfinite(slot_count) ? static_cast<int>(slot_count) : 0;
      s_.reshard = m;
    } else if (type == "reshard_end") {
      s_.reshard.reset();
    } else if (type == "slot_moved") {
      slotMoved(j);
    } else if (type == "partition") {
      partition(ev);
    } else if (type == "heal") {
      s_.cuts.clear();
    }
    ++s_.applied;
    prune(ev.t_s);
  }

 private:
  int find(const std::string& name) const {
    const auto it = index_.find(name);
    return it == index_.end() ? -1 : it->second;
  }
  // Live runs' rows come from a poll of every node, not one observer: they are shown as the poll's.
  static std::string observer(const json& j) {
    std::string by = str(j, "seen_by");
    if (by.empty()) by = str(j, "via");
    return by.empty() ? "?" : by;
  }

  void down(int n) {
    AnimNode& x = s_.nodes[n];
    x.up = false;
    x.paused = false;
    for (auto& other : s_.nodes) {  // a dead node holds no view; a restarted one starts with an empty table
      eraseName(other.pfail_by, x.name);
      eraseName(other.fail_by, x.name);
    }
  }

  void promoted(int n, int old, double t_s) {
    AnimNode& x = s_.nodes[n];
    x.role = "master";
    x.master.clear();
    s_.promoted_at[n] = t_s;
    if (old >= 0)  // clusterFailoverReplaceYourMaster: it claims every slot of its old master
      for (int& o : s_.slot_owner)
        if (o == old) o = n;
    for (auto it = s_.elections.rbegin(); it != s_.elections.rend(); ++it)
      if (it->candidate == x.name && it->outcome == "open") {
        it->outcome = "won";
        it->t_end_s = t_s;
        break;
      }
  }

  void electionStarted(const Event& ev) {
    for (auto& e : s_.elections)
      if (e.candidate == ev.node && e.outcome == "open") {
        e.outcome = "superseded";
        e.t_end_s = ev.t_s;
      }
    AnimElection e;
    e.candidate = ev.node;
    const double epoch = num(ev.raw, "epoch");
    e.epoch = std::isfinite(epoch) ? static_cast<long long>(epoch) : 0;
    e.t_start_s = ev.t_s;
    const double timeout_ms = num(ev.raw, "timeout_ms");
    if (std::isfinite(timeout_ms)) e.t_deadline_s = ev.t_s + timeout_ms / 1000.0;
    e.outcome = "open";
    s_.elections.push_back(std::move(e));
  }

  void vote(const Event& ev) {
    const std::string candidate = str(ev.raw, "for");
    const double epoch = num(ev.raw, "epoch");
    for (auto it = s_.elections.rbegin(); it != s_.elections.rend(); ++it)
      if (it->candidate == candidate && (!std::isfinite(epoch) || static_cast<double>(it->epoch) == epoch)) {
        it->votes.push_back(AnimVote{ev.node, ev.t_s});
        return;
      }
  }

  void slotMoved(const json& j) {
    const int to = find(str(j, "to"));
    const auto it = j.find("slot");
    if (it != j.end() && it->is_number_integer()) {
      const long long slot = it->get<long long>();
      if (slot >= 0 && slot < kAnimationSlots) s_.slot_owner[static_cast<std::size_t>(slot)] = to;
    }
    if (s_.reshard) ++s_.reshard->done;
  }

  void partition(const Event& ev) {
    AnimCut c;
    c.t_s = ev.t_s;
    const double ch = num(ev.raw, "channels");
    c.channels = std::isfinite(ch) ? static_cast<int>(ch) : 0;
    auto names = [&](const json& a) {
      std::vector<std::string> out;
      if (a.is_array())
        for (const auto& x : a)
          if (x.is_string() && find(x.get<std::string>()) >= 0) out.push_back(x.get<std::string>());
      return out;
    };
    const json& j = ev.raw;
    if (j.contains("groups")) {
      std::vector<std::string> listed;
      if (j["groups"].is_array())
        for (const auto& g : j["groups"]) {
          c.sides.push_back(names(g));
          listed.insert(listed.end(), c.sides.back().begin(), c.sides.back().end());
        }
      std::vector<std::string> rest;  // unlisted nodes: one more side (Topology::partition)
      for (const auto& x : s_.nodes)
        if (std::find(listed.begin(), listed.end(), x.name) == listed.end()) rest.push_back(x.name);
      c.sides.push_back(std::move(rest));
    } else {
      c.one_way = true;
      c.sides = {names(j.value("from", json::array())), names(j.value("to", json::array()))};
    }
    s_.cuts.push_back(std::move(c));
  }

  // Decided elections leave once they are older than recent_s; events only move forward, so none is needed again.
  void prune(double t_s) {
    const double keep_from = t_s - recent_s_;
    s_.elections.erase(std::remove_if(s_.elections.begin(), s_.elections.end(),
                                      [&](const AnimElection& e) {
                                        const double end = e.outcome == "open" ? e.t_deadline_s : e.t_end_s;
                                        return end < keep_from;
                                      }),
                       s_.elections.end());
  }

  ClusterAnimation::State& s_;
  double recent_s_;
  std::unordered_map<std::string, int> index_;
};

}  // namespace

ClusterAnimation::ClusterAnimation(std::shared_ptr<const cachelab::results::Run> run, double recent_s)
    : run_(std::move(run)), recent_s_(recent_s) {
  const auto& events = run_->events;
  const auto* t = run_->series.column("t_s");
  end_s_ = t && !t->empty() ? t->back() : 0.0;
  for (const auto& ev : events) {
    if (ev.type == "run_end" && std::isfinite(ev.t_s)) end_s_ = ev.t_s;
    if (t == nullptr || t->empty()) end_s_ = std::max(end_s_, std::isfinite(ev.t_s) ? ev.t_s : 0.0);
  }
  series_t_ = t;
  buildInitial();
  buildMigrations();
  buildCheckpoints();
}

void ClusterAnimation::buildInitial() {
  const auto& run = *run_;
  auto& nodes = initial_.nodes;
  initial_.slot_owner.assign(kAnimationSlots, -1);
  const Event* layout = nullptr;
  for (const auto& ev : run.events) {
    if (ev.t_s > 0) break;
    if (ev.type == "cluster_layout" && ev.raw.contains("nodes") && ev.raw["nodes"].is_array()) layout = &ev;
  }
  std::vector<std::vector<std::pair<int, int>>> ranges;
  if (layout) {
    layout_source_ = "events.jsonl cluster_layout";
    for (const auto& jn : layout->raw["nodes"]) {
      AnimNode x;
      x.name = str(jn, "node");
      if (x.name.empty()) continue;
      const std::string role = str(jn, "role");
      x.up = role != "down";
      x.role = x.up ? role : "";
      x.master = str(jn, "master");
      x.maxmemory_bytes = num(jn, "maxmemory_bytes");
      std::vector<std::pair<int, int>> r;
      if (jn.contains("slot_ranges") && jn["slot_ranges"].is_array())
        for (const auto& p : jn["slot_ranges"])
          if (p.is_array() && p.size() == 2 && p[0].is_number_integer() && p[1].is_number_integer())
            r.emplace_back(p[0].get<int>(), p[1].get<int>());
      ranges.push_back(std::move(r));
      nodes.push_back(std::move(x));
    }
  } else {
    layout_source_ = "no cluster_layout event: series.csv's nodes, roles of its first row, redis-cli's split";
    const auto split = redisCliSplit(masterCount(run));
    for (const auto& name : run.series.node_names()) {
      AnimNode x;
      x.name = name;
      const auto* roles = run.series.text_column(name + ".role");
      const std::string role = roles && !roles->empty() ? (*roles)[0] : "";
      x.up = role != "down";
      x.role = x.up ? role : "";
      if (name.rfind("replica-", 0) == 0) x.master = "master-" + std::to_string(shardNumber(name));
      std::vector<std::pair<int, int>> r;
      const int m = name.rfind("master-", 0) == 0 ? shardNumber(name) : 0;
      if (m >= 1 && m <= static_cast<int>(split.size())) r.push_back(split[static_cast<std::size_t>(m - 1)]);
      ranges.push_back(std::move(r));
      nodes.push_back(std::move(x));
    }
  }
  for (std::size_t i = 0; i < nodes.size(); ++i)
    for (auto [lo, hi] : ranges[i])
      for (int s = std::max(lo, 0); s <= std::min(hi, kAnimationSlots - 1); ++s)
        initial_.slot_owner[static_cast<std::size_t>(s)] = static_cast<int>(i);
  // maxmemory: summary.json's per node where the layout has none.
  for (auto& x : nodes)
    if (!std::isfinite(x.maxmemory_bytes))
      for (const auto& sn : run.summary.nodes)
        if (sn.name == x.name) x.maxmemory_bytes = sn.maxmemory_bytes;
  // Columns: each node that is not a replica opens one, in layout order; a replica sits under its master.
  std::unordered_map<std::string, int> column;
  columns_ = 0;
  for (auto& x : nodes)
    if (x.master.empty()) column[x.name] = x.column = columns_++;
  for (auto& x : nodes)
    if (!x.master.empty()) {
      const auto it = column.find(x.master);
      x.column = it != column.end() ? it->second : columns_++;
    }
  columns_ = std::max(columns_, 1);
  for (const auto& x : nodes) {
    SeriesColumns c;
    c.used = run.series.column(x.name + ".used_memory_bytes");
    c.keys = run.series.column(x.name + ".keys");
    c.ops = run.series.column(x.name + ".ops_per_s");
    if (c.ops)
      for (double v : *c.ops)
        if (std::isfinite(v)) peak_ops_ = std::max(peak_ops_, v);
    series_.push_back(c);
  }
}

void ClusterAnimation::buildMigrations() {
  for (const auto& ev : run_->events) {
    if (ev.type != "slot_moved") continue;
    const double start = num(ev.raw, "t_start_s");
    const auto it = ev.raw.find("slot");
    if (!std::isfinite(start) || it == ev.raw.end() || !it->is_number_integer()) continue;
    spans_.push_back(SlotSpan{start, ev.t_s, it->get<int>()});
  }
}

void ClusterAnimation::buildCheckpoints() {
  auto s = std::make_shared<State>();
  s->nodes = initial_.nodes;
  s->promoted_at.assign(s->nodes.size(), kNaN);
  s->slot_owner = initial_.slot_owner;
  checkpoints_.emplace_back(0, std::make_shared<State>(*s));
  Replayer r(*s, recent_s_);
  const auto& events = run_->events;
  for (std::size_t i = 0; i < events.size(); ++i) {
    r.apply(events[i]);
    if ((i + 1) % kCheckpointEvery == 0) checkpoints_.emplace_back(i + 1, std::make_shared<State>(*s));
  }
}

ClusterFrame ClusterAnimation::at(double t_s) const {
  if (!std::isfinite(t_s)) t_s = 0;
  t_s = std::clamp(t_s, 0.0, end_s_);
  const auto& events = run_->events;
  // Events with t_s <= t (events.jsonl is in time order).
  const std::size_t count = static_cast<std::size_t>(
      std::upper_bound(events.begin(), events.end(), t_s, [](double t, const Event& e) { return t < e.t_s; }) -
      events.begin());
  auto cp = std::upper_bound(checkpoints_.begin(), checkpoints_.end(), count,
                             [](std::size_t n, const auto& c) { return n < c.first; });
  --cp;  // the first checkpoint is at 0 events
  State s = *cp->second;
  Replayer r(s, recent_s_);
  for (std::size_t i = cp->first; i < count; ++i) r.apply(events[i]);

  ClusterFrame f;
  f.t_s = t_s;
  f.events_applied = count;
  f.nodes = std::move(s.nodes);
  f.slot_owner = std::move(s.slot_owner);
  f.cuts = std::move(s.cuts);
  // The series row of the interval holding t: rows end at t_s, the first interval starts at 0.
  std::size_t row = 0;
  bool have_row = false;
  if (series_t_ && !series_t_->empty()) {
    row = static_cast<std::size_t>(std::lower_bound(series_t_->begin(), series_t_->end(), t_s) - series_t_->begin());
    row = std::min(row, series_t_->size() - 1);
    have_row = true;
  }
  for (std::size_t i = 0; i < f.nodes.size(); ++i) {
    AnimNode& x = f.nodes[i];
    const SeriesColumns& c = series_[i];
    auto value = [&](const std::vector<double>* col) {
      return have_row && col && row < col->size() ? (*col)[row] : kNaN;
    };
    x.used_memory_bytes = value(c.used);
    x.keys = value(c.keys);
    x.ops_per_s = value(c.ops);
    x.promoted_recently = std::isfinite(s.promoted_at[i]) && t_s - s.promoted_at[i] <= recent_s_;
  }
  for (int o : f.slot_owner)
    if (o >= 0) ++f.nodes[static_cast<std::size_t>(o)].slot_count;
  if (!f.cuts.empty()) {
    const AnimCut& last = f.cuts.back();
    for (std::size_t side = 0; side < last.sides.size(); ++side)
      for (const auto& name : last.sides[side])
        if (const int i = f.node(name); i >= 0) f.nodes[static_cast<std::size_t>(i)].side = static_cast<int>(side);
  }
  for (auto& e : s.elections) {
    if (e.outcome == "open" && t_s > e.t_deadline_s) {
      e.outcome = "expired";
      e.t_end_s = e.t_deadline_s;
    }
    if (e.outcome == "open" || t_s - e.t_end_s <= recent_s_) f.elections.push_back(std::move(e));
  }
  if (s.reshard) {
    f.migration = *s.reshard;
    // The slot whose migration began at or before t and ended after it (a reshard moves one slot at a time).
    const auto it = std::upper_bound(spans_.begin(), spans_.end(), t_s,
                                     [](double t, const SlotSpan& sp) { return t < sp.t_end_s; });
    if (it != spans_.end() && it->t_start_s <= t_s) {
      f.migration->slot = it->slot;
      f.migration->slot_start_s = it->t_start_s;
    }
  }
  return f;
}

double ClusterAnimation::nextEventTime(double t_s) const {
  const auto& events = run_->events;
  const auto it =
      std::upper_bound(events.begin(), events.end(), t_s, [](double t, const Event& e) { return t < e.t_s; });
  return it == events.end() ? end_s_ : std::min(it->t_s, end_s_);
}

double ClusterAnimation::previousEventTime(double t_s) const {
  const auto& events = run_->events;
  const auto it =
      std::lower_bound(events.begin(), events.end(), t_s, [](const Event& e, double t) { return e.t_s < t; });
  return it == events.begin() ? 0.0 : std::prev(it)->t_s;
}

}  // namespace cachelab::gui
