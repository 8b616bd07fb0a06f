#pragma once
// Two runs side by side (typically sim and live of one scenario): their summary.json values and SLO
// verdicts in one table, and the main charts overlaid on one time axis. Values are shown as the files hold
// them; this view derives no differences of its own.
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class CompareView : public QWidget {
  Q_OBJECT
 public:
  explicit CompareView(const RunSet& runs, QWidget* parent = nullptr);
};

}  // namespace cachelab::gui
