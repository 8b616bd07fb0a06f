// The animated cluster view (issue 18 part 3): the model's state at time t replayed from fixture runs, the view's
// controls, and `--screenshot --view animation --at SECONDS`. Expectations are read from each fixture's events.jsonl
// and series.csv by the test's own simple loops (which rows happened before t), never pasted from the model.
//
// The fixtures were written by (build/sim/cachelab, from the repository root):
//   run-failover:  cachelab run scenarios/lessons/failover.json --set /duration_s=35 --set /warmup_s=2
//                    --set /faults/0/at_s=10 --set /faults/1/at_s=25 --set /workload/arrival/rate_per_s=2000
//                    --set /workload/keys=20000 --out tests/fixtures/run-failover
//                  (master-1 killed at 10 s, restarted at 25 s)
//   run-reshard:   cachelab run scenarios/lessons/resharding.json --set /duration_s=12 --set /warmup_s=2
//                    --set /faults/0/at_s=5 --set /faults/0/count=50 --set /workload/arrival/rate_per_s=2000
//                    --set /workload/keys=20000 --out tests/fixtures/run-reshard
//                  (50 slots from master-1 to master-3 at 5 s)
//   run-partition: cachelab run scenarios/lessons/failover.json --set /duration_s=35 --set /warmup_s=2
//                    --set '/faults=[{"at_s":10,"action":"partition","nodes":"master-1"},{"at_s":25,"action":"heal"}]'
//                    --set /workload/arrival/rate_per_s=2000 --set /workload/keys=20000 --out tests/fixtures/run-partition
//                  (master-1 cut off from every other node at 10 s, healed at 25 s)
#include <QApplication>
#include <QImage>
#include <QListWidget>
#include <QProcess>
#include <QTemporaryDir>

#include <algorithm>
#include <filesystem>
#include <set>

#include <gtest/gtest.h>

#include "app/options.hpp"
#include "app/screenshot.hpp"
#include "model/cluster_animation.hpp"
#include "views/animation_view.hpp"
#include "widgets/cluster_widget.hpp"
#include "test_dirs.hpp"

namespace {

using namespace cachelab::gui;
using cachelab::results::Event;
namespace fs = std::filesystem;

fs::path fixture(const char* name) { return fs::path(CACHELAB_FIXTURES_DIR) / name; }
RunPtr load(const char* name) { return loadRun(QString::fromStdString(fixture(name).string())); }

// The first row of `type` (and node, when given) in the file; fails the test when there is none.
const Event& first(const RunPtr& run, const std::string& type, const std::string& node = "") {
  for (const auto& ev : run->events)
    if (ev.type == type && (node.empty() || ev.node == node)) return ev;
  ADD_FAILURE() << "no " << type << " row for '" << node << "'";
  static const Event none;
  return none;
}
const Event& fault(const RunPtr& run, const std::string& action) {
  for (const auto& ev : run->events)
    if (ev.type == "fault" && ev.raw.value("action", "") == action) return ev;
  ADD_FAILURE() << "no " << action << " fault";
  static const Event none;
  return none;
}

// Who flags `node` with `flag` at t, by the file: the observer's last pfail / pfail_cleared / fail / fail_cleared
// row about it at or before t (a fail ends the observer's PFAIL, a kill of the observer ends its views).
std::set<std::string> flaggedBy(const RunPtr& run, const std::string& node, double t, const std::string& flag) {
  std::set<std::string> pfail, fail;
  for (const auto& ev : run->events) {
    if (ev.t_s > t) break;
    const std::string by = ev.raw.value("seen_by", "");
    if (ev.node != node) continue;
    if (ev.type == "pfail") pfail.insert(by);
    if (ev.type == "pfail_cleared") pfail.erase(by);
    if (ev.type == "fail") pfail.erase(by), fail.insert(by);
    if (ev.type == "fail_cleared") fail.erase(by);
  }
  return flag == "pfail" ? pfail : fail;
}
std::set<std::string> asSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

const AnimNode& node(const ClusterFrame& f, const std::string& name) {
  const int i = f.node(name);
  EXPECT_GE(i, 0) << name;
  return f.nodes.at(static_cast<std::size_t>(std::max(i, 0)));
}
int owner(const ClusterFrame& f, int slot) { return f.slot_owner.at(static_cast<std::size_t>(slot)); }

TEST(ClusterAnimation, StartsFromTheLayoutTheRunWrote) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  EXPECT_EQ(a.layoutSource(), "events.jsonl cluster_layout");
  EXPECT_DOUBLE_EQ(a.endTime(), first(run, "run_end").t_s);
  const ClusterFrame f = a.at(0);
  ASSERT_EQ(f.nodes.size(), 6u);
  // redis-cli --cluster create's split of 3 masters (docs/redis-reference.md): 0-5460, 5461-10922, 10923-16383.
  EXPECT_EQ(owner(f, 0), f.node("master-1"));
  EXPECT_EQ(owner(f, 5460), f.node("master-1"));
  EXPECT_EQ(owner(f, 5461), f.node("master-2"));
  EXPECT_EQ(owner(f, 16383), f.node("master-3"));
  EXPECT_EQ(node(f, "master-1").slot_count, 5461);
  EXPECT_EQ(node(f, "replica-2-1").role, "replica");
  EXPECT_EQ(node(f, "replica-2-1").master, "master-2");
  EXPECT_EQ(node(f, "replica-2-1").column, node(f, "master-2").column);  // drawn under its master
  EXPECT_EQ(node(f, "master-1").maxmemory_bytes, 64.0 * 1024 * 1024);    // the scenario's "64mb"
}

