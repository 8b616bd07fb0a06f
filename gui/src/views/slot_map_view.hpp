#pragma once
// The slot map of the primary run. A time slider replays ownership events (promotion, slot_moved) over
// redis-cli's initial split, so a migration can be watched as it happens; at the end it shows summary.json's ranges.
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class SlotMapView : public QWidget {
  Q_OBJECT
 public:
  explicit SlotMapView(const RunSet& runs, QWidget* parent = nullptr);
};

}  // namespace cachelab::gui
