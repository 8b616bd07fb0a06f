#include "views/compare_view.hpp"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QTableWidget>
#include <QVBoxLayout>

#include "app/format.hpp"
#include "cachelab/results/compare.hpp"
#include "app/theme.hpp"
#include "model/chart_model.hpp"
#include "model/effect_table.hpp"
#include "views/timeseries_view.hpp"
#include "widgets/axis_sync.hpp"
#include "widgets/time_chart_view.hpp"

namespace cachelab::gui {

namespace {

// A sim-vs-live pair of one scenario: summary values side by side, SLO verdicts, and `cachelab compare`'s
// tolerance verdicts (the same function as the command).
QTableWidget* verdictTable(const RunSet& runs, QWidget* parent) {
  struct Row {
    QString name;
    std::function<QString(const cachelab::results::Summary&)> get;
  };
  const QList<Row> rows = {
      {"mode", [](const auto& s) { return QString::fromStdString(s.mode); }},
      {"requests", [](const auto& s) { return formatCount(s.requests); }},
      {"hit ratio", [](const auto& s) { return formatRatio(s.hit_ratio); }},
      {"latency p50", [](const auto& s) { return formatMicros(s.latency_us.p50); }},
      {"latency p99", [](const auto& s) { return formatMicros(s.latency_us.p99); }},
      {"latency p99.9", [](const auto& s) { return formatMicros(s.latency_us.p999); }},
      {"origin requests", [](const auto& s) { return formatCount(s.origin.requests); }},
      {"evicted keys", [](const auto& s) { return formatCount(s.evicted_keys); }},
      {"writes lost", [](const auto& s) { return formatCount(s.writes_lost); }},
      {"failovers", [](const auto& s) { return QString::number(s.failovers.size()); }},
  };
  // SLO rows: the union of SLO names, each run's own verdict (a stream's SLO, slo.streams: "name [stream]").
  auto sloLabel = [](const cachelab::results::Slo& slo) {
    return QString::fromStdString(slo.stream.empty() ? slo.name : slo.name + " [" + slo.stream + "]");
  };
  QStringList sloNames;
  for (const auto& r : runs)
    for (const auto& slo : r->summary.slo)
      if (!sloNames.contains(sloLabel(slo))) sloNames.append(sloLabel(slo));

  // cachelab compare's verdicts for the first two runs (the same function as the command; the GUI computes nothing).
  nlohmann::json verdict;
  QStringList compared;
  try {
    verdict = compare::compare_runs(runs[0]->dir, runs[1]->dir, compare::default_tolerances());
    for (const auto& m : verdict["metrics"])
      if (!m["within"].is_null()) compared.append(QString::fromStdString(m["name"].get<std::string>()));
  } catch (const std::exception& e) {
    verdict = nlohmann::json{{"error", e.what()}};
  }
  const int compare_rows = 1 + static_cast<int>(compared.size());

  QStringList headers{"summary.json"};
  for (std::size_t i = 0; i < runs.size(); ++i) headers.append(runLabel(runs, i));
  auto* table = new QTableWidget(static_cast<int>(rows.size() + sloNames.size()) + compare_rows,
                                 static_cast<int>(headers.size()), parent);
  table->setHorizontalHeaderLabels(headers);
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
  for (int r = 0; r < rows.size(); ++r) {
    table->setItem(r, 0, new QTableWidgetItem(rows[r].name));
    for (std::size_t c = 0; c < runs.size(); ++c)
      table->setItem(r, static_cast<int>(c) + 1, new QTableWidgetItem(rows[r].get(runs[c]->summary)));
  }
  for (int k = 0; k < sloNames.size(); ++k) {
    const int r = static_cast<int>(rows.size()) + k;
    table->setItem(r, 0, new QTableWidgetItem("SLO " + sloNames[k]));
    for (std::size_t c = 0; c < runs.size(); ++c) {
      for (const auto& slo : runs[c]->summary.slo) {
        if (sloLabel(slo) != sloNames[k]) continue;
        auto* item = new QTableWidgetItem(
            QString("%1 (%2)").arg(slo.pass ? "PASS" : "FAIL", QString::number(slo.value, 'g', 4)));
        item->setBackground(passColor(slo.pass));
        item->setForeground(Qt::white);
        table->setItem(r, static_cast<int>(c) + 1, item);
      }
    }
  }
  {
    int r = static_cast<int>(rows.size() + sloNames.size());
    const bool ok = verdict.contains("pass") && verdict["pass"].get<bool>();
    table->setItem(r, 0, new QTableWidgetItem("cachelab compare"));
    auto* head =
        new QTableWidgetItem(verdict.contains("error") ? QString::fromStdString(verdict["error"].get<std::string>())
                                                       : QString(ok ? "all within tolerance" : "differs"));
    head->setBackground(passColor(ok));
    head->setForeground(Qt::white);
    table->setItem(r, 1, head);
    for (const auto& m : verdict.value("metrics", nlohmann::json::array())) {
      if (m["within"].is_null()) continue;
      ++r;
      const bool within = m["within"].get<bool>();
      table->setItem(r, 0, new QTableWidgetItem("≈ " + QString::fromStdString(m["name"].get<std::string>())));
      auto* item = new QTableWidgetItem(within ? "ok" : "DIFFERS");
      item->setBackground(passColor(within));
      item->setForeground(Qt::white);
      table->setItem(r, 1, item);
    }
  }
  return table;
}

// Two runs of different scenarios, or of one scenario with other knobs: what changed, by how much, for better or
// worse (compare_runs' numbers; rows where both runs agree are hidden unless asked for).
QWidget* effectTable(const RunSet& runs, QWidget* parent) {
  auto* box = new QWidget(parent);
  auto* layout = new QVBoxLayout(box);
  layout->setContentsMargins(0, 0, 0, 0);
  std::vector<EffectRow> rows;
  QString error;
  try {
    rows = effectRows(compareAgainstReference(runs));
  } catch (const std::exception& e) {
    error = QString::fromStdString(e.what());
  }
  if (!error.isEmpty()) {
    auto* l = new QLabel("Cannot compare these runs: " + error.toHtmlEscaped(), box);
    l->setWordWrap(true);
    layout->addWidget(l);
    return box;
  }
  auto* table = new QTableWidget(static_cast<int>(rows.size()), 6, box);
  table->setObjectName("effects");
  table->setHorizontalHeaderLabels({"metric", "this run", "reference", "difference", "relative", "effect"});
  table->verticalHeader()->hide();
  table->setEditTriggers(QAbstractItemView::NoEditTriggers);
  table->setWordWrap(false);
  for (int c = 0; c < 6; ++c) table->horizontalHeader()->setSectionResizeMode(c, QHeaderView::ResizeToContents);
  for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
    const auto& e = rows[static_cast<std::size_t>(r)];
    const QStringList cells = {e.info.label, e.primaryText, e.referenceText, e.diffText, e.relText, e.effectText};
    for (int c = 0; c < cells.size(); ++c) {
      auto* item = new QTableWidgetItem(cells[c]);
      if (c > 0 && c < 5) item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
      item->setToolTip(QString::fromStdString(e.name));
      table->setItem(r, c, item);
    }
    if (e.effect != 0) {
      auto* item = table->item(r, 5);
      item->setBackground(passColor(e.effect > 0));
      item->setForeground(Qt::white);
    }
  }
  auto* showAll = new QCheckBox("show metrics that did not change", box);
  auto filter = [table, rows, showAll] {
    for (int r = 0; r < static_cast<int>(rows.size()); ++r)
      table->setRowHidden(r, !showAll->isChecked() && !rows[static_cast<std::size_t>(r)].changed());
  };
  QObject::connect(showAll, &QCheckBox::toggled, table, filter);
  filter();
  auto* legend = new QLabel(
      "Difference = this run − the reference; relative to the reference. "
      "Numbers from <code>cachelab compare</code>.",
      box);
  legend->setWordWrap(true);
  layout->addWidget(legend);
  layout->addWidget(table, 1);
  layout->addWidget(showAll);
  return box;
}

QString describeRun(const RunSet& runs, std::size_t i) {
  const auto& info = runs[i]->info;
  QString text = QString(i == 0 ? "This run" : "Reference") + ": <b>" + runLabel(runs, i).toHtmlEscaped() + "</b>, " +
                 QString::fromStdString(info.title.empty() ? info.name : info.title).toHtmlEscaped() + " (" +
                 QString::fromStdString(info.mode) + ", seed " + QString::number(info.seed) + ")";
  return text;
}

}  // namespace

