#include "widgets/cluster_widget.hpp"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

#include "app/format.hpp"
#include "app/theme.hpp"

namespace cachelab::gui {
namespace {

// Arrows between every pair would hide the nodes in a large cluster: above this many nodes only badges are drawn.
constexpr int kMaxNodesWithArrows = 40;

const QColor kPfail(230, 159, 0);
const QColor kFail(204, 40, 40);
const QColor kVote(150, 60, 170);
const QColor kMigration(0, 114, 178);
const QColor kPromoted(0, 158, 115);

QColor sideColor(int side) {
  static const QColor c[] = {QColor(230, 120, 40), QColor(60, 140, 220), QColor(90, 170, 90), QColor(170, 90, 170)};
  return c[side % 4];
}

// Where the segment from the centre of `r` towards `to` leaves `r`.
QPointF exitPoint(const QRectF& r, const QPointF& to) {
  const QPointF c = r.center();
  const double dx = to.x() - c.x(), dy = to.y() - c.y();
  if (std::fabs(dx) < 1e-9 && std::fabs(dy) < 1e-9) return c;
  const double sx = std::fabs(dx) > 1e-9 ? (r.width() / 2) / std::fabs(dx) : 1e18;
  const double sy = std::fabs(dy) > 1e-9 ? (r.height() / 2) / std::fabs(dy) : 1e18;
  const double s = std::min(sx, sy);
  return {c.x() + dx * s, c.y() + dy * s};
}

// A curved arrow from box a to box b; the bend is to the right of the direction, so a->b and b->a stay apart.
// Returns the curve's middle, for a label.
QPointF drawArrow(QPainter& p, const QRectF& a, const QRectF& b, const QPen& pen, double bend = 0.15) {
  const QPointF ca = a.center(), cb = b.center();
  const QPointF d = cb - ca;
  const double len = std::hypot(d.x(), d.y());
  if (len < 1) return ca;
  const QPointF normal(-d.y() / len, d.x() / len);
  const QPointF ctrl = (ca + cb) / 2 + normal * (len * bend);
  const QPointF start = exitPoint(a, ctrl), end = exitPoint(b, ctrl);
  QPainterPath path(start);
  path.quadTo(ctrl, end);
  p.setPen(pen);
  p.setBrush(Qt::NoBrush);
  p.drawPath(path);
  // The head along the curve's last tangent.
  const QPointF t = end - ctrl;
  const double tl = std::hypot(t.x(), t.y());
  if (tl > 1e-6) {
    const QPointF u = t / tl, n(-u.y(), u.x());
    const double h = 6 + pen.widthF() * 1.5;
    QPolygonF head;
    head << end << end - u * h + n * (h * 0.5) << end - u * h - n * (h * 0.5);
    p.setPen(Qt::NoPen);
    p.setBrush(pen.color());
    p.drawPolygon(head);
  }
  return path.pointAtPercent(0.5);
}

void drawChip(QPainter& p, QPointF& at, const QString& text, const QColor& colour, bool filled) {
  const QFontMetricsF fm(p.font());
  const QRectF r(at.x(), at.y(), fm.horizontalAdvance(text) + 8, fm.height() + 2);
  p.setPen(QPen(colour, 1.2));
  p.setBrush(filled ? colour : Qt::NoBrush);
  p.drawRoundedRect(r, 3, 3);
  p.setPen(filled ? Qt::white : colour);
  p.drawText(r, Qt::AlignCenter, text);
  at.rx() += r.width() + 3;
}

QString names(const std::vector<std::string>& v, std::size_t most = 6) {
  QStringList out;
  for (std::size_t i = 0; i < v.size() && i < most; ++i) out << QString::fromStdString(v[i]);
  if (v.size() > most) out << QString("+%1 more").arg(v.size() - most);
  return out.join(", ");
}

}  // namespace

ClusterWidget::ClusterWidget(int columns, double peakOpsPerS, QWidget* parent)
    : QWidget(parent), columns_(std::max(columns, 1)), peakOps_(peakOpsPerS) {
  setAutoFillBackground(true);
}

void ClusterWidget::setFrame(ClusterFrame frame) {
  frame_ = std::move(frame);
  update();
}

QRectF ClusterWidget::nodeRect(int index) const {
  return index >= 0 && index < static_cast<int>(boxes_.size()) ? boxes_[static_cast<std::size_t>(index)] : QRectF();
}

void ClusterWidget::layoutBoxes(const QRectF& area) {
  std::vector<int> perColumn(static_cast<std::size_t>(columns_), 0);
  std::vector<int> rowOf(frame_.nodes.size(), 0);
  for (std::size_t i = 0; i < frame_.nodes.size(); ++i) {
    const int c = std::clamp(frame_.nodes[i].column, 0, columns_ - 1);
    rowOf[i] = perColumn[static_cast<std::size_t>(c)]++;
  }
  const int rows = std::max(1, *std::max_element(perColumn.begin(), perColumn.end()));
  const double cw = area.width() / columns_, ch = area.height() / rows;
  const double line = QFontMetricsF(font()).height();  // a box holds four lines of text and the memory bar
  const double w = std::min(cw * 0.8, 220.0), h = std::min(ch * 0.62, 4 * line + 16);
  boxes_.assign(frame_.nodes.size(), QRectF());
  for (std::size_t i = 0; i < frame_.nodes.size(); ++i) {
    const int c = std::clamp(frame_.nodes[i].column, 0, columns_ - 1);
    const QPointF centre(area.left() + cw * (c + 0.5), area.top() + ch * (rowOf[i] + 0.55));
    boxes_[i] = QRectF(centre.x() - w / 2, centre.y() - h / 2, w, h);
  }
}

void ClusterWidget::paintEvent(QPaintEvent*) {
  QPainter p(this);
  p.setRenderHint(QPainter::Antialiasing);
  const QColor text = palette().color(QPalette::Text);
  const QFontMetricsF fm(font());
  const double line = fm.height() + 2;

  // What is going on, one line each: elections, the reshard, partitions.
  QStringList status;
  for (const auto& e : frame_.elections) {
    QStringList voters;
    for (const auto& v : e.votes) voters << QString::fromStdString(v.voter);
    QString outcome = e.outcome == "won"       ? QString("won at %1 s").arg(e.t_end_s, 0, 'f', 3)
                      : e.outcome == "expired" ? QString("expired at %1 s").arg(e.t_end_s, 0, 'f', 3)
                      : e.outcome == "open"    ? QString("open")
                                               : QString::fromStdString(e.outcome);
    status << QString("Election epoch %1: %2 asks for votes since %3 s, %4 granted%5, %6")
                  .arg(e.epoch)
                  .arg(QString::fromStdString(e.candidate))
                  .arg(e.t_start_s, 0, 'f', 3)
                  .arg(e.votes.size())
                  .arg(voters.isEmpty() ? QString() : " (" + voters.join(", ") + ")")
                  .arg(outcome);
  }
  if (frame_.migration) {
    const auto& m = *frame_.migration;
    status << QString("Resharding %1 → %2: %3 of %4 slots moved%5")
                  .arg(QString::fromStdString(m.from), QString::fromStdString(m.to))
                  .arg(m.done)
                  .arg(m.total)
                  .arg(m.slot >= 0
                           ? QString(", slot %1 migrating since %2 s").arg(m.slot).arg(m.slot_start_s, 0, 'f', 3)
                           : QString());
  }
  for (const auto& c : frame_.cuts) {
    QStringList sides;
    for (std::size_t s = 0; s < c.sides.size(); ++s) sides << "{" + names(c.sides[s]) + "}";
    status << QString("%1 since %2 s: %3")
                  .arg(c.one_way ? "One-way cut" : "Partition")
                  .arg(c.t_s, 0, 'f', 3)
                  .arg(sides.join(c.one_way ? " ↛ " : " | "));
  }
  // A mass failure can open many elections at once: a few lines, then a count, so the nodes keep their room.
  constexpr int kMostStatusLines = 4;
  if (status.size() > kMostStatusLines) {
    const auto more = status.size() - (kMostStatusLines - 1);
    status = status.mid(0, kMostStatusLines - 1);
    status << QString("… and %1 more (the log lists every event)").arg(more);
  }
  const double margin = 10;
  double y = margin;
  p.setPen(text);
  for (const auto& s : status) {
    p.drawText(QRectF(margin, y, width() - 2 * margin, line), Qt::AlignLeft | Qt::AlignVCenter,
               fm.elidedText(s, Qt::ElideRight, width() - 2 * margin));
    y += line;
  }
  const double stripHeight = 18 + 4 * line;
  const QRectF nodeArea(margin, y + 14, width() - 2 * margin, height() - y - 14 - stripHeight - margin);
  layoutBoxes(nodeArea);

  const int n = static_cast<int>(frame_.nodes.size());
  // Partition halos first, under everything.
  for (int i = 0; i < n; ++i)
    if (frame_.nodes[static_cast<std::size_t>(i)].side >= 0) {
      QColor c = sideColor(frame_.nodes[static_cast<std::size_t>(i)].side);
      c.setAlpha(70);
      p.setPen(Qt::NoPen);
      p.setBrush(c);
      p.drawRoundedRect(boxes_[static_cast<std::size_t>(i)].adjusted(-9, -22, 9, 9), 10, 10);
    }
  // A replica to its master: dotted.
  for (int i = 0; i < n; ++i) {
    const auto& x = frame_.nodes[static_cast<std::size_t>(i)];
    if (x.master.empty() || x.role != "replica") continue;
    const int m = frame_.node(x.master);
    if (m < 0) continue;
    QColor c = text;
    c.setAlpha(90);
    QPen pen(c, 1, Qt::DotLine);
    p.setPen(pen);
    const QRectF a = boxes_[static_cast<std::size_t>(i)], b = boxes_[static_cast<std::size_t>(m)];
    p.drawLine(exitPoint(a, b.center()), exitPoint(b, a.center()));
  }
  for (int i = 0; i < n; ++i) drawNode(p, i);

  if (n <= kMaxNodesWithArrows) {
    // Failure reports: from each node that flags another, to it.
    for (int i = 0; i < n; ++i) {
      const auto& x = frame_.nodes[static_cast<std::size_t>(i)];
      for (const auto& by : x.pfail_by)
        if (const int o = frame_.node(by); o >= 0)
          drawArrow(p, boxes_[static_cast<std::size_t>(o)], boxes_[static_cast<std::size_t>(i)],
                    QPen(kPfail, 1.3, Qt::DashLine));
      for (const auto& by : x.fail_by)
        if (const int o = frame_.node(by); o >= 0)
          drawArrow(p, boxes_[static_cast<std::size_t>(o)], boxes_[static_cast<std::size_t>(i)], QPen(kFail, 1.6));
    }
    for (const auto& e : frame_.elections) {
      const int c = frame_.node(e.candidate);
      if (c < 0) continue;
      for (const auto& v : e.votes)
        if (const int o = frame_.node(v.voter); o >= 0) {
          const QPointF mid = drawArrow(p, boxes_[static_cast<std::size_t>(o)], boxes_[static_cast<std::size_t>(c)],
                                        QPen(kVote, 2.6), -0.2);
          p.setPen(kVote);
          p.drawText(QRectF(mid.x() - 40, mid.y() - line, 80, line), Qt::AlignCenter, QString("vote e%1").arg(e.epoch));
        }
    }
  }
  if (frame_.migration && frame_.migration->slot >= 0) {
    const int a = frame_.node(frame_.migration->from), b = frame_.node(frame_.migration->to);
    if (a >= 0 && b >= 0) {
      const QPointF mid = drawArrow(p, boxes_[static_cast<std::size_t>(a)], boxes_[static_cast<std::size_t>(b)],
                                    QPen(kMigration, 3.2), 0.25);
      p.setPen(kMigration);
      p.drawText(QRectF(mid.x() - 70, mid.y() - line, 140, line), Qt::AlignCenter,
                 QString("slot %1 migrating").arg(frame_.migration->slot));
    }
  }
  drawSlotStrip(p, QRectF(margin, height() - stripHeight - margin + 6, width() - 2 * margin, stripHeight - 6));
}

void ClusterWidget::drawNode(QPainter& p, int i) const {
  const auto& x = frame_.nodes[static_cast<std::size_t>(i)];
  const QRectF r = boxes_[static_cast<std::size_t>(i)];
  const QColor text = palette().color(QPalette::Text);
  const QColor base = palette().color(QPalette::Base);
  const std::string shownRole = !x.up ? "down" : x.role;
  QColor role = roleColor(x.up ? x.role : "");
  QColor fill = role;
  fill.setAlpha(x.up ? 45 : 20);
  // Traffic: the ring's width follows the node's commands per second (the run's busiest interval = 7 px).
  const double ops = std::isfinite(x.ops_per_s) ? x.ops_per_s : 0;
  const double ring = 1.2 + (peakOps_ > 0 ? 6.0 * std::clamp(ops / peakOps_, 0.0, 1.0) : 0);
  p.setBrush(base);
  p.setPen(Qt::NoPen);
  p.drawRoundedRect(r, 6, 6);
  p.setBrush(fill);
  QPen border(x.up ? role : QColor(150, 150, 150), x.up ? ring : 1.2, x.up ? Qt::SolidLine : Qt::DashLine);
  if (x.promoted_recently) border = QPen(kPromoted, std::max(ring, 3.5));
  p.setPen(border);
  p.drawRoundedRect(r, 6, 6);
  if (x.paused) {
    QColor hatch = text;
    hatch.setAlpha(60);
    p.setBrush(QBrush(hatch, Qt::BDiagPattern));
    p.setPen(Qt::NoPen);
    p.drawRoundedRect(r, 6, 6);
  }

  // Badges above the box: failure reports about this node, its own CLUSTERDOWN, a fresh promotion.
  QFont small = font();
  small.setPointSizeF(std::max(6.5, font().pointSizeF() * 0.85));
  p.setFont(small);
  const QFontMetricsF sfm(small);
  QPointF at(r.left(), r.top() - sfm.height() - 4);
  if (!x.fail_by.empty()) drawChip(p, at, QString("FAIL ×%1").arg(x.fail_by.size()), kFail, true);
  if (!x.pfail_by.empty()) drawChip(p, at, QString("PFAIL ×%1").arg(x.pfail_by.size()), kPfail, true);
  if (x.up && !x.cluster_ok) drawChip(p, at, "CLUSTERDOWN", kFail, false);
  if (x.promoted_recently) drawChip(p, at, "promoted", kPromoted, true);
  if (x.paused) drawChip(p, at, "paused", text, false);

  const QFontMetricsF fm(font());
  const double line = fm.height();
  if (r.height() < 2.2 * line || r.width() < 50) {  // too small for text: the name's number only
    p.setFont(font());
    return;
  }
  QFont bold = font();
  bold.setBold(true);
  p.setFont(bold);
  p.setPen(text);
  const QRectF inner = r.adjusted(8, 4, -8, -4);
  // The shard's colour (the slot strip's) beside the name when the node owns slots.
  double nameLeft = inner.left();
  if (x.slot_count > 0) {
    p.setPen(Qt::NoPen);
    p.setBrush(seriesColor(x.column));
    p.drawRect(QRectF(inner.left(), inner.top() + 3, 10, line - 6));
    nameLeft += 14;
  }
  p.setPen(text);
  p.drawText(QRectF(nameLeft, inner.top(), inner.right() - nameLeft, line), Qt::AlignLeft | Qt::AlignVCenter,
             QFontMetricsF(bold).elidedText(QString::fromStdString(x.name), Qt::ElideRight, inner.right() - nameLeft));
  p.setFont(font());
  QString roleText = QString::fromStdString(shownRole.empty() ? "not a member" : shownRole);
  if (x.up && x.role == "replica" && !x.master.empty()) roleText += " of " + QString::fromStdString(x.master);
  if (x.slot_count > 0)
    roleText += QString(" · %1 slots").arg(formatCount(x.slot_count));
  else if (x.up && x.role == "master")
    roleText += " · no slots";
  p.drawText(QRectF(inner.left(), inner.top() + line, inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(roleText, Qt::ElideRight, inner.width()));
  if (r.height() < 4 * line + 8) return;
  p.drawText(QRectF(inner.left(), inner.top() + 2 * line, inner.width(), line), Qt::AlignLeft | Qt::AlignVCenter,
             fm.elidedText(std::isfinite(x.ops_per_s) ? formatCount(std::round(x.ops_per_s)) + " commands/s"
                                                      : QString("commands/s: —"),
                           Qt::ElideRight, inner.width()));
  // Memory: used of maxmemory as a bar, the two sizes written on it.
  const QRectF bar(inner.left(), inner.top() + 3 * line + 2, inner.width(), line);
  p.setPen(QPen(text, 0.8));
  p.setBrush(Qt::NoBrush);
  p.drawRect(bar);
  if (std::isfinite(x.used_memory_bytes) && std::isfinite(x.maxmemory_bytes) && x.maxmemory_bytes > 0) {
    const double f = std::clamp(x.used_memory_bytes / x.maxmemory_bytes, 0.0, 1.0);
    QColor mem = f > 0.9 ? QColor(213, 94, 0) : QColor(0, 158, 115);
    mem.setAlpha(150);
    p.setPen(Qt::NoPen);
    p.setBrush(mem);
    p.drawRect(QRectF(bar.left(), bar.top(), bar.width() * f, bar.height()));
  }
  p.setPen(text);
  const QString memText =
      std::isfinite(x.used_memory_bytes)
          ? formatBytes(x.used_memory_bytes) + (std::isfinite(x.maxmemory_bytes) && x.maxmemory_bytes > 0
                                                    ? " / " + formatBytes(x.maxmemory_bytes)
                                                    : QString())
          : QString("memory: —");
  p.drawText(bar, Qt::AlignCenter, fm.elidedText(memText, Qt::ElideRight, bar.width() - 4));
}

void ClusterWidget::drawSlotStrip(QPainter& p, const QRectF& area) const {
  const QColor text = palette().color(QPalette::Text);
  const QFontMetricsF fm(font());
  const double line = fm.height() + 2;
  const QRectF strip(area.left(), area.top(), area.width(), 18);
  auto xOf = [&](int slot) { return strip.left() + strip.width() * slot / kAnimationSlots; };
  const auto& owner = frame_.slot_owner;
  for (int s = 0; s < static_cast<int>(owner.size());) {
    int e = s;
    while (e + 1 < static_cast<int>(owner.size()) &&
           owner[static_cast<std::size_t>(e + 1)] == owner[static_cast<std::size_t>(s)])
      ++e;
    const int o = owner[static_cast<std::size_t>(s)];
    const QRectF r(xOf(s), strip.top(), std::max(1.0, xOf(e + 1) - xOf(s)), strip.height());
    if (o >= 0 && o < static_cast<int>(frame_.nodes.size()))
      p.fillRect(r, seriesColor(frame_.nodes[static_cast<std::size_t>(o)].column));
    else
      p.fillRect(r, QBrush(QColor(150, 150, 150), Qt::Dense5Pattern));
    s = e + 1;
  }
  p.setPen(QPen(text, 0.8));
  p.setBrush(Qt::NoBrush);
  p.drawRect(strip);
  for (int tick : {0, 4096, 8192, 12288, 16383}) {
    const double x = xOf(tick) + (tick == 16383 ? strip.width() / kAnimationSlots : 0);
    p.drawLine(QPointF(x, strip.bottom()), QPointF(x, strip.bottom() + 4));
    const Qt::Alignment a = tick == 0 ? Qt::AlignLeft : tick == 16383 ? Qt::AlignRight : Qt::AlignHCenter;
    const QRectF label = tick == 0       ? QRectF(x, strip.bottom() + 4, 80, line)
                         : tick == 16383 ? QRectF(x - 80, strip.bottom() + 4, 80, line)
                                         : QRectF(x - 40, strip.bottom() + 4, 80, line);
    p.drawText(label, a | Qt::AlignTop, QString::number(tick));
  }
  if (frame_.migration && frame_.migration->slot >= 0) {
    const double x = xOf(frame_.migration->slot);
    QPolygonF tri;
    tri << QPointF(x, strip.top()) << QPointF(x - 6, strip.top() - 9) << QPointF(x + 6, strip.top() - 9);
    p.setPen(Qt::NoPen);
    p.setBrush(kMigration);
    p.drawPolygon(tri);
  }
  p.setPen(text);
  const QStringList caption = {
      "Slots coloured by their owner's shard. Border width: commands/s (thickest " + formatCount(std::round(peakOps_)) +
          "/s); green border: just promoted; dashed: down.",
      "Arrows from the node that flags: orange dashed PFAIL, red FAIL. Purple: votes. Blue: migrating slot. "
      "Dotted: replica to master. Halos: partition sides."};
  for (int i = 0; i < caption.size(); ++i)
    p.drawText(QRectF(area.left(), strip.bottom() + 4 + line * (i + 1), area.width(), line),
               Qt::AlignLeft | Qt::AlignTop, fm.elidedText(caption[i], Qt::ElideRight, area.width()));
}

}  // namespace cachelab::gui
