#pragma once
// Paints one row per node: its role over time (bands from series.csv) and its failure-detection events
// (markers from events.jsonl). Hovering shows the band or event under the cursor.
#include <vector>

#include <QWidget>

#include "model/role_timeline.hpp"

namespace cachelab::gui {

class RoleTimelineWidget : public QWidget {
  Q_OBJECT
 public:
  RoleTimelineWidget(std::vector<NodeTimeline> timelines, double tMin, double tMax, QWidget* parent = nullptr);
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override;

 protected:
  void paintEvent(QPaintEvent*) override;
  void mouseMoveEvent(QMouseEvent* e) override;

 private:
  QRectF plotRect() const;
  double xOf(double t) const;

  std::vector<NodeTimeline> timelines_;
  double tMin_, tMax_;
};

}  // namespace cachelab::gui
