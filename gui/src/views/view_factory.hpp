#pragma once
// The views of a run set by name, so the main window's tabs and `--screenshot --view NAME` build the same
// widgets: overview, timeseries, nodes, slots, failover, compare, knobs, requests, animation.
#include <QString>
#include <QStringList>

#include "model/run_set.hpp"

class QWidget;

namespace cachelab::gui {

QStringList viewNames();
QString viewTitle(const QString& name);  // the tab text
// nullptr for an unknown name. `runs` must not be empty.
QWidget* createView(const QString& name, const RunSet& runs, QWidget* parent = nullptr);

}  // namespace cachelab::gui
