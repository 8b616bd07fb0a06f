#include "widgets/sequence_diagram_widget.hpp"

#include <algorithm>

#include <QPainter>
#include <QPainterPath>

#include "app/theme.hpp"

namespace cachelab::gui {

namespace {
constexpr int kSequenceTimeColumn = 90, kSequenceHeader = 36, kSequenceRow = 30, kSequenceMargin = 12,
              kSequenceMinLane = 190;
}  // namespace

SequenceDiagramWidget::SequenceDiagramWidget(QWidget* parent) : QWidget(parent) {
  setBackgroundRole(QPalette::Base);
  setAutoFillBackground(true);
}

void SequenceDiagramWidget::setDiagram(SequenceDiagram diagram, std::int64_t due_ns) {
  diagram_ = std::move(diagram);
  due_ns_ = due_ns;
  updateGeometry();
  update();
}

QSize SequenceDiagramWidget::sizeHint() const {
  const int lanes = std::max<int>(1, static_cast<int>(diagram_.lifelines.size()));
  return {kSequenceTimeColumn + lanes * kSequenceMinLane + 2 * kSequenceMargin,
          kSequenceHeader + static_cast<int>(diagram_.rows.size()) * kSequenceRow + 2 * kSequenceMargin};
}

void SequenceDiagramWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QPalette pal = palette();
  const QColor text = pal.color(QPalette::Text), faint = pal.color(QPalette::Mid);
  const QColor warn = faultColor("kill"), db = seriesColor(2);
  const int lanes = static_cast<int>(diagram_.lifelines.size());
  if (lanes == 0) {
    p.setPen(text);
    p.drawText(rect(), Qt::AlignCenter, "no request chosen");
    return;
  }
  const int left = kSequenceMargin + kSequenceTimeColumn;
  const int laneWidth = std::max(kSequenceMinLane / 2, (width() - left - kSequenceMargin) / lanes);
  auto x = [&](int lane) { return left + lane * laneWidth + laneWidth / 2; };
  const int top = kSequenceMargin,
            bottom = top + kSequenceHeader + static_cast<int>(diagram_.rows.size()) * kSequenceRow;

  // Lifelines with their names.
  QFont bold = font();
  bold.setBold(true);
  for (int i = 0; i < lanes; ++i) {
    const QRect box(x(i) - laneWidth / 2 + 6, top, laneWidth - 12, kSequenceHeader - 10);
    p.setPen(text);
    p.setBrush(pal.color(QPalette::AlternateBase));
    p.drawRoundedRect(box, 4, 4);
    p.setFont(bold);
    p.drawText(box, Qt::AlignCenter, diagram_.lifelines[i]);
    p.setFont(font());
    p.setPen(QPen(faint, 1, Qt::DashLine));
    p.drawLine(x(i), top + kSequenceHeader - 10, x(i), bottom);
  }

  const QFontMetrics fm(font());
  for (std::size_t r = 0; r < diagram_.rows.size(); ++r) {
    const SequenceRow& row = diagram_.rows[r];
    const int y = top + kSequenceHeader + static_cast<int>(r) * kSequenceRow + kSequenceRow / 2 + 4;
    p.setPen(faint);
    p.drawText(QRect(kSequenceMargin, y - kSequenceRow / 2, kSequenceTimeColumn - 6, kSequenceRow),
               Qt::AlignRight | Qt::AlignVCenter, offsetLabel(row.t_ns, due_ns_));
    const QColor colour = row.problem ? warn
                          : (row.from == lanes - 1 || row.to == lanes - 1) && diagram_.lifelines.back() == "database"
                              ? db
                              : text;
    if (row.from == row.to) {  // a note on one lifeline
      const int cx = x(row.from);
      p.setPen(QPen(colour, 1));
      p.setBrush(colour);
      p.drawEllipse(QPoint(cx, y), 3, 3);
      p.setPen(colour);
      // Text to the right of the point, or to its left when it would not fit (the last lifeline).
      const int need = fm.horizontalAdvance(row.label) + 4;
      const int right = width() - cx - kSequenceMargin - 8, leftRoom = cx - left - 8;
      if (need > right && leftRoom > right) {
        const int w = std::min(need, leftRoom);
        p.drawText(QRect(cx - 8 - w, y - kSequenceRow / 2, w, kSequenceRow), Qt::AlignRight | Qt::AlignVCenter,
                   fm.elidedText(row.label, Qt::ElideRight, w));
      } else {
        const int w = std::max(40, std::min(need, right));
        p.drawText(QRect(cx + 8, y - kSequenceRow / 2, w, kSequenceRow), Qt::AlignLeft | Qt::AlignVCenter,
                   fm.elidedText(row.label, Qt::ElideRight, w));
      }
      continue;
    }
    const int x0 = x(row.from), x1 = x(row.to);
    p.setPen(QPen(colour, row.problem ? 2 : 1.4, row.reply ? Qt::DashLine : Qt::SolidLine));
    p.drawLine(x0, y, x1, y);
    const int dir = x1 > x0 ? 1 : -1;
    QPainterPath head;
    head.moveTo(x1, y);
    head.lineTo(x1 - dir * 9, y - 4);
    head.lineTo(x1 - dir * 9, y + 4);
    head.closeSubpath();
    p.setPen(Qt::NoPen);
    p.setBrush(colour);
    p.drawPath(head);
    p.setPen(colour);
    // The label centred over the arrow, wider than it when needed (kept inside the diagram).
    const int w = std::min(fm.horizontalAdvance(row.label) + 8, width() - left - kSequenceMargin);
    const int mid = (x0 + x1) / 2;
    const int lx = std::clamp(mid - w / 2, left, std::max(left, width() - kSequenceMargin - w));
    p.drawText(QRect(lx, y - kSequenceRow / 2 - 4, w, kSequenceRow / 2 + 2), Qt::AlignHCenter | Qt::AlignBottom,
               fm.elidedText(row.label, Qt::ElideRight, w));
  }
}

}  // namespace cachelab::gui
