#include "widgets/time_chart_view.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QFileDialog>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>
#include <QMessageBox>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include "app/format.hpp"
#include "app/theme.hpp"
#include "export/exporter.hpp"
#include "model/label_layout.hpp"

namespace cachelab::gui {

TimeChartView::TimeChartView(const ChartSpec& spec, QWidget* parent) : QChartView(parent), spec_(spec) {
  auto* chart = new QChart();
  chart->setTheme(chartTheme());
  // Columns left out for being zero throughout are named, so "not drawn" never reads as "not measured".
  if (spec.zeroThroughout.isEmpty())
    chart->setTitle(spec.title);
  else if (spec.lines.isEmpty())
    chart->setTitle(spec.title + ": none<br><small>0 throughout: " + spec.zeroThroughout.join(", ") + "</small>");
  else
    chart->setTitle(spec.title + "<br><small>0 throughout, not drawn: " + spec.zeroThroughout.join(", ") + "</small>");
  chart->setAnimationOptions(QChart::NoAnimation);  // screenshots must show the final picture
  chart->legend()->setAlignment(Qt::AlignBottom);
  chart->setMargins(QMargins(4, 4, 4, 4));

  timeAxis_ = new QValueAxis(chart);
  timeAxis_->setTitleText("time (s)");
  timeAxis_->setLabelFormat("%g");
  valueAxis_ = new QValueAxis(chart);
  valueAxis_->setTitleText(spec.yLabel);
  valueAxis_->setLabelFormat("%g");
  chart->addAxis(timeAxis_, Qt::AlignBottom);
  chart->addAxis(valueAxis_, Qt::AlignLeft);

  // The data's magnitude picks the axis unit; the drawn points are divided accordingly (the spec keeps the
  // file's values for hover and CSV export).
  double maxAbs = 0;
  for (const auto& line : spec.lines)
    for (const auto& p : line.points()) maxAbs = std::max(maxAbs, std::fabs(p.y()));
  scale_ = chooseAxisScale(spec.unit, spec.yLabel, maxAbs);
  valueAxis_->setTitleText(scale_.title);

  double lo = 0, hi = 0;
  bool any = false;
  for (int i = 0; i < spec.lines.size(); ++i) {
    const auto& line = spec.lines[i];
    QPen pen(seriesColor(i));
    pen.setWidthF(1.8);
    if (line.run > 0) pen.setStyle(Qt::DashLine);  // an overlaid run: same chart, dashed
    bool first = true;
    // An empty line still gets one (empty) series so that its legend entry says it exists.
    const auto segments = line.segments.isEmpty() ? QList<QList<QPointF>>{{}} : line.segments;
    for (const auto& seg : segments) {
      auto* s = new QLineSeries(chart);
      s->setName(line.name);
      QList<QPointF> scaled;
      scaled.reserve(seg.size());
      for (const auto& p : seg) scaled.append(QPointF(p.x(), p.y() / scale_.divisor));
      s->append(scaled);
      s->setPen(pen);
      // A single-point segment (a value between two gaps) would be invisible as a line.
      s->setPointsVisible(seg.size() == 1);
      chart->addSeries(s);
      s->attachAxis(timeAxis_);
      s->attachAxis(valueAxis_);
      if (!first)
        for (auto* m : chart->legend()->markers(s)) m->setVisible(false);
      first = false;
      for (const auto& p : scaled) {
        lo = any ? std::min(lo, p.y()) : p.y();
        hi = any ? std::max(hi, p.y()) : p.y();
        any = true;
      }
    }
  }
  if (spec.unit == AxisUnit::Ratio) {
    valueAxis_->setRange(0, 1);  // a ratio is read against its whole range
    valueAxis_->setTickCount(6);
  } else {
    // Rates and counts start at zero; a flat line gets some head room so it is not drawn on the frame.
    lo = std::min(lo, 0.0);
    if (!any || hi <= lo) hi = lo + 1;
    valueAxis_->setRange(lo, hi + (hi - lo) * 0.05);
    valueAxis_->applyNiceNumbers();
  }
  // Time ticks at round seconds (10 s, not 22.5 s), recomputed as the user zooms.
  timeAxis_->setTickType(QValueAxis::TicksDynamic);
  timeAxis_->setTickAnchor(0);
  connect(timeAxis_, &QValueAxis::rangeChanged, this,
          [this](qreal lo, qreal hi) { timeAxis_->setTickInterval(niceTickStep(hi - lo)); });
  timeAxis_->setRange(spec.tMin, spec.tMax);
  timeAxis_->setTickInterval(niceTickStep(spec.tMax - spec.tMin));

  // QChartView's constructor made a chart of its own; setChart releases it without deleting it (Qt's documentation
  // of QChartView::setChart: "the ownership of the previous chart is released"), which LeakSanitizer reported under
  // make sanitize-full, one chart per view.
  QChart* const madeByQChartView = QChartView::chart();
  setChart(chart);
  delete madeByQChartView;
  setRenderHint(QPainter::Antialiasing);
  setRubberBand(QChartView::HorizontalRubberBand);
  setMouseTracking(true);
  setFocusPolicy(Qt::StrongFocus);
  setMinimumHeight(220);
}

void TimeChartView::setTimeRange(double lo, double hi) {
  if (hi > lo) timeAxis_->setRange(lo, hi);
}

void TimeChartView::resetZoom() { timeAxis_->setRange(spec_.tMin, spec_.tMax); }

QString TimeChartView::hoverText(double t) const {
  QString text = QString("t = %1 s").arg(formatNumber(t));
  bool any = false;
  for (const auto& line : spec_.lines) {
    // The interval nearest to t on this line: its value as the file holds it.
    double best = std::numeric_limits<double>::infinity();
    QPointF hit;
    for (const auto& p : line.points())
      if (std::fabs(p.x() - t) < best) {
        best = std::fabs(p.x() - t);
        hit = p;
      }
    if (std::isinf(best)) continue;
    if (!any) text = QString("t = %1 s").arg(formatNumber(hit.x()));
    any = true;
    text += QString("\n%1: %2%3").arg(line.name, formatNumber(hit.y()), unitSuffix());
  }
  return text;
}

QString TimeChartView::unitSuffix() const {
  // Hover shows the file's own numbers, so the suffix is the file's unit, not the axis's.
  if (spec_.unit == AxisUnit::Micros) return QString::fromUtf8(" µs");
  if (spec_.unit == AxisUnit::Bytes) return " bytes";
  return {};
}

void TimeChartView::drawForeground(QPainter* painter, const QRectF& rect) {
  QChartView::drawForeground(painter, rect);
  if (spec_.markers.isEmpty() || !chart()) return;
  // Fault markers: a dashed line through the plot at each fault, its label in lanes along the top edge.
  const QRectF plot = chart()->mapRectToScene(chart()->plotArea());
  painter->save();
  painter->setClipRect(plot.adjusted(-1, -1, 1, 1));
  QFont f = painter->font();
  f.setPointSizeF(f.pointSizeF() * 0.85);
  painter->setFont(f);
  const QFontMetricsF fm(f);
  std::vector<LabelItem> items;
  std::vector<QColor> colours;
  for (const auto& m : spec_.markers) {
    if (m.t_s < timeAxis_->min() || m.t_s > timeAxis_->max()) continue;
    const double x = chart()->mapToScene(chart()->mapToPosition(QPointF(m.t_s, valueAxis_->min()))).x();
    QPen pen(faultColor(m.action), 1.2, Qt::DashLine);
    painter->setPen(pen);
    painter->drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    items.push_back({x - plot.left(), m.label});
  }
  const LabelLayout layout = layoutLabels(
      items, [&](const QString& t) { return fm.horizontalAdvance(t); }, plot.width(), 2);
  const QColor base = palette().color(QPalette::Base);
  for (const auto& p : layout.placed) {
    const QRectF box(plot.left() + p.left, plot.top() + 2 + p.lane * (fm.height() + 2), p.width, fm.height());
    QColor bg = base;
    bg.setAlpha(220);
    painter->fillRect(box, bg);
    painter->setPen(palette().color(QPalette::Text));
    painter->drawText(box.adjusted(3, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, p.text);
  }
  painter->restore();
}

void TimeChartView::panBy(double fraction) {
  const double span = timeAxis_->max() - timeAxis_->min();
  timeAxis_->setRange(timeAxis_->min() + span * fraction, timeAxis_->max() + span * fraction);
}

void TimeChartView::zoomAround(double t, double factor) {
  const double lo = t - (t - timeAxis_->min()) * factor;
  const double hi = t + (timeAxis_->max() - t) * factor;
  if (hi - lo > 1e-6) timeAxis_->setRange(lo, hi);
}

void TimeChartView::mousePressEvent(QMouseEvent* e) {
  emit activated(this);
  if (e->button() == Qt::MiddleButton || (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier))) {
    panning_ = true;
    panStart_ = e->position();
    e->accept();
    return;
  }
  if (e->button() == Qt::RightButton) {  // the context menu; QChartView would zoom out instead
    e->accept();
    return;
  }
  QChartView::mousePressEvent(e);
}

void TimeChartView::mouseMoveEvent(QMouseEvent* e) {
  if (panning_) {
    const double width = chart()->plotArea().width();
    if (width > 0) panBy(-(e->position().x() - panStart_.x()) / width);
    panStart_ = e->position();
    e->accept();
    return;
  }
  if (chart()->plotArea().contains(e->position()))
    QToolTip::showText(e->globalPosition().toPoint(), hoverText(chart()->mapToValue(e->position()).x()), this);
  else
    QToolTip::hideText();
  QChartView::mouseMoveEvent(e);
}

void TimeChartView::mouseReleaseEvent(QMouseEvent* e) {
  if (panning_) {
    panning_ = false;
    e->accept();
    return;
  }
  if (e->button() == Qt::RightButton) {
    e->accept();
    return;
  }
  QChartView::mouseReleaseEvent(e);
}

void TimeChartView::wheelEvent(QWheelEvent* e) {
  const double t = chart()->mapToValue(e->position()).x();
  zoomAround(t, e->angleDelta().y() > 0 ? 0.8 : 1.25);
  e->accept();
}

void TimeChartView::keyPressEvent(QKeyEvent* e) {
  const double mid = (timeAxis_->min() + timeAxis_->max()) / 2;
  switch (e->key()) {
    case Qt::Key_Left:
      panBy(-0.1);
      break;
    case Qt::Key_Right:
      panBy(0.1);
      break;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
      zoomAround(mid, 0.8);
      break;
    case Qt::Key_Minus:
      zoomAround(mid, 1.25);
      break;
    case Qt::Key_0:
    case Qt::Key_Home:
      resetZoom();
      break;
    default:
      QChartView::keyPressEvent(e);
      return;
  }
  e->accept();
}

void TimeChartView::contextMenuEvent(QContextMenuEvent* e) {
  emit activated(this);
  QMenu menu(this);
  menu.addAction("Reset zoom", this, &TimeChartView::resetZoom);
  menu.addSeparator();
  menu.addAction("Export chart as PNG…", this, &TimeChartView::exportPngInteractive);
  menu.addAction("Export chart as SVG…", this, &TimeChartView::exportSvgInteractive);
  menu.addAction("Export series as CSV…", this, &TimeChartView::exportCsvInteractive);
  menu.exec(e->globalPos());
}

void TimeChartView::focusInEvent(QFocusEvent* e) {
  emit activated(this);
  QChartView::focusInEvent(e);
}

void TimeChartView::reportError(const QString& message) { QMessageBox::warning(this, "Export failed", message); }

void TimeChartView::exportPngInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, "Export chart as PNG", spec_.id + ".png", "PNG (*.png)");
  QString error;
  if (!path.isEmpty() && !exportPng(this, path, &error)) reportError(error);
}

void TimeChartView::exportSvgInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, "Export chart as SVG", spec_.id + ".svg", "SVG (*.svg)");
  QString error;
  if (!path.isEmpty() && !exportSvg(this, path, spec_.title, &error)) reportError(error);
}

void TimeChartView::exportCsvInteractive() {
  const QString path = QFileDialog::getSaveFileName(this, "Export series as CSV", spec_.id + ".csv", "CSV (*.csv)");
  QString error;
  if (!path.isEmpty() && !exportCsv(spec_, path, &error)) reportError(error);
}

}  // namespace cachelab::gui
