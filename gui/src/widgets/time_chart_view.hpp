#pragma once
// A chart of one ChartSpec against time: drag to zoom (horizontal rubber band), wheel to zoom around the
// cursor, Shift+drag or middle-drag to pan, arrow keys / +/- / 0 from the keyboard, values of every line at
// the nearest interval on hover, and a context menu to reset or export (PNG, SVG, CSV). The value axis takes the
// unit of the data's magnitude (ratios 0..1), and the runs' faults are marked as dashed vertical lines.
#include <QChartView>
#include <QValueAxis>

#include "model/chart_model.hpp"

namespace cachelab::gui {

class TimeChartView : public QChartView {
  Q_OBJECT
 public:
  explicit TimeChartView(const ChartSpec& spec, QWidget* parent = nullptr);

  const ChartSpec& spec() const { return spec_; }
  QValueAxis* timeAxis() const { return timeAxis_; }
  QValueAxis* valueAxis() const { return valueAxis_; }
  void setTimeRange(double lo, double hi);
  void resetZoom();
  // The text the hover tooltip shows at time `t` (values of the interval nearest to t, as in the file).
  QString hoverText(double t) const;

 public slots:
  void exportPngInteractive();
  void exportSvgInteractive();
  void exportCsvInteractive();

 signals:
  void activated(cachelab::gui::TimeChartView* self);  // the user interacted: it becomes the export target

 protected:
  void mousePressEvent(QMouseEvent* e) override;
  void mouseMoveEvent(QMouseEvent* e) override;
  void mouseReleaseEvent(QMouseEvent* e) override;
  void wheelEvent(QWheelEvent* e) override;
  void keyPressEvent(QKeyEvent* e) override;
  void contextMenuEvent(QContextMenuEvent* e) override;
  void focusInEvent(QFocusEvent* e) override;
  void drawForeground(QPainter* painter, const QRectF& rect) override;

 private:
  void panBy(double fraction);
  void zoomAround(double t, double factor);
  void reportError(const QString& message);
  QString unitSuffix() const;

  ChartSpec spec_;
  QValueAxis* timeAxis_ = nullptr;
  QValueAxis* valueAxis_ = nullptr;
  AxisScale scale_;
  bool panning_ = false;
  QPointF panStart_;
};

}  // namespace cachelab::gui
