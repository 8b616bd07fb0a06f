#include "views/overview_view.hpp"

#include <cmath>

#include <QFrame>
#include <QGridLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "app/theme.hpp"

namespace cachelab::gui {

QWidget* makeCard(const QString& label, const QString& value, QWidget* parent) {
  auto* card = new QFrame(parent);
  card->setFrameShape(QFrame::StyledPanel);
  card->setAutoFillBackground(true);
  card->setBackgroundRole(QPalette::AlternateBase);
  auto* l = new QVBoxLayout(card);
  auto* v = new QLabel(value, card);
  QFont big = v->font();
  big.setPointSizeF(big.pointSizeF() * 1.6);
  big.setBold(true);
  v->setFont(big);
  l->addWidget(v);
  l->addWidget(new QLabel(label, card));
  return card;
}

OverviewView::OverviewView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  const auto& run = *runs.front();
  const auto& s = run.summary;
  auto* layout = new QVBoxLayout(this);

  auto* title = new QLabel(QString::fromStdString(run.info.title.empty() ? run.info.name : run.info.title), this);
  QFont tf = title->font();
  tf.setPointSizeF(tf.pointSizeF() * 1.8);
  tf.setBold(true);
  title->setFont(tf);
  title->setWordWrap(true);
  layout->addWidget(title);

  auto* desc = new QLabel(QString::fromStdString(run.info.description), this);
  desc->setWordWrap(true);
  layout->addWidget(desc);

  auto* facts = new QLabel(
      QString("%1 run · seed %2 · cachelab %3 · started %4 · %5 s wall · measured %6 s · %7")
          .arg(QString::fromStdString(run.info.mode))
          .arg(run.info.seed)
          .arg(QString::fromStdString(run.info.cachelab_version), QString::fromStdString(run.info.started_utc),
               QString::number(run.info.wall_s, 'f', 2), formatNumber(s.measured_s), QString::fromStdString(run.dir.string())),
      this);
  facts->setWordWrap(true);
  facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(facts);

  auto* grid = new QGridLayout();
  const QList<QPair<QString, QString>> cards = {
      {"requests", formatCount(s.requests)},
      {"hit ratio", formatRatio(s.hit_ratio)},
      {"latency p50", formatMicros(s.latency_us.p50)},
      {"latency p99", formatMicros(s.latency_us.p99)},
      {"latency p99.9", formatMicros(s.latency_us.p999)},
      {"latency max", formatMicros(s.latency_us.max)},
      {"origin requests", formatCount(s.origin.requests)},
      {"origin concurrency max", formatCount(s.origin.concurrency_max)},
      {"evicted keys", formatCount(s.evicted_keys)},
      {"expired keys", formatCount(s.expired_keys)},
      {"writes lost", formatCount(s.writes_lost)},
      {"failovers", QString::number(s.failovers.size())},
      {"CLUSTERDOWN errors", formatCount(s.errors.clusterdown)},
      {"MOVED / ASK", formatCount(s.errors.moved) + " / " + formatCount(s.errors.ask)},
      {"timeouts", formatCount(s.errors.timeout)},
      {"connection errors", formatCount(s.errors.connection)},
  };
  for (int i = 0; i < cards.size(); ++i) grid->addWidget(makeCard(cards[i].first, cards[i].second, this), i / 4, i % 4);
  layout->addLayout(grid);

  auto* sloTitle = new QLabel("<b>Service-level objectives</b>", this);
  layout->addWidget(sloTitle);
  auto* table = new QTableWidget(static_cast<int>(s.slo.size()), 5, this);
  table->setHorizontalHeaderLabels({"objective", "target", "value", "margin", "verdict"});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  for (int r = 0; r < static_cast<int>(s.slo.size()); ++r) {
    const auto& slo = s.slo[static_cast<std::size_t>(r)];
    table->setItem(r, 0, new QTableWidgetItem(QString::fromStdString(slo.name)));
    // Four significant digits: a p99 of 10.6496 ms reads 10.65; the exact value is in the tooltip.
    const double cells[] = {slo.target, slo.value, slo.margin};
    for (int c = 0; c < 3; ++c) {
      auto* item = new QTableWidgetItem(std::isnan(cells[c]) ? formatCount(cells[c]) : QString::number(cells[c], 'g', 4));
      item->setToolTip(formatNumber(cells[c]));
      table->setItem(r, c + 1, item);
    }
    auto* verdict = new QTableWidgetItem(slo.pass ? "PASS" : "FAIL");
    verdict->setForeground(Qt::white);
    verdict->setBackground(passColor(slo.pass));
    QFont bf = verdict->font();
    bf.setBold(true);
    verdict->setFont(bf);
    table->setItem(r, 4, verdict);
  }
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  if (s.slo.empty()) {
    layout->addWidget(new QLabel("This run declares no SLOs (scenario /slo).", this));
    delete table;
  } else {
    layout->addWidget(table, 1);
  }
  layout->addStretch();
}

}  // namespace cachelab::gui
