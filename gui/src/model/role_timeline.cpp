#include "model/role_timeline.hpp"

namespace cachelab::gui {

bool isRoleMarkerEvent(const std::string& type) {
  for (const char* t : {"kill", "restart", "pfail", "fail", "election_started", "promoted", "node_down", "node_up"})
    if (type == t) return true;
  return false;
}

std::vector<NodeTimeline> roleTimelines(const cachelab::results::Run& run) {
  std::vector<NodeTimeline> out;
  const auto* t = run.series.column("t_s");
  for (const auto& node : run.series.node_names()) {
    NodeTimeline tl;
    tl.node = node;
    if (const auto* roles = run.series.text_column(node + ".role"); roles && t) {
      double prev = 0;  // t_s is the end of an interval and the first interval starts at 0
      for (std::size_t i = 0; i < roles->size(); ++i) {
        const std::string& role = (*roles)[i];
        if (!tl.bands.empty() && tl.bands.back().role == role && tl.bands.back().t1 == prev)
          tl.bands.back().t1 = (*t)[i];
        else
          tl.bands.push_back(RoleBand{prev, (*t)[i], role});
        prev = (*t)[i];
      }
    }
    for (const auto& ev : run.events) {
      if (ev.node != node) continue;
      // The simulator and live mode log a kill or restart as a `fault` row with its action.
      const std::string type = ev.type == "fault" ? ev.raw.value("action", std::string()) : ev.type;
      if (isRoleMarkerEvent(type)) tl.markers.push_back(RoleMarker{ev.t_s, type});
    }
    out.push_back(std::move(tl));
  }
  return out;
}

}  // namespace cachelab::gui