TEST(ClusterAnimation, BeforeTheKillEveryMasterIsUpAndUnsuspected) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  const ClusterFrame f = a.at(fault(run, "kill").t_s - 0.5);
  for (const char* m : {"master-1", "master-2", "master-3"}) {
    EXPECT_TRUE(node(f, m).up) << m;
    EXPECT_EQ(node(f, m).role, "master") << m;
    EXPECT_TRUE(node(f, m).pfail_by.empty() && node(f, m).fail_by.empty()) << m;
    EXPECT_TRUE(node(f, m).cluster_ok) << m;
  }
  EXPECT_TRUE(f.elections.empty());
}

TEST(ClusterAnimation, BetweenTheKillAndFailTheDeadMasterIsPfailForSomeObservers) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  const double kill = fault(run, "kill").t_s, pfail = first(run, "pfail", "master-1").t_s,
               fail = first(run, "fail", "master-1").t_s;
  ASSERT_LT(kill, pfail);
  ASSERT_LT(pfail, fail);
  const ClusterFrame justKilled = a.at((kill + pfail) / 2);
  EXPECT_FALSE(node(justKilled, "master-1").up);
  EXPECT_TRUE(node(justKilled, "master-1").pfail_by.empty());  // nobody has noticed yet (node_timeout)
  const double t = (pfail + fail) / 2;
  const ClusterFrame f = a.at(t);
  const auto expected = flaggedBy(run, "master-1", t, "pfail");
  EXPECT_FALSE(expected.empty());
  EXPECT_LT(expected.size(), 5u);  // the report is still spreading
  EXPECT_EQ(asSet(node(f, "master-1").pfail_by), expected);
  EXPECT_TRUE(node(f, "master-1").fail_by.empty());
}