CompareView::CompareView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  if (runs.size() < 2) {
    auto* hint = new QLabel(
        "<h3>Compare</h3><p>Open a second run directory (File ▸ Add run to compare…, Ctrl+Shift+O, or drop it "
        "with Ctrl held), for example the live run of the same scenario, to see both runs side by side.</p>"
        "<p>Shown now: <b>" +
            QString::fromStdString(runs.front()->dir.string()) + "</b></p>",
        this);
    hint->setWordWrap(true);
    hint->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    layout->addWidget(hint, 1);
    return;
  }
  const bool verdicts = isSimLivePair(runs);
  auto* header = new QLabel(describeRun(runs, 0) + "<br>" + describeRun(runs, 1) +
                                (verdicts ? QString("<br>A simulated and a live run of one scenario: judged by "
                                                    "<code>cachelab compare</code>'s tolerances.")
                                          : QString()),
                            this);
  header->setWordWrap(true);
  layout->addWidget(header);
  QWidget* table = verdicts ? static_cast<QWidget*>(verdictTable(runs, this)) : effectTable(runs, this);
  // Table on the left (every row visible), overlaid charts on the right.
  table->setMinimumWidth(verdicts ? 380 : 600);
  table->setMaximumWidth(verdicts ? 460 : 640);
  auto* row = new QHBoxLayout();
  row->addWidget(table);
  layout->addLayout(row, 1);

  auto* sync = new AxisSync(this);
  QList<TimeChartView*> charts;
  for (const auto& def : timeSeriesCharts())
    if (def.id == "request-rate" || def.id == "hit-ratio" || def.id == "latency" || def.id == "origin-load")
      charts.append(new TimeChartView(buildChart(def, runs)));
  row->addWidget(chartGrid(charts, sync, this, verdicts ? 2 : 1), 1);
}

}  // namespace cachelab::gui
