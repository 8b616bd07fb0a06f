#pragma once
// The recently opened run directories, most recent first, kept in QSettings.
#include <QStringList>

namespace cachelab::gui {

class RecentFiles {
 public:
  static constexpr int kMax = 10;
  QStringList list() const;
  void add(const QString& path);
  void remove(const QString& path);
  void clear();
};

}  // namespace cachelab::gui
