#include "model/run_changes.hpp"

#include <QFileInfo>
#include <QStringList>

#include <nlohmann/json.hpp>

namespace cachelab::gui {

QString briefOverride(const std::string& override_text) {
  const QString full = QString::fromStdString(override_text);
  const QString pointer = full.section('=', 0, 0);
  QString value = full.section('=', 1);
  // A fixed distribution ({"dist":"fixed","value":X}, as a calibration writes its sampled knobs) reads as X.
  const auto j = nlohmann::json::parse(value.toStdString(), nullptr, false);
  if (j.is_object() && j.size() == 2 && j.value("dist", "") == "fixed" && j.contains("value") &&
      j.at("value").is_number())
    value = QString::fromStdString(j.at("value").dump());
  return pointer.section('/', -1) + "=" + value;
}

std::vector<RunChange> runChanges(const cachelab::results::RunInfo& info) {
  std::vector<RunChange> out;
  std::size_t first = 0;
  if (!info.calibration_file.empty()) {
    const QString file = QString::fromStdString(info.calibration_file);
    out.push_back({"calibration:" + file, "calibration " + QFileInfo(file).fileName()});
    first = info.calibration_overrides.size();  // the reader checked they lead `overrides`
  }
  for (std::size_t i = first; i < info.overrides.size(); ++i)
    out.push_back({QString::fromStdString(info.overrides[i]), briefOverride(info.overrides[i])});
  return out;
}

QString runChangesLine(const cachelab::results::RunInfo& info) {
  QStringList parts;
  for (const RunChange& c : runChanges(info)) {
    if (!c.key.startsWith("calibration:")) {
      parts << c.text;
      continue;
    }
    QStringList knobs;
    for (const auto& o : info.calibration_overrides) knobs << briefOverride(o);
    parts << c.text + " (" + knobs.join(", ") + ")";
  }
  return parts.isEmpty() ? QString() : "changed from the file: " + parts.join(" · ");
}

}  // namespace cachelab::gui
