#include "widgets/event_timeline_widget.hpp"

#include <QPainter>

#include "app/theme.hpp"

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
  const double axisY = height() - 28;
  auto xOf = [&](double t) { return left + (t - tMin_) / (tMax_ - tMin_) * (right - left); };

  p.setPen(QPen(text, 1.5));
  p.drawLine(QPointF(left, axisY), QPointF(right, axisY));
  for (int k = 0; k <= 10; ++k) {
    const double t = tMin_ + (tMax_ - tMin_) * k / 10;
    p.drawLine(QPointF(xOf(t), axisY), QPointF(xOf(t), axisY + 4));
    p.drawText(QRectF(xOf(t) - 30, axisY + 5, 60, 16), Qt::AlignHCenter | Qt::AlignTop, QString::number(t, 'g', 4));
  }
  // Labels go to the lowest free lane; a lane is free once the previous label in it has ended. Ticks are
  // drawn first and labels on a filled box after, so a tall tick never runs through a label.
  const int lanes = std::max(1, static_cast<int>((axisY - 10) / 18));
  std::vector<double> laneEnd(static_cast<std::size_t>(lanes), -1e9);
  struct Placed {
    QRectF box;
    QString label;
  };
  std::vector<Placed> placed;
  const QColor base = palette().color(QPalette::Base);
  for (const auto& ev : events_) {
    const double x = xOf(ev.t_s);
    const QString label = QString::fromStdString(ev.type) + (ev.node.empty() ? "" : " " + QString::fromStdString(ev.node));
    const double w = p.fontMetrics().horizontalAdvance(label) + 8;
    const double lx = x + w > width() - 2 ? x - w - 2 : x + 3;  // near the right edge: label to the left
    int lane = 0;
    while (lane < lanes - 1 && laneEnd[static_cast<std::size_t>(lane)] > std::min(x, lx)) ++lane;
    laneEnd[static_cast<std::size_t>(lane)] = std::max(x, lx + w);
    const double y = axisY - 18 * (lane + 1);
    const QColor c = eventColor(ev.type);
    p.setPen(QPen(c, 2));
    p.drawLine(QPointF(x, axisY), QPointF(x, y + 9));
    p.setBrush(c);
    p.drawEllipse(QPointF(x, axisY), 3.5, 3.5);
    placed.push_back({QRectF(lx, y + 1, w, 16), label});
  }
  for (const auto& pl : placed) {
    p.fillRect(pl.box, base);
    p.setPen(text);
    p.drawText(pl.box.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, pl.label);
  }
}

}  // namespace cachelab::gui
