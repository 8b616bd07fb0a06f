#include "widgets/event_timeline_widget.hpp"

#include <QPainter>

#include <cmath>

#include "app/format.hpp"
#include "app/theme.hpp"
#include "model/chart_model.hpp"

namespace cachelab::gui {

EventTimelineWidget::EventTimelineWidget(std::vector<cachelab::results::Event> events, double tMin, double tMax,
                                         QWidget* parent)
    : QWidget(parent), events_(std::move(events)), tMin_(tMin), tMax_(tMax > tMin ? tMax : tMin + 1) {}

void EventTimelineWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QColor text = palette().color(QPalette::Text);
  const double left = 16, right = width() - 16;
  const double axisY = height() - 44;
  auto xOf = [&](double t) { return left + (t - tMin_) / (tMax_ - tMin_) * (right - left); };

  p.setPen(QPen(text, 1.5));
  p.drawLine(QPointF(left, axisY), QPointF(right, axisY));
  const double step = niceTickStep(tMax_ - tMin_);
  for (double t = std::ceil(tMin_ / step) * step; t <= tMax_ + step * 1e-9; t += step) {
    p.drawLine(QPointF(xOf(t), axisY), QPointF(xOf(t), axisY + 4));
    p.drawText(QRectF(xOf(t) - 30, axisY + 5, 60, 16), Qt::AlignHCenter | Qt::AlignTop, QString::number(t, 'g', 6));
  }
  p.drawText(QRectF(left, axisY + 22, right - left, 16), Qt::AlignHCenter | Qt::AlignTop, "time (s)");
  // Labels in lanes above the axis (model/label_layout.hpp): repeated events merge, none overlaps another,
  // and what finds no lane is counted in the corner (the table below lists every event). Ticks are drawn
  // first and labels on a filled box after, so a tall tick never runs through a label.
  const int lanes = std::max(1, static_cast<int>((axisY - 22) / 18));
  std::vector<LabelItem> items;
  for (const auto& ev : events_)
    items.push_back({xOf(ev.t_s) - left,
                     QString::fromStdString(ev.type) + (ev.node.empty() ? "" : " " + QString::fromStdString(ev.node))});
  const QFontMetricsF fm(p.font());
  lastLayout_ = layoutLabels(
      items, [&](const QString& t) { return fm.horizontalAdvance(t); }, right - left, lanes);
  // Each tick reaches up to its label's lane; an unlabelled tick stays short.
  std::vector<double> tickTop(events_.size(), axisY - 8);
  for (const auto& pl : lastLayout_.placed)
    for (std::size_t i = 0; i < events_.size(); ++i)
      if (std::fabs(items[i].x - pl.x) < 0.5) tickTop[i] = std::min(tickTop[i], axisY - 18.0 * (pl.lane + 1) + 9);
  for (std::size_t i = 0; i < events_.size(); ++i) {
    const QColor c = eventColor(events_[i].type);
    const double x = xOf(events_[i].t_s);
    p.setPen(QPen(c, 2));
    p.drawLine(QPointF(x, axisY), QPointF(x, tickTop[i]));
    p.setBrush(c);
    p.drawEllipse(QPointF(x, axisY), 3.5, 3.5);
  }
  const QColor base = palette().color(QPalette::Base);
  for (const auto& pl : lastLayout_.placed) {
    const QRectF box(left + pl.left, axisY - 18.0 * (pl.lane + 1) + 1, pl.width, 16);
    p.fillRect(box, base);
    p.setPen(text);
    p.drawText(box.adjusted(3, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, pl.text);
  }
  if (lastLayout_.hidden > 0) {
    p.setPen(palette().color(QPalette::PlaceholderText));
    p.drawText(QRectF(left, 2, right - left, 16), Qt::AlignRight | Qt::AlignTop,
               QString("+%1 labels not shown here (no room): see All events").arg(lastLayout_.hidden));
  }
}

}  // namespace cachelab::gui