TEST(ClusterAnimation, FailSpreadsThenTheReplicaWinsItsElection) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  const Event& promoted = first(run, "promoted");
  const std::string winner = promoted.node, old = promoted.raw.value("old_master", "");
  EXPECT_EQ(old, "master-1");
  const Event& started = first(run, "election_started", winner);
  // Just before the votes: every node that will vote... has FAIL for master-1 by the file's own rows.
  const ClusterFrame before = a.at(started.t_s);
  EXPECT_EQ(asSet(node(before, "master-1").fail_by), flaggedBy(run, "master-1", started.t_s, "fail"));
  EXPECT_TRUE(node(before, "master-1").pfail_by.empty());
  EXPECT_EQ(node(before, winner).role, "replica");
  ASSERT_EQ(before.elections.size(), 1u);
  EXPECT_EQ(before.elections[0].outcome, "open");
  EXPECT_EQ(before.elections[0].epoch, started.raw.value("epoch", -1));

  std::set<std::string> voters;
  for (const auto& ev : run->events)
    if (ev.type == "failover_auth" && ev.raw.value("for", "") == winner && ev.t_s <= promoted.t_s)
      voters.insert(ev.node);
  EXPECT_GE(voters.size(), 2u);  // a majority of the 3 masters
  const ClusterFrame after = a.at(promoted.t_s);
  EXPECT_EQ(node(after, winner).role, "master");
  EXPECT_TRUE(node(after, winner).promoted_recently);
  ASSERT_EQ(after.elections.size(), 1u);
  EXPECT_EQ(after.elections[0].outcome, "won");
  std::set<std::string> shown;
  for (const auto& v : after.elections[0].votes) shown.insert(v.voter);
  EXPECT_EQ(shown, voters);
  // The old master's slots follow the promoted replica.
  EXPECT_EQ(owner(after, 0), after.node(winner));
  EXPECT_EQ(owner(after, 5460), after.node(winner));
  EXPECT_EQ(node(after, winner).slot_count, 5461);
  EXPECT_EQ(node(after, old).slot_count, 0);
  // The highlight and the election fade after recent_s.
  const ClusterFrame later = a.at(promoted.t_s + a.recentSeconds() + 0.1);
  EXPECT_FALSE(node(later, winner).promoted_recently);
  EXPECT_TRUE(later.elections.empty());
}

TEST(ClusterAnimation, TheRestartedMasterRejoinsAsAReplicaAndIsNoLongerFlagged) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  const Event& changed = first(run, "role_changed", "master-1");
  const ClusterFrame f = a.at(changed.t_s);
  EXPECT_TRUE(node(f, "master-1").up);
  EXPECT_EQ(node(f, "master-1").role, "replica");
  EXPECT_EQ(node(f, "master-1").master, changed.raw.value("master", ""));
  const ClusterFrame end = a.at(a.endTime());
  EXPECT_EQ(asSet(node(end, "master-1").fail_by), flaggedBy(run, "master-1", a.endTime(), "fail"));
  EXPECT_TRUE(node(end, "master-1").fail_by.empty());
}

TEST(ClusterAnimation, MemoryAndTrafficAreTheSeriesRowOfTheIntervalHoldingT) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  const auto& t = *run->series.column("t_s");
  const auto& used = *run->series.column("master-2.used_memory_bytes");
  const auto& ops = *run->series.column("master-2.ops_per_s");
  for (double at : {0.3, 7.5, 20.0, 34.9}) {
    std::size_t row = 0;
    while (row + 1 < t.size() && t[row] < at) ++row;  // rows end at t_s: the first that ends at or after t
    const ClusterFrame f = a.at(at);
    EXPECT_EQ(node(f, "master-2").used_memory_bytes, used[row]) << at;
    EXPECT_EQ(node(f, "master-2").ops_per_s, ops[row]) << at;
  }
  EXPECT_GT(a.peakOpsPerS(), 0);
}

TEST(ClusterAnimation, AReshardShowsTheMigratingSlotAndMovesOwnership) {
  const RunPtr run = load("run-reshard");
  const ClusterAnimation a(run);
  const Event& start = first(run, "reshard_start");
  const Event& end = first(run, "reshard_end");
  const std::string from = start.raw.value("from", ""), to = start.raw.value("to", "");
  EXPECT_FALSE(a.at(start.t_s - 0.1).migration.has_value());
  std::vector<const Event*> moved;
  for (const auto& ev : run->events)
    if (ev.type == "slot_moved") moved.push_back(&ev);
  ASSERT_EQ(moved.size(), static_cast<std::size_t>(start.raw.value("slots", 0)));
  // Inside the tenth slot's migration: that slot is migrating, nine are done.
  const Event& tenth = *moved[9];
  const double t = (tenth.raw.value("t_start_s", 0.0) + tenth.t_s) / 2;
  const ClusterFrame f = a.at(t);
  ASSERT_TRUE(f.migration.has_value());
  EXPECT_EQ(f.migration->from, from);
  EXPECT_EQ(f.migration->to, to);
  EXPECT_EQ(f.migration->slot, tenth.raw.value("slot", -1));
  EXPECT_EQ(f.migration->done, 9);
  EXPECT_EQ(f.migration->total, 50);
  const int slot = tenth.raw.value("slot", -1);
  EXPECT_EQ(owner(f, slot), f.node(from));  // not moved yet
  EXPECT_EQ(owner(a.at(tenth.t_s), slot), a.at(tenth.t_s).node(to));
  const ClusterFrame done = a.at(end.t_s);
  EXPECT_FALSE(done.migration.has_value());
  for (const Event* ev : moved) EXPECT_EQ(owner(done, ev->raw.value("slot", -1)), done.node(to));
  EXPECT_EQ(node(done, from).slot_count, 5461 - 50);
  EXPECT_EQ(node(done, to).slot_count, 5461 + 50);
}

