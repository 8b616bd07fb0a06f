#include "widgets/slot_grid_widget.hpp"

#include <QImage>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <cmath>

#include "app/format.hpp"
#include "app/theme.hpp"

namespace cachelab::gui {
namespace {
constexpr int kSide = 128;  // 128 * 128 = 16384
constexpr int kLegendWidth = 210;
constexpr int kAxisLeft = 52, kAxisTop = 34;  // room for the row and column labels
}  // namespace

SlotGridWidget::SlotGridWidget(SlotLayout layout, QWidget* parent) : QWidget(parent), layout_(std::move(layout)) {
  setMouseTracking(true);
}

void SlotGridWidget::setLayoutData(SlotLayout layout) {
  layout_ = std::move(layout);
  update();
}

void SlotGridWidget::setLoad(std::vector<double> perOwner, QString label) {
  load_ = std::move(perOwner);
  loadLabel_ = std::move(label);
  update();
}

QColor SlotGridWidget::ownerColour(int o) const {
  if (o < 0) return palette().color(QPalette::Mid);
  if (load_.empty()) return seriesColor(o);
  double hi = 0;
  for (double v : load_)
    if (!std::isnan(v)) hi = std::max(hi, v);
  const double v = static_cast<std::size_t>(o) < load_.size() ? load_[static_cast<std::size_t>(o)] : NAN;
  if (std::isnan(v)) return QColor(150, 150, 150);
  // From a pale to a strong orange, by the owner's share of the busiest owner's load.
  const double f = hi > 0 ? v / hi : 0;
  return QColor::fromRgbF(1.0 - 0.2 * f, 0.93 - 0.6 * f, 0.85 - 0.85 * f);
}

QRectF SlotGridWidget::gridRect() const {
  const double side = std::max(16, std::min(width() - kLegendWidth - 16 - kAxisLeft, height() - 16 - kAxisTop));
  return QRectF(8 + kAxisLeft, 8 + kAxisTop, side, side);
}

void SlotGridWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.fillRect(rect(), palette().color(QPalette::Base));
  QImage img(kSide, kSide, QImage::Format_RGB32);
  const QColor none = palette().color(QPalette::Mid);
  for (int s = 0; s < kSlots; ++s) {
    const int o = layout_.owner[static_cast<std::size_t>(s)];
    img.setPixelColor(s % kSide, s / kSide, o < 0 ? none : ownerColour(o));
  }
  const QRectF g = gridRect();
  p.drawImage(g, img);  // no smoothing: each slot stays a crisp square
  p.setPen(palette().color(QPalette::Text));
  p.drawRect(g);
  // Axes: a row holds 128 consecutive slots; the left labels are each 16th row's first slot, the top ones the
  // offset within a row. Slot = row start + offset.
  QFont small = font();
  small.setPointSizeF(small.pointSizeF() * 0.85);
  p.setFont(small);
  const double cell = g.width() / kSide;
  for (int row = 0; row <= kSide; row += 16) {
    const double y = g.top() + row * cell;
    p.drawLine(QPointF(g.left() - 4, y), QPointF(g.left(), y));
    if (row < kSide)
      p.drawText(QRectF(g.left() - kAxisLeft, y - 8, kAxisLeft - 6, 16), Qt::AlignRight | Qt::AlignVCenter,
                 QString::number(row * kSide));
  }
  for (int col = 0; col < kSide; col += 32) {
    const double x = g.left() + (col + 0.5) * cell;
    p.drawLine(QPointF(x, g.top() - 4), QPointF(x, g.top()));
    p.drawText(QRectF(x - 20, g.top() - 20, 40, 16), Qt::AlignHCenter | Qt::AlignBottom, "+" + QString::number(col));
  }
  p.drawText(QRectF(g.left(), g.top() - kAxisTop, g.width(), 14), Qt::AlignLeft | Qt::AlignTop,
             "hash slot = row start (left) + offset (top); 128 slots a row");
  p.setFont(font());

  double y = g.top();
  const double x = g.right() + 12;
  std::vector<int> counts(layout_.owners.size(), 0);
  for (int o : layout_.owner)
    if (o >= 0) ++counts[static_cast<std::size_t>(o)];
  for (std::size_t i = 0; i < layout_.owners.size(); ++i) {
    if (counts[i] == 0) continue;  // an owner that gave all its slots away
    p.fillRect(QRectF(x, y + 3, 14, 14), ownerColour(static_cast<int>(i)));
    QString text = QString("%1  (%2 slots)").arg(QString::fromStdString(layout_.owners[i])).arg(counts[i]);
    if (!load_.empty() && i < load_.size()) text += "\n" + loadLabel_ + " " + formatCount(load_[i]);
    const double h = load_.empty() ? 22 : 38;
    p.drawText(QRectF(x + 20, y, kLegendWidth - 24, h - 2), Qt::AlignTop | Qt::AlignLeft, text);
    y += h - 22;
    y += 22;
  }
  p.drawText(QRectF(x, y + 8, kLegendWidth - 4, 80), Qt::TextWordWrap | Qt::AlignTop | Qt::AlignLeft,
             QString::fromStdString(layout_.source));
}

void SlotGridWidget::mouseMoveEvent(QMouseEvent* e) {
  const QRectF g = gridRect();
  if (!g.contains(e->position())) return QToolTip::hideText();
  const int col = static_cast<int>((e->position().x() - g.left()) / g.width() * kSide);
  const int row = static_cast<int>((e->position().y() - g.top()) / g.height() * kSide);
  const int slot = std::clamp(row, 0, kSide - 1) * kSide + std::clamp(col, 0, kSide - 1);
  const int o = layout_.owner[static_cast<std::size_t>(slot)];
  QToolTip::showText(
      e->globalPosition().toPoint(),
      QString("slot %1: %2").arg(slot).arg(o < 0 ? QString("no owner") : QString::fromStdString(layout_.owners[o])),
      this);
}

}  // namespace cachelab::gui
