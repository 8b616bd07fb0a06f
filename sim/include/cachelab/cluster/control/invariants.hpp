#pragma once
// Invariant checkers that watch the control plane from outside (issue 5 item 7). The runner installs one whenever
// the control plane runs; violations go to summary.json's `invariants` and to events.jsonl, and every scenario test
// with the control plane asserts there are none.
//  1. Never two masters for one slot in one epoch: a configEpoch names one configuration (docs/redis-reference.md
//     §5.1 "configEpoch bump", §5.3), so if two different nodes ever claim the same slot as masters with the same
//     configEpoch, the cluster had a split brain that epochs cannot resolve. Checked over the whole run, not only
//     at one instant: every (epoch, slot) remembers the first node that claimed it.
//  2. After faults heal, every slot has exactly one reachable master: once every node is alive and unpaused, every
//     pair of nodes can talk on every channel, and no fault came for a quiet period of max(4 x NT, 4 s) + 2 s (the
//     failover retry time, ref. §5.1, plus margin), the live masters' claims cover each slot exactly once; at the
//     end of the run, under the same conditions, every node's table also agrees with them.
#include <cstdint>
#include <functional>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "cachelab/cluster/control/control_plane.hpp"
#include "cachelab/core/simulation.hpp"
#include "cachelab/net/topology.hpp"

namespace cachelab::control {

class InvariantChecker final : private EventHandler {
 public:
  using EventSink = std::function<void(nlohmann::json)>;
  InvariantChecker(Simulation& sim, const ControlPlane& cp, const Topology& topo, EventSink events);
  // A fault was applied now: the quiet period starts again and "healed" is recomputed when it ends.
  void note_fault();
  // Runs the end-of-run checks (once) and returns {epoch_checks, coverage_checks, violations, ok, first: [...]}
  // (coverage_checks: how often the cluster was healed and quiet, so the after-heal invariant was looked at).
  nlohmann::json finish();

 private:
  void on_event(Time now, uint64_t tag) override;
  void check_epochs();
  bool healed();
  void check_coverage(bool tables);
  void violation(nlohmann::json v);

  Simulation& sim_;
  const ControlPlane& cp_;
  const Topology& topo_;
  EventSink events_;
  Time quiet_;
  Time last_fault_;
  bool healed_known_ = false, healed_ = false;
  uint64_t ticks_ = 0, epoch_checks_ = 0, coverage_checks_ = 0, violations_ = 0;
  bool finished_ = false;
  nlohmann::json first_ = nlohmann::json::array();         // the first violations, in full
  std::vector<uint64_t> seen_version_, seen_epoch_;        // per node: the claims last recorded
  std::map<uint64_t, std::vector<uint16_t>> epoch_owner_;  // configEpoch -> slot -> first claimant
};

}  // namespace cachelab::control