TEST(ClusterAnimation, APartitionHasSidesTheMinorityKeepsItsRoleUntilHealed) {
  const RunPtr run = load("run-partition");
  const ClusterAnimation a(run);
  const Event& cut = first(run, "partition");
  const Event& heal = first(run, "heal");
  const ClusterFrame f = a.at(cut.t_s + 1);
  ASSERT_EQ(f.cuts.size(), 1u);
  EXPECT_EQ(node(f, "master-1").side, 0);  // the listed group
  for (const char* other : {"master-2", "master-3", "replica-1-1", "replica-2-1", "replica-3-1"})
    EXPECT_EQ(node(f, other).side, 1) << other;
  // Just before the heal: the majority promoted replica-1-1; master-1, cut off, still calls itself master, flags
  // the others PFAIL and answers CLUSTERDOWN (its cluster_state row).
  const ClusterFrame deposed = a.at(heal.t_s - 0.01);
  EXPECT_EQ(node(deposed, "master-1").role, "master");
  EXPECT_EQ(node(deposed, "replica-1-1").role, "master");
  EXPECT_FALSE(node(deposed, "master-1").cluster_ok);
  EXPECT_EQ(owner(deposed, 0), deposed.node("replica-1-1"));
  EXPECT_EQ(asSet(node(deposed, "master-2").pfail_by), flaggedBy(run, "master-2", heal.t_s - 0.01, "pfail"));
  EXPECT_TRUE(asSet(node(deposed, "master-2").pfail_by).count("master-1"));
  const ClusterFrame healed = a.at(a.endTime());
  EXPECT_TRUE(healed.cuts.empty());
  EXPECT_EQ(node(healed, "master-1").side, -1);
  for (const auto& n : healed.nodes) EXPECT_TRUE(n.pfail_by.empty() && n.fail_by.empty()) << n.name;  // pfail_cleared
  EXPECT_EQ(node(healed, "master-1").role, "replica");
}

// README.md and gui/README.md describe their picture (--at 17.3 of run-partition) in words; these are those words.
TEST(ClusterAnimation, TheReadmePictureShowsWhatTheReadmeSays) {
  const RunPtr run = load("run-partition");
  const ClusterAnimation a(run);
  EXPECT_EQ(a.recentSeconds(), 2.0);  // "for two seconds after a promotion"
  const ClusterFrame f = a.at(17.3);
  ASSERT_EQ(f.cuts.size(), 1u);
  EXPECT_EQ(f.cuts[0].t_s, 10.0);  // "cut off by a partition at 10 s"
  EXPECT_EQ(f.cuts[0].sides[0], std::vector<std::string>{"master-1"});
  EXPECT_EQ(node(f, "master-1").fail_by.size(), 5u);  // "the other five mark it FAIL"
  EXPECT_EQ(node(f, "replica-1-1").role, "master");
  EXPECT_TRUE(node(f, "replica-1-1").promoted_recently);
  ASSERT_EQ(f.elections.size(), 1u);  // "won its election with the votes of master-2 and master-3"
  EXPECT_EQ(f.elections[0].outcome, "won");
  std::set<std::string> voters;
  for (const auto& v : f.elections[0].votes) voters.insert(v.voter);
  EXPECT_EQ(voters, (std::set<std::string>{"master-2", "master-3"}));
  EXPECT_EQ(node(f, "master-1").role, "master");  // "still calls itself master"
  int flagged = 0;                                // "flags four of the others PFAIL"
  for (const auto& n : f.nodes) flagged += asSet(n.pfail_by).count("master-1") > 0;
  EXPECT_EQ(flagged, 4);
}

