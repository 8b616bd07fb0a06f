#include "views/timeseries_view.hpp"

#include <QGridLayout>
#include <QScrollArea>
#include <QVBoxLayout>

#include "model/chart_model.hpp"
#include "widgets/axis_sync.hpp"
#include "widgets/time_chart_view.hpp"

namespace cachelab::gui {

QWidget* chartGrid(const QList<TimeChartView*>& charts, AxisSync* sync, QWidget* parent, int columns) {
  auto* scroll = new QScrollArea(parent);
  scroll->setWidgetResizable(true);
  scroll->setFrameShape(QFrame::NoFrame);
  auto* inner = new QWidget(scroll);
  auto* grid = new QGridLayout(inner);
  grid->setContentsMargins(0, 0, 0, 0);
  for (int i = 0; i < charts.size(); ++i) {
    charts[i]->setParent(inner);
    grid->addWidget(charts[i], i / columns, i % columns);
    sync->add(charts[i]);
  }
  scroll->setWidget(inner);
  return scroll;
}

TimeSeriesView::TimeSeriesView(const RunSet& runs, QWidget* parent) : QWidget(parent), sync_(new AxisSync(this)) {
  QList<TimeChartView*> charts;
  for (const auto& def : timeSeriesCharts()) charts.append(new TimeChartView(buildChart(def, runs)));
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(chartGrid(charts, sync_, this));
}

}  // namespace cachelab::gui
