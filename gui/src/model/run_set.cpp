#include "model/run_set.hpp"

#include <QDir>
#include <QFileInfo>

namespace cachelab::gui {

QString runLabel(const RunSet& runs, std::size_t index) {
  const auto& run = *runs.at(index);
  const QString mode = QString::fromStdString(run.info.mode);
  bool shared = false;
  for (std::size_t i = 0; i < runs.size(); ++i)
    shared = shared || (i != index && runs[i]->info.mode == run.info.mode);
  if (!shared) return mode;
  return QFileInfo(QString::fromStdString(run.dir.string())).fileName() + " (" + mode + ")";
}

RunPtr loadRun(const QString& dir) {
  return std::make_shared<const cachelab::results::Run>(
      cachelab::results::load_run(QDir::cleanPath(dir).toStdString()));
}

}  // namespace cachelab::gui
