#include "views/view_factory.hpp"

#include "views/animation_view.hpp"
#include "views/compare_view.hpp"
#include "views/failover_view.hpp"
#include "views/knobs_view.hpp"
#include "views/nodes_view.hpp"
#include "views/overview_view.hpp"
#include "views/requests_view.hpp"
#include "views/slot_map_view.hpp"
#include "views/timeseries_view.hpp"

namespace cachelab::gui {

QStringList viewNames() {
  return {"overview", "timeseries", "nodes", "slots", "failover", "compare", "knobs", "requests", "animation"};
}

QString viewTitle(const QString& name) {
  if (name == "overview") return "Overview";
  if (name == "timeseries") return "Time series";
  if (name == "nodes") return "Nodes";
  if (name == "slots") return "Slot map";
  if (name == "failover") return "Failover";
  if (name == "compare") return "Compare";
  if (name == "knobs") return "Knobs";
  if (name == "requests") return "Requests";
  if (name == "animation") return "Animation";
  return name;
}

QWidget* createView(const QString& name, const RunSet& runs, QWidget* parent) {
  if (name == "overview") return new OverviewView(runs, parent);
  if (name == "timeseries") return new TimeSeriesView(runs, parent);
  if (name == "nodes") return new NodesView(runs, parent);
  if (name == "slots") return new SlotMapView(runs, parent);
  if (name == "failover") return new FailoverView(runs, parent);
  if (name == "compare") return new CompareView(runs, parent);
  if (name == "knobs") return new KnobsView(runs, parent);
  if (name == "requests") return new RequestsView(runs, parent);
  if (name == "animation") return new AnimationView(runs, parent);
  return nullptr;
}

}  // namespace cachelab::gui
