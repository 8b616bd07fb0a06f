#include "cachelab/cluster/control/invariants.hpp"

#include <algorithm>

#include "cachelab/cluster/slots.hpp"

namespace cachelab::control {

using nlohmann::json;

namespace {
constexpr Time kTick = Time::ms(100);  // one clusterCron period (ref. §3.2): no state lasts less than a message apart
constexpr uint64_t kCoverageEvery = 10;  // the coverage check, O(slots), once a second
constexpr size_t kKeepFirst = 20;
}  // namespace

InvariantChecker::InvariantChecker(Simulation& sim, const ControlPlane& cp, const Topology& topo, EventSink events)
    : sim_(sim),
      cp_(cp),
      topo_(topo),
      events_(std::move(events)),
      last_fault_(Time::ns(-(int64_t{1} << 60))),
      seen_version_(static_cast<size_t>(cp.nodes()), ~uint64_t{0}),
      seen_epoch_(static_cast<size_t>(cp.nodes()), ~uint64_t{0}) {
  const Time nt = Time::ms(cp.config().node_timeout_ms);
  quiet_ = std::max(nt * 4, Time::ms(4000)) + Time::ms(2000);
  sim_.at(sim_.now() + kTick, this, 0);
}

void InvariantChecker::note_fault() {
  last_fault_ = sim_.now();
  healed_known_ = false;
}

void InvariantChecker::violation(json v) {
  ++violations_;
  v["t_s"] = sim_.now().seconds();
  if (first_.size() < kKeepFirst) first_.push_back(v);
  json e = v;
  e["type"] = "invariant_violation";
  events_(std::move(e));
}

void InvariantChecker::on_event(Time now, uint64_t) {
  sim_.at(now + kTick, this, 0);
  check_epochs();
  if (++ticks_ % kCoverageEvery == 0 && now - last_fault_ >= quiet_ && healed()) check_coverage(false);
}

// Records each live master's claims under its configEpoch when they changed; a slot already recorded for another
// node under the same epoch is a violation.
void InvariantChecker::check_epochs() {
  ++epoch_checks_;
  for (int i = 0; i < cp_.nodes(); ++i) {
    if (!cp_.alive(i) || cp_.role(i) != Role::kMaster) continue;
    const uint64_t version = cp_.claims_version(i), epoch = cp_.config_epoch(i);
    auto& sv = seen_version_[static_cast<size_t>(i)];
    auto& se = seen_epoch_[static_cast<size_t>(i)];
    if (sv == version && se == epoch) continue;
    sv = version;
    se = epoch;
    auto& owner = epoch_owner_[epoch];
    if (owner.empty()) owner.assign(kClusterSlots, ControlPlane::kNoOwner);
    for (const auto& [first, last] : cp_.claims(i))
      for (int slot = first; slot <= last; ++slot) {
        uint16_t& o = owner[static_cast<size_t>(slot)];
        if (o == ControlPlane::kNoOwner) {
          o = static_cast<uint16_t>(i);
        } else if (o != i) {
          violation({{"invariant", "two_masters_one_epoch"},
                     {"slot", slot},
                     {"epoch", epoch},
                     {"nodes", json::array({cp_.name(o), cp_.name(i)})}});
          break;  // one report per node and claim change is enough
        }
      }
  }
}

bool InvariantChecker::healed() {
  if (healed_known_) return healed_;
  healed_known_ = true;
  healed_ = true;
  const int n = cp_.nodes();
  for (int i = 0; i < n && healed_; ++i) healed_ = cp_.alive(i) && !cp_.paused(i);
  for (int a = 0; a < n && healed_; ++a)
    for (int b = 0; b < n && healed_; ++b)
      if (a != b)
        for (Channel c : {kChannelBus, kChannelReplication}) healed_ = healed_ && topo_.reachable(a, b, c);
  return healed_;
}

void InvariantChecker::check_coverage(bool tables) {
  ++coverage_checks_;
  std::vector<uint16_t> owner(kClusterSlots, ControlPlane::kNoOwner);
  std::vector<uint8_t> count(kClusterSlots, 0);
  for (int i = 0; i < cp_.nodes(); ++i) {
    if (cp_.role(i) != Role::kMaster) continue;
    for (const auto& [first, last] : cp_.claims(i))
      for (int slot = first; slot <= last; ++slot) {
        owner[static_cast<size_t>(slot)] = static_cast<uint16_t>(i);
        count[static_cast<size_t>(slot)] = static_cast<uint8_t>(std::min(2, count[static_cast<size_t>(slot)] + 1));
      }
  }
  for (int slot = 0; slot < kClusterSlots; ++slot)
    if (count[static_cast<size_t>(slot)] != 1) {
      violation({{"invariant", "one_master_per_slot_after_heal"},
                 {"slot", slot},
                 {"masters", count[static_cast<size_t>(slot)] == 0 ? "none" : "several"}});
      return;  // the first slot tells the story
    }
  if (!tables) return;
  for (int i = 0; i < cp_.nodes(); ++i) {
    const uint16_t* table = cp_.slot_table(i);
    for (int slot = 0; slot < kClusterSlots; ++slot)
      if (table[slot] != owner[static_cast<size_t>(slot)]) {
        violation({{"invariant", "tables_agree_after_heal"},
                   {"slot", slot},
                   {"node", cp_.name(i)},
                   {"believes", table[slot] == ControlPlane::kNoOwner ? json() : json(cp_.name(table[slot]))},
                   {"owner", cp_.name(owner[static_cast<size_t>(slot)])}});
        return;
      }
  }
}

json InvariantChecker::finish() {
  if (!finished_) {
    finished_ = true;
    check_epochs();
    if (sim_.now() - last_fault_ >= quiet_ && healed()) check_coverage(true);
  }
  return {{"epoch_checks", epoch_checks_},
          {"coverage_checks", coverage_checks_},
          {"violations", violations_},
          {"ok", violations_ == 0},
          {"first", first_}};
}

}  // namespace cachelab::control