TEST(ClusterAnimation, ARunWithoutTheLayoutEventStartsFromTheNamesAndTheSplit) {
  const RunPtr run = loadRun(QString::fromStdString(cachelab::testing::fixtureRun().string()));  // run-small
  const ClusterAnimation a(run);
  EXPECT_NE(a.layoutSource().find("no cluster_layout"), std::string::npos);
  const ClusterFrame f = a.at(0);
  EXPECT_EQ(owner(f, 0), f.node("master-1"));
  EXPECT_EQ(node(f, "replica-2-1").master, "master-2");
  // run-small's promoted row (old_master master-2) hands master-2's slots over.
  const ClusterFrame end = a.at(a.endTime());
  EXPECT_EQ(owner(end, 5461), end.node("replica-2-1"));
}

TEST(ClusterAnimation, BrokenRowsAreSkippedNeverACrash) {
  cachelab::testing::ScratchRun s;
  s.write("events.jsonl",
          "{\"t_s\":0.0,\"type\":\"run_start\"}\n"
          "{\"t_s\":1.0,\"type\":\"slot_moved\",\"slot\":\"x\",\"to\":5}\n"
          "{\"t_s\":1.5,\"type\":\"slot_moved\",\"slot\":99999,\"to\":\"master-1\"}\n"
          "{\"t_s\":2.0,\"type\":\"partition\",\"groups\":7}\n"
          "{\"t_s\":3.0,\"type\":\"failover_auth\",\"node\":\"master-9\",\"for\":null}\n"
          "{\"t_s\":4.0,\"type\":\"pfail\",\"node\":\"nobody\",\"seen_by\":3}\n"
          "{\"t_s\":5.0,\"type\":\"cluster_layout\",\"nodes\":\"no\"}\n"
          "{\"t_s\":6.0,\"type\":\"election_started\",\"node\":\"replica-1-1\",\"epoch\":\"e\",\"timeout_ms\":null}\n");
  const ClusterAnimation a(loadRun(QString::fromStdString(s.dir().string())));
  for (double t = 0; t <= a.endTime(); t += 0.5) EXPECT_EQ(a.at(t).slot_owner.size(), 16384u);
  EXPECT_EQ(a.at(2.5).cuts.size(), 1u);
  EXPECT_EQ(eventSummary(a.events()[1]), "slot_moved · slot x · to 5");
}

