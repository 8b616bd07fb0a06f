#pragma once
// events.jsonl on one time line: a coloured tick per event, labels stacked so they do not overlap.
#include <vector>

#include <QWidget>

#include "cachelab/results/reader.hpp"

namespace cachelab::gui {

class EventTimelineWidget : public QWidget {
  Q_OBJECT
 public:
  EventTimelineWidget(std::vector<cachelab::results::Event> events, double tMin, double tMax,
                      QWidget* parent = nullptr);
  QSize sizeHint() const override { return {800, 190}; }
  QSize minimumSizeHint() const override { return {300, 190}; }

 protected:
  void paintEvent(QPaintEvent*) override;

 private:
  std::vector<cachelab::results::Event> events_;
  double tMin_, tMax_;
};

}  // namespace cachelab::gui
