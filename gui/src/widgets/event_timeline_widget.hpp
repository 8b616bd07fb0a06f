#pragma once
// events.jsonl on one time line: a coloured tick per event, labels in lanes so they never overlap (equal labels
// close together merge into one "×N"; labels with no room left are counted, not drawn over others).
#include <vector>

#include <QWidget>

#include "cachelab/results/reader.hpp"
#include "model/label_layout.hpp"

namespace cachelab::gui {

class EventTimelineWidget : public QWidget {
  Q_OBJECT
 public:
  EventTimelineWidget(std::vector<cachelab::results::Event> events, double tMin, double tMax,
                      QWidget* parent = nullptr);
  QSize sizeHint() const override { return {800, 210}; }
  QSize minimumSizeHint() const override { return {300, 210}; }
  // The label placement of the last paint (for tests).
  const LabelLayout& lastLayout() const { return lastLayout_; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  std::vector<cachelab::results::Event> events_;
  double tMin_, tMax_;
  LabelLayout lastLayout_;
};

}  // namespace cachelab::gui
