#include "model/fault_markers.hpp"

namespace cachelab::gui {

QList<ChartMarker> faultMarkers(const cachelab::results::Run& run) {
  QList<ChartMarker> out;
  for (const auto& ev : run.events) {
    std::string action;
    if (ev.type == "fault")
      action = ev.raw.value("action", std::string("fault"));
    else if (ev.type == "kill" || ev.type == "restart" || ev.type == "pause" || ev.type == "resume")
      action = ev.type;
    else
      continue;
    QString label = QString::fromStdString(action);
    const auto& j = ev.raw;
    if (!ev.node.empty())
      label += " " + QString::fromStdString(ev.node);
    else if (j.contains("from") && j["from"].is_string() && j.contains("to") && j["to"].is_string())
      label += " " + QString::fromStdString(j["from"].get<std::string>()) + QString::fromUtf8("→") +
               QString::fromStdString(j["to"].get<std::string>());
    out.append({ev.t_s, label, QString::fromStdString(action)});
  }
  return out;
}

}  // namespace cachelab::gui
