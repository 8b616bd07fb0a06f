#pragma once
// A request as a sequence diagram (model/request_trace_model.hpp): a lifeline per participant, one row per hop
// from top to bottom, arrows for commands and replies (dashed), notes on a lifeline, the hop's time at the left.
#include <QWidget>

#include "model/request_trace_model.hpp"

namespace cachelab::gui {

class SequenceDiagramWidget : public QWidget {
  Q_OBJECT
 public:
  explicit SequenceDiagramWidget(QWidget* parent = nullptr);
  void setDiagram(SequenceDiagram diagram, std::int64_t due_ns);
  const SequenceDiagram& diagram() const { return diagram_; }
  QSize sizeHint() const override;
  QSize minimumSizeHint() const override { return sizeHint(); }

 protected:
  void paintEvent(QPaintEvent* event) override;

 private:
  SequenceDiagram diagram_;
  std::int64_t due_ns_ = 0;
};

}  // namespace cachelab::gui
