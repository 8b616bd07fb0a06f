#include "model/run_set.hpp"

#include <algorithm>

#include <QDir>
#include <QFileInfo>

#include "model/run_changes.hpp"

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
  // The changes only this run has (its calibration as one, by its file), in brief.
  std::vector<std::vector<RunChange>> changes;
  for (const auto& r : runs) changes.push_back(runChanges(r->info));
  auto has = [](const std::vector<RunChange>& list, const QString& key) {
    return std::any_of(list.begin(), list.end(), [&](const RunChange& c) { return c.key == key; });
  };
  QStringList own;
  bool othersHaveOwn = false;
  for (std::size_t i = 0; i < runs.size(); ++i)
    for (const auto& c : changes[i])
      if (i != index && !has(changes[index], c.key)) othersHaveOwn = true;
  for (const auto& c : changes[index]) {
    bool shared = true;
    for (std::size_t i = 0; i < runs.size(); ++i)
      if (i != index && !has(changes[i], c.key)) shared = false;
    if (!shared) own << c.text;
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
