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
#include <QToolTip>

#include "app/format.hpp"
#include "app/theme.hpp"
#include "export/exporter.hpp"

namespace cachelab::gui {

TimeChartView::TimeChartView(const ChartSpec& spec, QWidget* parent) : QChartView(parent), spec_(spec) {
  auto* chart = new QChart();
  chart->setTheme(chartTheme());
  chart->setTitle(spec.title);
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
      s->append(seg);
      s->setPen(pen);
      // A single-point segment (a value between two gaps) would be invisible as a line.
      s->setPointsVisible(seg.size() == 1);
      chart->addSeries(s);
      s->attachAxis(timeAxis_);
      s->attachAxis(valueAxis_);
      if (!first)
        for (auto* m : chart->legend()->markers(s)) m->setVisible(false);
      first = false;
      for (const auto& p : seg) {
        lo = any ? std::min(lo, p.y()) : p.y();
        hi = any ? std::max(hi, p.y()) : p.y();
        any = true;
      }
    }
  }
  // Rates and counts start at zero; a flat line gets some head room so it is not drawn on the frame.
  lo = std::min(lo, 0.0);
  if (!any || hi <= lo) hi = lo + 1;
  valueAxis_->setRange(lo, hi + (hi - lo) * 0.05);
  valueAxis_->applyNiceNumbers();
  timeAxis_->setRange(spec.tMin, spec.tMax);

  setChart(chart);
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
    text += QString("\n%1: %2").arg(line.name, formatNumber(hit.y()));
  }
  return text;
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
  if (e->button() == Qt::MiddleButton ||
      (e->button() == Qt::LeftButton && (e->modifiers() & Qt::ShiftModifier))) {
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
    case Qt::Key_Left: panBy(-0.1); break;
    case Qt::Key_Right: panBy(0.1); break;
    case Qt::Key_Plus:
    case Qt::Key_Equal: zoomAround(mid, 0.8); break;
    case Qt::Key_Minus: zoomAround(mid, 1.25); break;
    case Qt::Key_0:
    case Qt::Key_Home: resetZoom(); break;
    default: QChartView::keyPressEvent(e); return;
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

void TimeChartView::reportError(const QString& message) {
  QMessageBox::warning(this, "Export failed", message);
}

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
