#pragma once
// The first page of a run: the scenario's title and description (lessons put their words there), run
// facts, summary cards and the SLO verdicts, all as summary.json and run.json state them.
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class OverviewView : public QWidget {
  Q_OBJECT
 public:
  explicit OverviewView(const RunSet& runs, QWidget* parent = nullptr);
};

// A small framed label + value box, shared with the compare view.
// A tile: the figure, its label and, greyed below, an optional breakdown (`detail`).
QWidget* makeCard(const QString& label, const QString& value, QWidget* parent = nullptr, const QString& detail = {});

}  // namespace cachelab::gui
