#pragma once
// The animated cluster view's model (issue 18 part 3): the cluster's state at any time t of a finished run, replayed
// from the run's files. No widgets, no Qt: the view draws a ClusterFrame, tests check one. It decides nothing the
// files do not say (results/README.md names every field read here):
//  - the nodes at t = 0 (role, master, slot ranges, maxmemory): events.jsonl `cluster_layout`. A run without it
//    (live mode, older runs) starts from series.csv's nodes, masters master-N with redis-cli's split and replicas
//    replica-M-R of master-M, as results/README.md names them; `layoutSource()` says which;
//  - up or down: `fault` rows kill / restart / pause / resume (also `node_down` / `node_up`), `add_node_start`,
//    `remove_node_end`;
//  - who flags whom: `pfail`, `pfail_cleared`, `fail`, `fail_cleared` (`seen_by`). A killed node's own table is
//    dropped (a restarted node starts with an empty one); a removed node is forgotten by every other;
//  - a node's cluster state: `cluster_state`;
//  - roles after t = 0: `promoted`, `role_changed`, `replica_migrated`;
//  - elections: `election_started` (`epoch`, `timeout_ms`), `failover_auth` (`node` voted `for`), `promoted`;
//  - slot owners: `promoted` (the old master's slots), `slot_moved`; the slot migrating at t: the `slot_moved` whose
//    [`t_start_s`, `t_s`] holds t; a reshard's progress: `reshard_start` (`slots`) and its `slot_moved` rows;
//  - partitions: `partition` (`groups`, the unlisted nodes one more side; or a one-way `from` / `to` cut) until `heal`;
//  - memory, keys, traffic: the series.csv row of the metrics interval holding t (`<node>.used_memory_bytes`,
//    `.keys`, `.ops_per_s`).
#include <cstddef>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

inline constexpr int kAnimationSlots = 16384;

struct AnimNode {
  std::string name;
  std::string role;    // "master" or "replica" as the node last announced; "" before it joins or after it left
  std::string master;  // a replica's master ("" for a master)
  int column = 0;      // its shard at t = 0 (master-M and replica-M-R share M - 1): where the view draws it
  bool up = true;      // false: killed, not joined yet, or removed
  bool paused = false;
  bool cluster_ok = true;             // its own cluster_state (false: it answers CLUSTERDOWN)
  std::vector<std::string> pfail_by;  // nodes that flag it PFAIL at t, in the order they did
  std::vector<std::string> fail_by;   // nodes that flag it FAIL at t
  int slot_count = 0;                 // slots it owns at t
  int side = -1;                      // its side of the latest partition (0, 1, ...), -1 without one
  bool promoted_recently = false;     // promoted within the animation's `recent_s` before t
  double maxmemory_bytes = std::numeric_limits<double>::quiet_NaN();
  // The series.csv row of the interval holding t (NaN when the file has no such column or row).
  double used_memory_bytes = std::numeric_limits<double>::quiet_NaN();
  double keys = std::numeric_limits<double>::quiet_NaN();
  double ops_per_s = std::numeric_limits<double>::quiet_NaN();
};

struct AnimVote {
  std::string voter;  // the master that granted it
  double t_s = 0;
};

struct AnimElection {
  std::string candidate;
  long long epoch = 0;
  double t_start_s = 0;
  double t_deadline_s = std::numeric_limits<double>::infinity();  // t_start_s + timeout_ms (inf without the field)
  std::vector<AnimVote> votes;                                    // granted at or before t
  std::string outcome;  // "open", "won" (promoted), "expired" (deadline passed), "superseded" (a newer election)
  double t_end_s = std::numeric_limits<double>::quiet_NaN();  // when it was won or expired (NaN while open)
};

struct AnimMigration {  // the reshard in progress at t
  std::string from, to;
  int total = 0;  // reshard_start `slots`
  int done = 0;   // its slot_moved rows at or before t
  int slot = -1;  // the slot migrating at t (-1: between slots, or a run without slot_moved `t_start_s`)
  double slot_start_s = 0;
};

struct AnimCut {                                // one cut of the network
  std::vector<std::vector<std::string>> sides;  // a partition's groups and the rest; a one-way cut: {from, to}
  bool one_way = false;
  int channels = 0;  // the event's bit mask (results/README.md)
  double t_s = 0;
};

struct ClusterFrame {
  double t_s = 0;
  std::vector<AnimNode> nodes;          // in the layout's order
  std::vector<int> slot_owner;          // kAnimationSlots entries: index into nodes, -1 when no node owns the slot
  std::vector<AnimElection> elections;  // open at t, or decided within recent_s before t
  std::optional<AnimMigration> migration;
  std::vector<AnimCut> cuts;                // in force at t, oldest first
  std::size_t events_applied = 0;           // events with t_s <= t (the log's current row is the last of them)
  int node(const std::string& name) const;  // index, -1 when absent
};

// One line of the view's event log: "fail master-1 · seen_by replica-3-1 · via message" (the row's fields as the file
// has them, t_s and type left out; a cluster_layout row as its node count).
std::string eventSummary(const cachelab::results::Event& ev);

class ClusterAnimation {
 public:
  // `recent_s`: how long a decided election and a promotion stay highlighted (virtual seconds).
  explicit ClusterAnimation(std::shared_ptr<const cachelab::results::Run> run, double recent_s = 2.0);

  // The state after every event with t_s <= t (t is clamped to [0, endTime()]).
  ClusterFrame at(double t_s) const;

  double endTime() const { return end_s_; }  // run_end's t_s, else the last series row, else the last event
  const std::vector<cachelab::results::Event>& events() const { return run_->events; }
  // For step: the first event time after t (endTime() when none), the last event time before t (0 when none).
  double nextEventTime(double t_s) const;
  double previousEventTime(double t_s) const;
  const std::string& layoutSource() const { return layout_source_; }
  std::size_t nodeCount() const { return initial_.nodes.size(); }
  int columns() const { return columns_; }
  double recentSeconds() const { return recent_s_; }
  // The largest `<node>.ops_per_s` of the run (0 without one): the scale of the view's traffic rings.
  double peakOpsPerS() const { return peak_ops_; }

  struct State;  // the replayed event state (cluster_animation.cpp)

 private:
  void buildInitial();
  void buildMigrations();
  void buildCheckpoints();

  std::shared_ptr<const cachelab::results::Run> run_;
  double recent_s_;
  double end_s_ = 0;
  double peak_ops_ = 0;
  int columns_ = 1;
  std::string layout_source_;
  struct InitialState {
    std::vector<AnimNode> nodes;
    std::vector<int> slot_owner;
  } initial_;
  struct SlotSpan {  // one slot_moved row with its start
    double t_start_s, t_end_s;
    int slot;
  };
  std::vector<SlotSpan> spans_;  // in time order (a reshard moves one slot at a time)
  std::vector<std::pair<std::size_t, std::shared_ptr<const State>>> checkpoints_;  // state after N events
  struct SeriesColumns {
    const std::vector<double>* used = nullptr;
    const std::vector<double>* keys = nullptr;
    const std::vector<double>* ops = nullptr;
  };
  std::vector<SeriesColumns> series_;
  const std::vector<double>* series_t_ = nullptr;
};

}  // namespace cachelab::gui
