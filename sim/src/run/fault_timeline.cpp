#include "fault_timeline.hpp"

#include <stdexcept>

#include "cachelab/run/session.hpp"

namespace cachelab {

FaultTimeline::FaultTimeline(const nlohmann::json& faults, FaultTarget& world, RunSession& session)
    : world_(world), session_(session) {
  for (const auto& item : faults) {
    const std::string action = item.at("action");
    const FaultKind* kind = FaultRegistry::instance().find(action);
    if (!kind) throw std::invalid_argument("fault '" + action + "' is not a known action");
    std::string why;
    // Client-side faults never reach the world (crash_client below).
    if (!kind->client_side && !world_.supports(action, &why))
      throw std::invalid_argument("fault '" + action + "' at " + item.at("at_s").dump() + " s: " + why);
    items_.push_back({Time::from_seconds(item.at("at_s").get<double>()), kind, item});
  }
}

void FaultTimeline::schedule(Scheduler& sched) {
  sched_ = &sched;
  for (size_t i = 0; i < items_.size(); ++i) sched.at(items_[i].at, this, i);
}

void FaultTimeline::on_event(Time, uint64_t index) {
  const Item& item = items_[index];
  nlohmann::json e = item.row;
  e["t_s"] = e["at_s"];
  e.erase("at_s");
  e["type"] = "fault";
  session_.emit(std::move(e));
  item.kind->apply(*this, item.row);
}

void FaultTimeline::crash_client(int instance) {
  const uint64_t lost = session_.client().crash_instance(static_cast<uint16_t>(instance));
  session_.emit(
      {{"t_s", sched_->now().seconds()}, {"type", "client_crash"}, {"instance", instance}, {"writes_lost", lost}});
}

void FaultTimeline::pause_client(int instance, double duration_ms) {
  session_.client().pause_instance(static_cast<uint16_t>(instance), Time::from_seconds(duration_ms / 1000.0));
  session_.emit({{"t_s", sched_->now().seconds()},
                 {"type", "client_pause"},
                 {"instance", instance},
                 {"duration_ms", duration_ms}});
}

}  // namespace cachelab
