#include "views/nodes_view.hpp"

#include <QLabel>
#include <QVBoxLayout>

#include "model/chart_model.hpp"
#include "model/role_timeline.hpp"
#include "views/timeseries_view.hpp"
#include "widgets/axis_sync.hpp"
#include "widgets/role_timeline_widget.hpp"
#include "widgets/time_chart_view.hpp"

namespace cachelab::gui {

NodesView::NodesView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  const auto [t0, t1] = timeSpan(RunSet{runs.front()});
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  layout->addWidget(new QLabel("<b>Roles</b> (series.csv <i>&lt;node&gt;.role</i>, events from events.jsonl)", this));
  layout->addWidget(new RoleTimelineWidget(roleTimelines(*runs.front()), t0, t1, this));
  auto* sync = new AxisSync(this);
  const RunSet primary{runs.front()};
  QList<TimeChartView*> charts = {
      new TimeChartView(buildNodeChart("used_memory_bytes", "Used memory", "bytes", primary, AxisUnit::Bytes)),
      new TimeChartView(buildNodeChart("keys", "Keys", "keys", primary)),
      new TimeChartView(buildNodeChart("ops_per_s", "Commands executed", "ops / s", primary)),
      new TimeChartView(buildNodeChart("evicted_keys", "Evictions", "per interval", primary)),
  };
  layout->addWidget(chartGrid(charts, sync, this), 1);
}

}  // namespace cachelab::gui
