#include "views/failover_view.hpp"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableWidget>
#include <QVBoxLayout>

#include <nlohmann/json.hpp>

#include "app/format.hpp"
#include "app/theme.hpp"
#include "model/chart_model.hpp"
#include "model/event_details.hpp"
#include "widgets/event_timeline_widget.hpp"

namespace cachelab::gui {
namespace {

QTableWidget* failoverTable(int rows, const QStringList& headers, QWidget* parent) {
  auto* t = new QTableWidget(rows, static_cast<int>(headers.size()), parent);
  t->setHorizontalHeaderLabels(headers);
  t->verticalHeader()->hide();
  t->setEditTriggers(QAbstractItemView::NoEditTriggers);
  t->horizontalHeader()->setStretchLastSection(true);
  return t;
}

// Virtual times to the millisecond: the simulator's nanoseconds would print 12 digits nobody reads.
QString failoverSeconds(double v) { return std::isnan(v) ? formatCount(v) : QString::number(v, 'f', 3) + " s"; }

}  // namespace

FailoverView::FailoverView(const RunSet& runs, QWidget* parent) : QWidget(parent) {
  const auto& run = *runs.front();
  const auto [t0, t1] = timeSpan(RunSet{runs.front()});
  auto* layout = new QVBoxLayout(this);
  layout->addWidget(new QLabel("<b>Events</b> (events.jsonl)", this));
  layout->addWidget(new EventTimelineWidget(run.events, t0, t1, this));

  const auto& f = run.summary.failovers;
  layout->addWidget(new QLabel("<b>Failovers</b> (summary.json)", this));
  auto* ft = failoverTable(static_cast<int>(f.size()),
                           {"node", "killed", "PFAIL", "FAIL", "promoted", "OK", "new master"}, this);
  for (int r = 0; r < static_cast<int>(f.size()); ++r) {
    const auto& x = f[static_cast<std::size_t>(r)];
    const QStringList cells = {QString::fromStdString(x.node),
                               failoverSeconds(x.t_kill_s),
                               failoverSeconds(x.t_pfail_s),
                               failoverSeconds(x.t_fail_s),
                               failoverSeconds(x.t_promoted_s),
                               failoverSeconds(x.t_ok_s),
                               x.new_master.empty() ? formatCount(NAN) : QString::fromStdString(x.new_master)};
    for (int c = 0; c < cells.size(); ++c) ft->setItem(r, c, new QTableWidgetItem(cells[c]));
  }
  ft->setMaximumHeight(40 + 30 * std::max<int>(1, static_cast<int>(f.size())));
  layout->addWidget(ft);

  layout->addWidget(new QLabel("<b>All events</b>", this));
  auto* et = failoverTable(static_cast<int>(run.events.size()), {"t (s)", "type", "node", "details"}, this);
  for (int r = 0; r < static_cast<int>(run.events.size()); ++r) {
    const auto& ev = run.events[static_cast<std::size_t>(r)];
    auto details = ev.raw;
    for (const char* k : {"t_s", "type", "node"}) details.erase(k);
    auto* type = new QTableWidgetItem(QString::fromStdString(ev.type));
    type->setForeground(eventColor(ev.type));
    auto* t = new QTableWidgetItem(QString::number(ev.t_s, 'f', 3));
    t->setToolTip(formatNumber(ev.t_s));  // the exact value as the file holds it
    et->setItem(r, 0, t);
    et->setItem(r, 1, type);
    et->setItem(r, 2, new QTableWidgetItem(QString::fromStdString(ev.node)));
    auto* detail = new QTableWidgetItem(eventDetailsText(details));
    detail->setToolTip(QString::fromStdString(details.dump()));  // the file's values, exact
    et->setItem(r, 3, detail);
  }
  layout->addWidget(et, 1);
}

}  // namespace cachelab::gui