// Rows the fixtures do not have, written by hand in the documented shapes (results/README.md); each expectation is
// what that row says.
TEST(ClusterAnimation, PausesOneWayCutsExpiredElectionsAndRemovedNodes) {
  cachelab::testing::ScratchRun s;  // run-small's series: master-1..3, replica-1-1..3-1
  s.write("events.jsonl",
          "{\"t_s\":0.0,\"type\":\"run_start\"}\n"
          "{\"t_s\":1.0,\"type\":\"fault\",\"action\":\"pause\",\"node\":\"master-3\"}\n"
          "{\"t_s\":2.0,\"type\":\"pfail\",\"node\":\"master-3\",\"seen_by\":\"master-1\"}\n"
          "{\"t_s\":3.0,\"type\":\"fault\",\"action\":\"resume\",\"node\":\"master-3\"}\n"
          "{\"t_s\":3.5,\"type\":\"pfail_cleared\",\"node\":\"master-3\",\"seen_by\":\"master-1\"}\n"
          "{\"t_s\":4.0,\"type\":\"partition\",\"from\":[\"master-2\"],\"to\":[\"replica-2-1\"],"
          "\"channels\":4,\"one_way\":true}\n"
          "{\"t_s\":5.0,\"type\":\"election_started\",\"node\":\"replica-3-1\",\"epoch\":8,\"timeout_ms\":2000}\n"
          "{\"t_s\":5.1,\"type\":\"failover_auth\",\"node\":\"master-1\",\"for\":\"replica-3-1\",\"epoch\":8}\n"
          "{\"t_s\":5.2,\"type\":\"failover_auth\",\"node\":\"master-2\",\"for\":\"replica-3-1\",\"epoch\":7}\n"
          "{\"t_s\":6.0,\"type\":\"heal\"}\n"
          "{\"t_s\":8.0,\"type\":\"pfail\",\"node\":\"master-3\",\"seen_by\":\"master-2\"}\n"
          "{\"t_s\":9.0,\"type\":\"node_down\",\"node\":\"master-2\"}\n"
          "{\"t_s\":11.0,\"type\":\"remove_node_end\",\"node\":\"master-1\"}\n"
          "{\"t_s\":12.0,\"type\":\"add_node_start\",\"node\":\"master-1\"}\n"
          "{\"t_s\":20.0,\"type\":\"run_end\"}\n");
  const ClusterAnimation a(loadRun(QString::fromStdString(s.dir().string())), 2.0);
  EXPECT_TRUE(node(a.at(1.5), "master-3").paused);
  EXPECT_TRUE(node(a.at(1.5), "master-3").up);
  EXPECT_EQ(node(a.at(2.5), "master-3").pfail_by, std::vector<std::string>{"master-1"});
  EXPECT_FALSE(node(a.at(3.2), "master-3").paused);
  EXPECT_TRUE(node(a.at(3.5), "master-3").pfail_by.empty());
  const ClusterFrame cut = a.at(4.5);
  ASSERT_EQ(cut.cuts.size(), 1u);
  EXPECT_TRUE(cut.cuts[0].one_way);
  EXPECT_EQ(cut.cuts[0].channels, 4);
  EXPECT_EQ(node(cut, "master-2").side, 0);
  EXPECT_EQ(node(cut, "replica-2-1").side, 1);
  EXPECT_EQ(node(cut, "master-1").side, -1);  // not in the cut
  // The vote of epoch 7 is not for this election (epoch 8).
  const ClusterFrame open = a.at(5.5);
  ASSERT_EQ(open.elections.size(), 1u);
  EXPECT_EQ(open.elections[0].outcome, "open");
  ASSERT_EQ(open.elections[0].votes.size(), 1u);
  EXPECT_EQ(open.elections[0].votes[0].voter, "master-1");
  EXPECT_TRUE(a.at(6.5).cuts.empty());
  const ClusterFrame expired = a.at(7.5);  // 5.0 + 2000 ms passed without a promotion
  ASSERT_EQ(expired.elections.size(), 1u);
  EXPECT_EQ(expired.elections[0].outcome, "expired");
  EXPECT_EQ(expired.elections[0].t_end_s, 7.0);
  EXPECT_TRUE(a.at(9.1).elections.empty());  // 2 s after it expired
  // A node that goes down holds no views any more.
  EXPECT_EQ(node(a.at(8.5), "master-3").pfail_by, std::vector<std::string>{"master-2"});
  EXPECT_FALSE(node(a.at(9.5), "master-2").up);
  EXPECT_TRUE(node(a.at(9.5), "master-3").pfail_by.empty());
  const ClusterFrame removed = a.at(11.5);
  EXPECT_FALSE(node(removed, "master-1").up);
  EXPECT_EQ(node(removed, "master-1").role, "");
  EXPECT_EQ(node(a.at(12.5), "master-1").role, "master");  // joins as an empty master
  EXPECT_TRUE(node(a.at(12.5), "master-1").up);
}

TEST(AnimationView, ReplicasAreDrawnUnderTheirMasters) {
  AnimationView v({load("run-failover")});
  v.resize(1200, 760);
  v.grab();  // lays out and paints
  const ClusterWidget* w = v.cluster();
  for (const char* pair : {"1", "2", "3"}) {
    const QRectF m = w->nodeRect(w->frame().node(std::string("master-") + pair));
    const QRectF r = w->nodeRect(w->frame().node(std::string("replica-") + pair + "-1"));
    ASSERT_FALSE(m.isEmpty());
    EXPECT_DOUBLE_EQ(m.center().x(), r.center().x()) << pair;
    EXPECT_GT(r.top(), m.bottom()) << pair;
  }
}

TEST(ClusterAnimation, StepsGoFromEventToEvent) {
  const RunPtr run = load("run-failover");
  const ClusterAnimation a(run);
  const double kill = fault(run, "kill").t_s;
  const double next = a.nextEventTime(kill);
  EXPECT_GT(next, kill);
  EXPECT_EQ(next, first(run, "pfail").t_s);  // the file's next row after the kill
  EXPECT_EQ(a.previousEventTime(next), kill);
  EXPECT_EQ(a.nextEventTime(a.endTime()), a.endTime());
  EXPECT_EQ(a.previousEventTime(0), 0.0);
}

