#include "widgets/axis_sync.hpp"

#include "widgets/time_chart_view.hpp"

namespace cachelab::gui {

void AxisSync::add(TimeChartView* view) {
  views_.append(view);
  connect(view->timeAxis(), &QValueAxis::rangeChanged, this,
          [this, view](qreal lo, qreal hi) { follow(view, lo, hi); });
  connect(view, &QObject::destroyed, this, [this, view] { views_.removeAll(view); });
}

void AxisSync::resetAll() {
  for (auto* v : views_) v->resetZoom();
}

void AxisSync::follow(TimeChartView* source, double lo, double hi) {
  if (updating_) return;
  updating_ = true;
  for (auto* v : views_)
    if (v != source) v->setTimeRange(lo, hi);
  updating_ = false;
}

}  // namespace cachelab::gui
