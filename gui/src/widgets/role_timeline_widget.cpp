#include "widgets/role_timeline_widget.hpp"

#include <cmath>

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>

#include "app/format.hpp"
#include "app/theme.hpp"
#include "model/chart_model.hpp"

namespace cachelab::gui {
namespace {
constexpr int kTimelineRow = 24, kTimelineLabel = 110, kTimelineTop = 8, kTimelineLegend = 44;

// One letter per marker so the timeline reads without colour too.
QString markerLetter(const std::string& type) {
  if (type == "pfail") return "P";
  if (type == "fail") return "F";
  if (type == "promoted") return "M";
  if (type == "election_started") return "E";
  if (type == "kill" || type == "node_down") return "X";
  if (type == "restart" || type == "node_up") return "R";
  return "?";
}
}  // namespace

RoleTimelineWidget::RoleTimelineWidget(std::vector<NodeTimeline> timelines, double tMin, double tMax, QWidget* parent)
    : QWidget(parent), timelines_(std::move(timelines)), tMin_(tMin), tMax_(tMax > tMin ? tMax : tMin + 1) {
  setMouseTracking(true);
}

QSize RoleTimelineWidget::sizeHint() const {
  return {800, kTimelineTop + kTimelineRow * static_cast<int>(timelines_.size()) + kTimelineLegend};
}
QSize RoleTimelineWidget::minimumSizeHint() const { return {300, sizeHint().height()}; }

QRectF RoleTimelineWidget::plotRect() const {
  return QRectF(kTimelineLabel, kTimelineTop, std::max(10, width() - kTimelineLabel - 12),
                kTimelineRow * static_cast<double>(timelines_.size()));
}

double RoleTimelineWidget::xOf(double t) const {
  const QRectF r = plotRect();
  return r.left() + (t - tMin_) / (tMax_ - tMin_) * r.width();
}

void RoleTimelineWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  p.fillRect(rect(), palette().color(QPalette::Base));
  const QColor text = palette().color(QPalette::Text);
  const QRectF plot = plotRect();
  for (std::size_t i = 0; i < timelines_.size(); ++i) {
    const auto& tl = timelines_[i];
    const double y = kTimelineTop + kTimelineRow * static_cast<double>(i);
    p.setPen(text);
    p.drawText(QRectF(4, y, kTimelineLabel - 8, kTimelineRow), Qt::AlignVCenter | Qt::AlignLeft,
               QString::fromStdString(tl.node));
    for (const auto& b : tl.bands)
      p.fillRect(QRectF(xOf(b.t0), y + 4, std::max(1.0, xOf(b.t1) - xOf(b.t0)), kTimelineRow - 8), roleColor(b.role));
    for (const auto& m : tl.markers) {
      const double x = xOf(m.t_s);
      const QColor c = eventColor(m.type);
      QPainterPath diamond;
      diamond.moveTo(x, y + 1);
      diamond.lineTo(x + 7, y + kTimelineRow / 2.0);
      diamond.lineTo(x, y + kTimelineRow - 1);
      diamond.lineTo(x - 7, y + kTimelineRow / 2.0);
      diamond.closeSubpath();
      p.fillPath(diamond, c);
      p.setPen(QPen(text, 1));
      p.drawPath(diamond);
      QFont f = font();
      f.setPointSizeF(f.pointSizeF() * 0.7);
      f.setBold(true);
      p.setFont(f);
      p.setPen(Qt::white);
      p.drawText(QRectF(x - 7, y, 14, kTimelineRow), Qt::AlignCenter, markerLetter(m.type));
      p.setFont(font());
    }
  }
  // Time ticks under the rows.
  p.setPen(palette().color(QPalette::Mid));
  p.drawRect(plot);
  p.setPen(text);
  const double step = niceTickStep(tMax_ - tMin_);  // round seconds: 0, 10, 20, not 22.5
  for (double t = std::ceil(tMin_ / step) * step; t <= tMax_ + step * 1e-9; t += step) {
    const double x = xOf(t);
    p.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
    p.drawText(QRectF(x - 30, plot.bottom() + 4, 60, 16), Qt::AlignHCenter | Qt::AlignTop, QString::number(t, 'g', 6));
  }
  p.drawText(QRectF(4, plot.bottom() + 4, kTimelineLabel - 8, 16), Qt::AlignLeft | Qt::AlignTop, "time (s)");
  // Legend: roles, then marker letters.
  double x = kTimelineLabel;
  const double ly = plot.bottom() + 24;
  auto legend = [&](const QColor& c, const QString& label) {
    p.fillRect(QRectF(x, ly + 3, 12, 12), c);
    p.setPen(text);
    p.drawText(QRectF(x + 16, ly, 150, 18), Qt::AlignVCenter | Qt::AlignLeft, label);
    x += 22 + p.fontMetrics().horizontalAdvance(label);
  };
  legend(roleColor("master"), "master");
  legend(roleColor("replica"), "replica");
  legend(roleColor("down"), "down");
  legend(eventColor("kill"), "X kill/down");
  legend(eventColor("pfail"), "P pfail");
  legend(eventColor("fail"), "F fail");
  legend(eventColor("election_started"), "E election");
  legend(eventColor("promoted"), "M promoted");
  legend(eventColor("restart"), "R restart/up");
}

void RoleTimelineWidget::mouseMoveEvent(QMouseEvent* e) {
  const QRectF plot = plotRect();
  const QPointF pos = e->position();
  if (!plot.contains(pos)) return QToolTip::hideText();
  const auto row = static_cast<std::size_t>((pos.y() - kTimelineTop) / kTimelineRow);
  if (row >= timelines_.size()) return;
  const double t = tMin_ + (pos.x() - plot.left()) / plot.width() * (tMax_ - tMin_);
  const auto& tl = timelines_[row];
  QString tip = QString::fromStdString(tl.node);
  for (const auto& b : tl.bands)
    if (t > b.t0 && t <= b.t1)
      tip +=
          QString("\n%1 in (%2 s, %3 s]").arg(QString::fromStdString(b.role), formatNumber(b.t0), formatNumber(b.t1));
  for (const auto& m : tl.markers)
    if (std::fabs(xOf(m.t_s) - pos.x()) <= 7)
      tip += QString("\n%1 at %2 s").arg(QString::fromStdString(m.type), formatNumber(m.t_s));
  QToolTip::showText(e->globalPosition().toPoint(), tip, this);
}

}  // namespace cachelab::gui
