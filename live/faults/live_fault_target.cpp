#include "live/faults/live_fault_target.hpp"

#include <stdexcept>

#include "live/faults/reshard.hpp"

namespace cachelab::live {

using nlohmann::json;

std::string LiveFaultTarget::refusal(const std::string& action, bool spawned) {
  const FaultKind* kind = FaultRegistry::instance().find(action);
  // Our own process: dropping an instance's write-behind buffer and L1 needs no server, so --redis is fine too.
  if (kind && kind->client_side) return "";
  try {
    FaultInjector::check_supported(action);
  } catch (const FaultRefused& e) {
    return e.what();
  }
  if (!spawned) return "fault '" + action + "': faults act on processes cachelab spawned; use --spawn, not --redis";
  return "";
}

LiveFaultTarget::LiveFaultTarget(Lab* lab, std::vector<std::string> names, std::vector<std::string> lab_names,
                                 const WallScheduler& clock, EventSink events)
    : lab_(lab), names_(std::move(names)), lab_names_(std::move(lab_names)), clock_(clock), events_(std::move(events)) {
  if (lab_) injector_.emplace(*lab_);
}

bool LiveFaultTarget::supports(const std::string& action, std::string* why) const {
  const std::string r = refusal(action, lab_ != nullptr);
  if (why) *why = r;
  return r.empty();
}

int LiveFaultTarget::node_index(const std::string& name) const {
  for (size_t i = 0; i < names_.size(); ++i)
    if (names_[i] == name) return static_cast<int>(i);
  return -1;
}

const std::string& LiveFaultTarget::name(int node) const {
  if (node < 0 || static_cast<size_t>(node) >= names_.size())
    throw std::invalid_argument("fault names node #" + std::to_string(node) + ", which this target does not have");
  return names_[static_cast<size_t>(node)];
}

const std::string& LiveFaultTarget::lab_name(int node) const {
  name(node);  // range check
  if (!injector_) throw FaultRefused("faults act on processes cachelab spawned; use --spawn, not --redis");
  return lab_names_[static_cast<size_t>(node)];
}

void LiveFaultTarget::kill(int node) {
  if (watch_) watch_->node_going_away(name(node), "kill", clock_.now().seconds());
  injector_->kill(lab_name(node));
}

void LiveFaultTarget::pause(int node) {
  if (watch_) watch_->node_going_away(name(node), "pause", clock_.now().seconds());
  injector_->pause(lab_name(node));
}

void LiveFaultTarget::restart(int node) {
  injector_->restart(lab_name(node));
  if (watch_) watch_->node_back(name(node));
}

void LiveFaultTarget::resume(int node) {
  injector_->resume(lab_name(node));
  if (watch_) watch_->node_back(name(node));
}

void LiveFaultTarget::failover(int replica, const std::string& mode) {
  const FailoverMode m = mode == "force"      ? FailoverMode::Force
                         : mode == "takeover" ? FailoverMode::Takeover
                                              : FailoverMode::Default;
  injector_->failover(lab_name(replica), m);
}

void LiveFaultTarget::reshard(int from, int to, int count) {
  ReshardPlan rp = plan_reshard(*lab_, lab_name(from), lab_name(to), count);
  const double t0 = clock_.read_clock().seconds();
  events_({{"t_s", t0}, {"type", "reshard_start"}, {"from", rp.from}, {"to", rp.to}, {"slots", rp.slots.size()}});
  reshards_.push_back(std::async(std::launch::async, [rp = std::move(rp), t0, this] {
    const ReshardReport r = run_reshard(rp);
    const double t1 = clock_.read_clock().seconds();
    return json{{"from", rp.from},        {"to", rp.to},     {"slots", r.slots}, {"keys_moved", r.keys_moved},
                {"commands", r.commands}, {"t_start_s", t0}, {"t_end_s", t1},    {"duration_s", t1 - t0}};
  }));
}

json LiveFaultTarget::finish_reshards() {
  json out = json::array();
  for (auto& f : reshards_) {  // a reshard still running at the end is waited for; its failure fails the run
    json r = f.get();
    events_({{"t_s", r["t_end_s"]},
             {"type", "reshard_end"},
             {"from", r["from"]},
             {"to", r["to"]},
             {"keys_moved", r["keys_moved"]}});
    out.push_back(std::move(r));
  }
  return out;
}

void LiveFaultTarget::unreachable(const char* action) const {
  throw std::logic_error(std::string("fault '") + action + "' reached live mode: " + refusal(action, lab_ != nullptr));
}
void LiveFaultTarget::partition(const std::vector<int>&, bool) { unreachable("partition"); }
void LiveFaultTarget::heal() { unreachable("heal"); }
void LiveFaultTarget::add_node() { unreachable("add_node"); }
void LiveFaultTarget::remove_node(int) { unreachable("remove_node"); }

}  // namespace cachelab::live
