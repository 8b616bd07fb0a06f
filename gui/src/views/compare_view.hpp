#pragma once
// Two runs side by side, the main charts overlaid on one time axis. For a simulated and a live run of one
// scenario: summary values, SLO verdicts and `cachelab compare`'s tolerance verdicts. For any other pair (two
// scenarios, or one with other knobs): each metric's difference, absolute and relative, and whether it is better
// or worse (model/effect_table.hpp; the numbers are compare_runs').
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class CompareView : public QWidget {
  Q_OBJECT
 public:
  explicit CompareView(const RunSet& runs, QWidget* parent = nullptr);
};

}  // namespace cachelab::gui
