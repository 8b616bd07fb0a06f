#pragma once
// Request rate, hit ratio, latency, origin load, origin concurrency and errors by kind: charts on one shared
// time axis; a second run of the set is overlaid dashed.
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class AxisSync;

class TimeSeriesView : public QWidget {
  Q_OBJECT
 public:
  explicit TimeSeriesView(const RunSet& runs, QWidget* parent = nullptr);
  AxisSync* sync() const { return sync_; }

 private:
  AxisSync* sync_;
};

// Lays charts out `columns` per row inside a scroll area, all on one AxisSync; used by several views.
QWidget* chartGrid(const QList<class TimeChartView*>& charts, AxisSync* sync, QWidget* parent, int columns = 2);

}  // namespace cachelab::gui
