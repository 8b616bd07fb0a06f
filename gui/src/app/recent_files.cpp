#include "app/recent_files.hpp"

#include <QDir>
#include <QSettings>

namespace cachelab::gui {

QStringList RecentFiles::list() const { return QSettings().value("recent").toStringList(); }

void RecentFiles::add(const QString& path) {
  const QString p = QDir(path).absolutePath();
  QStringList l = list();
  l.removeAll(p);
  l.prepend(p);
  while (l.size() > kMax) l.removeLast();
  QSettings().setValue("recent", l);
}

void RecentFiles::remove(const QString& path) {
  QStringList l = list();
  l.removeAll(path);
  QSettings().setValue("recent", l);
}

void RecentFiles::clear() { QSettings().remove("recent"); }

}  // namespace cachelab::gui
