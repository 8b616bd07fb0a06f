#pragma once
// Keeps the time axes of several charts on one range: zooming or panning one moves them all, so the
// charts of a view always show the same moment one above the other.
#include <QList>
#include <QObject>

namespace cachelab::gui {

class TimeChartView;

class AxisSync : public QObject {
  Q_OBJECT
 public:
  explicit AxisSync(QObject* parent = nullptr) : QObject(parent) {}
  void add(TimeChartView* view);
  void resetAll();
  const QList<TimeChartView*>& views() const { return views_; }

 private:
  void follow(TimeChartView* source, double lo, double hi);
  QList<TimeChartView*> views_;
  bool updating_ = false;  // setting the others' ranges must not echo back
};

}  // namespace cachelab::gui