TEST(AnimationView, ControlsMoveTheShownTime) {
  const RunPtr run = load("run-failover");
  AnimationView v({run});
  v.resize(1200, 760);
  const double fail = first(run, "fail").t_s;
  v.setTime(fail);
  EXPECT_EQ(v.cluster()->frame().t_s, fail);
  // The log's one bold row is the last event applied: the file's last row at or before that time.
  const Event* last = nullptr;
  for (const auto& ev : run->events)
    if (ev.t_s <= fail) last = &ev;
  ASSERT_NE(last, nullptr);
  int bold = 0;
  for (int i = 0; i < v.log()->count(); ++i)
    if (v.log()->item(i)->font().bold()) {
      ++bold;
      EXPECT_TRUE(v.log()->item(i)->text().endsWith(QString::fromStdString(eventSummary(*last))))
          << v.log()->item(i)->text().toStdString();
    }
  EXPECT_EQ(bold, 1);
  v.stepForward();
  EXPECT_GT(v.time(), fail);
  v.stepBackward();
  EXPECT_EQ(v.time(), fail);
  v.setTime(1e9);
  EXPECT_EQ(v.time(), v.endTime());
  EXPECT_EQ(AnimationView::speeds(), (std::vector<double>{0.25, 0.5, 1, 2, 4, 8, 16}));  // "0.25x to 16x"
  v.setSpeed(16);
  EXPECT_EQ(v.speed(), 16);
  v.setSpeed(3);  // not offered: ignored
  EXPECT_EQ(v.speed(), 16);
  // Playing advances virtual time at speed x wall time.
  v.setTime(1);
  v.play();
  EXPECT_TRUE(v.playing());
  QElapsedTimer wall;
  wall.start();
  while (wall.elapsed() < 300) QApplication::processEvents(QEventLoop::AllEvents, 20);
  v.pause();
  EXPECT_FALSE(v.playing());
  EXPECT_GT(v.time(), 1 + 16 * 0.1);
  EXPECT_LT(v.time(), 1 + 16 * (static_cast<double>(wall.elapsed()) / 1000 + 0.1));
}

TEST(AnimationView, ScreenshotAtATime) {
  QTemporaryDir dir;
  const QString run = QString::fromStdString(fixture("run-partition").string());
  auto shoot = [&](const QStringList& extra, const QString& out) {
    QProcess p;
    p.start(CACHELAB_GUI_BINARY,
            QStringList{"--screenshot", out, "--view", "animation", "--size", "1000x640"} + extra + QStringList{run});
    EXPECT_TRUE(p.waitForFinished(60000));
    return std::make_pair(p.exitCode(), QString(p.readAllStandardError()));
  };
  const auto [rc, err] = shoot({"--at", "17.3"}, dir.filePath("a.png"));
  EXPECT_EQ(rc, 0) << err.toStdString();
  const QImage at17(dir.filePath("a.png"));
  EXPECT_EQ(at17.size(), QSize(1000, 640));
  EXPECT_EQ(shoot({"--at", "1"}, dir.filePath("b.png")).first, 0);
  EXPECT_NE(at17, QImage(dir.filePath("b.png")));  // --at changes what is drawn
  const auto beyond = shoot({"--at", "99"}, dir.filePath("c.png"));
  EXPECT_EQ(beyond.first, 2);
  EXPECT_TRUE(beyond.second.contains("beyond the run's end (35 s)")) << beyond.second.toStdString();
  EXPECT_FALSE(QFileInfo::exists(dir.filePath("c.png")));
  for (const QString bad : {"x", "-1", "nan", "inf"}) {
    const auto r = shoot({"--at", bad}, dir.filePath("d.png"));
    EXPECT_EQ(r.first, 2) << bad.toStdString();
    EXPECT_TRUE(r.second.contains("--at: expected a time in seconds")) << r.second.toStdString();
  }
  EXPECT_TRUE(
      parseOptions({"cachelab-gui", "--screenshot", "x.png", "--at", "3", "d"}).error.contains("--view animation"));
  EXPECT_TRUE(
      parseOptions({"cachelab-gui", "--screenshot", "x.png", "--view", "animation", "--at", "3", "d"}).error.isEmpty());
}

}  // namespace
