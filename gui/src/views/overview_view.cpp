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
#include "model/run_changes.hpp"

namespace cachelab::gui {

namespace {
// An SLO's figure in its unit, as `cachelab run` prints it (results/summary_text.cpp).
QString formatSloValue(const std::string& name, double v) {
  if (std::isnan(v)) return formatCount(v);
  if (name.rfind("latency_", 0) == 0) return formatMillis(v);
  if (name == "error_rate_max" || name == "cache_error_rate_max") return formatProbability(v);
  if (name == "origin_requests_per_s_max") return formatRate(v);
  if (name == "writes_lost_max") return formatCount(v);
  if (name == "hit_ratio_min" || name == "availability_min") return formatRatio(v);  // 0.7383, as the CLI and tiles
  return formatSig(v);
}
}  // namespace

QWidget* makeCard(const QString& label, const QString& value, QWidget* parent, const QString& detail) {
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
  if (!detail.isEmpty()) {
    auto* d = new QLabel(detail, card);
    d->setWordWrap(true);
    d->setEnabled(false);  // greyed: the breakdown under the figure
    l->addWidget(d);
  }
  card->setObjectName("card:" + label);  // tests find a tile by its label
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

  auto* facts =
      new QLabel(QString("%1 run · seed %2 · cachelab %3 · started %4 · %5 s wall · measured %6 · %7")
                     .arg(QString::fromStdString(run.info.mode))
                     .arg(run.info.seed)
                     .arg(QString::fromStdString(run.info.cachelab_version),
                          QString::fromStdString(run.info.started_utc), QString::number(run.info.wall_s, 'f', 2),
                          formatSeconds(s.measured_s), QString::fromStdString(run.dir.string())),
                 this);
  facts->setWordWrap(true);
  facts->setTextInteractionFlags(Qt::TextSelectableByMouse);
  layout->addWidget(facts);
  // What this run changed from its scenario file (--calibration, --set): the title and description above are the
  // file's, so a run with other knobs says so here.
  if (const QString changes = runChangesLine(run.info); !changes.isEmpty()) {
    auto* changed = new QLabel(changes, this);
    changed->setObjectName("overview:changes");
    changed->setWordWrap(true);
    changed->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(changed);
  }

  auto* grid = new QGridLayout();
  // Every figure comes from summary.json as the simulator wrote it; nothing is computed here but the text.
  auto list = [](const QList<QPair<QString, double>>& items) {
    QStringList parts;
    for (const auto& [label, v] : items)
      if (v > 0) parts << label + " " + formatCount(v);
    return parts.join(" · ");
  };
  const auto& lost = s.writes_lost_by_kind;
  // Older summaries have no writes_lost_by_kind: their writes_lost is every loss they counted.
  const double lostTotal = std::isnan(lost.total) ? s.writes_lost : lost.total;
  double staleTotal = 0;  // reads served older than the database (issue 16); NaN sources (older runs) add nothing
  for (double n : {s.stale_reads.cache.reads, s.stale_reads.l1.reads, s.stale_reads.replica.reads})
    if (!std::isnan(n)) staleTotal += n;
  struct Card {
    QString label, value, detail;
  };
  const QList<Card> cards = {
      {"requests", formatCount(s.requests), {}},
      {"hit ratio", formatRatio(s.hit_ratio), {}},
      {"latency p50", formatMicros(s.latency_us.p50), {}},
      {"latency p99", formatMicros(s.latency_us.p99), {}},
      {"failed", formatCount(s.failed_requests),
       "the application saw an error (error rate " + formatProbability(s.error_rate) + ")" +
           (s.failed_requests > 0 ? "\n" + list({{"database", s.failed_by_cause.origin},
                                                 {"cache, no fallback", s.failed_by_cause.cache},
                                                 {"write buffer full", s.failed_by_cause.write_buffer_full},
                                                 {"client not started", s.failed_by_cause.client_not_started}})
                                  : QString())},
      {"degraded", formatCount(s.degraded_requests),
       "the cache could not answer; sent to the database" +
           (s.degraded_requests > 0 ? "\n" + list({{"connection", s.degraded_by_error.connection},
                                                   {"CLUSTERDOWN", s.degraded_by_error.clusterdown},
                                                   {"timeout", s.degraded_by_error.timeout}})
                                    : QString())},
      {"availability", formatRatio(s.availability), "share of requests the cache answered"},
      {"cache error rate", formatProbability(s.cache_error_rate), "requests whose cache command ended in an error"},
      {"database timeouts", formatCount(s.origin.timeouts), "queries the database did not answer in time"},
      {"database rejected", formatCount(s.origin.rejected), "queries refused by a full database queue"},
      {"database queries", formatCount(s.origin.requests), "peak concurrency " + formatCount(s.origin.concurrency_max)},
      {"writes lost", formatCount(lostTotal),
       lostTotal > 0 ? list({{"failover", lost.failover},
                             {"deposed master", lost.deposed_master},
                             {"write-behind crash", lost.write_behind}})
                     : QString("acknowledged writes, every kind")},
      {"stale reads", formatCount(staleTotal),
       staleTotal > 0 ? list({{"shared cache", s.stale_reads.cache.reads},
                              {"L1", s.stale_reads.l1.reads},
                              {"replicas", s.stale_reads.replica.reads}})
                      : QString("reads older than the database")},
      {"failovers", QString::number(s.failovers.size()), {}},
      {"latency p99.9", formatMicros(s.latency_us.p999), {}},
      {"latency max", formatMicros(s.latency_us.max), {}},
      {"CLUSTERDOWN replies", formatCount(s.errors.clusterdown), {}},
      {"connection errors", formatCount(s.errors.connection), {}},
      {"cache timeouts", formatCount(s.errors.timeout), "cache commands that timed out"},
      {"MOVED / ASK", formatCount(s.errors.moved) + " / " + formatCount(s.errors.ask), {}},
      {"evicted keys", formatCount(s.evicted_keys), {}},
      {"expired keys", formatCount(s.expired_keys), {}},
  };
  constexpr int kColumns = 6;  // 22 tiles in 4 rows: the SLO table stays on screen at 900 x 640
  for (int i = 0; i < cards.size(); ++i)
    grid->addWidget(makeCard(cards[i].label, cards[i].value, this, cards[i].detail), i / kColumns, i % kColumns);
  // Equal columns: left to the layout, the first column took its widest text's width and its details wrapped to
  // three lines while the next three were twice as wide.
  for (int c = 0; c < kColumns; ++c) grid->setColumnStretch(c, 1);
  layout->addLayout(grid);

  auto* sloTitle = new QLabel("<b>Service-level objectives</b>", this);
  layout->addWidget(sloTitle);
  auto* table = new QTableWidget(static_cast<int>(s.slo.size()), 6, this);
  table->setHorizontalHeaderLabels({"objective", "measures", "target", "value", "margin", "verdict"});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  for (int r = 0; r < static_cast<int>(s.slo.size()); ++r) {
    const auto& slo = s.slo[static_cast<std::size_t>(r)];
    table->setItem(r, 0,
                   new QTableWidgetItem(
                       QString::fromStdString(slo.stream.empty() ? slo.name : slo.name + " [" + slo.stream + "]")));
    table->setItem(r, 1, new QTableWidgetItem(QString::fromStdString(slo.measures)));
    // The CLI's format for the SLO's unit; the exact value is in the tooltip.
    const double cells[] = {slo.target, slo.value, slo.margin};
    for (int c = 0; c < 3; ++c) {
      auto* item = new QTableWidgetItem(formatSloValue(slo.name, cells[c]));
      item->setToolTip(formatNumber(cells[c]));
      table->setItem(r, c + 2, item);
    }
    auto* verdict = new QTableWidgetItem(slo.pass ? "PASS" : "FAIL");
    verdict->setForeground(Qt::white);
    verdict->setBackground(passColor(slo.pass));
    QFont bf = verdict->font();
    bf.setBold(true);
    verdict->setFont(bf);
    table->setItem(r, 5, verdict);
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
