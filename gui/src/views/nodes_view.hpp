#pragma once
// Per-node panel of the primary run: the role timeline (with pfail / fail / promoted markers) above used
// memory, keys, ops and evictions per node, all on one time axis.
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class NodesView : public QWidget {
  Q_OBJECT
 public:
  explicit NodesView(const RunSet& runs, QWidget* parent = nullptr);
};

}  // namespace cachelab::gui
