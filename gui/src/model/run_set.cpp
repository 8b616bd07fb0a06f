#include "model/run_set.hpp"

#include <algorithm>

#include <QDir>
#include <QFileInfo>

namespace cachelab::gui {

QString runLabel(const RunSet& runs, std::size_t index) {
  const auto& run = *runs.at(index);
  const QString mode = QString::fromStdString(run.info.mode);
  bool sameName = false, sameNameAndMode = false;
  for (std::size_t i = 0; i < runs.size(); ++i) {
    if (i == index || runs[i]->info.name != run.info.name) continue;
    sameName = true;
    sameNameAndMode = sameNameAndMode || runs[i]->info.mode == run.info.mode;
  }
  // Two scenarios: their names. One scenario, sim and live: the modes. One scenario twice (other knobs): the
  // overrides only this run has, else the directory name.
  if (!sameName && runs.size() > 1) return QString::fromStdString(run.info.name);
  if (!sameNameAndMode) return mode;
  // An override by its last pointer token: "/clients/stampede/mode=lock" reads "mode=lock".
  auto brief = [](const std::string& o) {
    const QString full = QString::fromStdString(o);
    const QString ptr = full.section('=', 0, 0);
    return ptr.section('/', -1) + "=" + full.section('=', 1);
  };
  QStringList own;
  bool othersHaveOwn = false;
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const auto& o : runs[i]->info.overrides)
      if (i != index && std::find(run.info.overrides.begin(), run.info.overrides.end(), o) == run.info.overrides.end())
        othersHaveOwn = true;
  for (const auto& o : run.info.overrides) {
    bool shared = true;
    for (std::size_t i = 0; i < runs.size(); ++i)
      if (i != index &&
          std::find(runs[i]->info.overrides.begin(), runs[i]->info.overrides.end(), o) == runs[i]->info.overrides.end())
        shared = false;
    if (!shared) own << brief(o);
  }
  if (!own.isEmpty()) return own.join(" ");
  if (othersHaveOwn) return "as in the file";
  return QFileInfo(QString::fromStdString(run.dir.string())).fileName() + " (" + mode + ")";
}

RunPtr loadRun(const QString& dir) {
  return std::make_shared<const cachelab::results::Run>(
      cachelab::results::load_run(QDir::cleanPath(dir).toStdString()));
}

}  // namespace cachelab::gui
