#pragma once
// Failovers: every event of events.jsonl on a time line and in a table, and summary.json's failover records
// (kill, PFAIL, FAIL, promotion, OK times and the new master).
#include <QWidget>

#include "model/run_set.hpp"

namespace cachelab::gui {

class FailoverView : public QWidget {
  Q_OBJECT
 public:
  explicit FailoverView(const RunSet& runs, QWidget* parent = nullptr);
};

}  // namespace cachelab::gui
