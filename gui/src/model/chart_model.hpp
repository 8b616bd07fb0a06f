#pragma once
// Chart models: which series.csv columns each chart draws, turned into plain point lists. Building them
// apart from the widgets lets the tests check the exact points a chart will hold.
#include <QList>
#include <QPointF>
#include <QString>
#include <QStringList>

#include "model/fault_markers.hpp"
#include "model/run_set.hpp"

namespace cachelab::gui {

// One drawn line. A NaN cell (an empty CSV cell: the value does not exist) breaks the line into
// segments rather than being drawn as zero or bridged.
struct LineSpec {
  QString name;    // legend text
  QString column;  // the series.csv column it comes from
  int run = 0;     // index into the RunSet
  QList<QList<QPointF>> segments;

  QList<QPointF> points() const;  // every segment, in order
};

// What the values measure, so the value axis can pick its unit by magnitude (µs, ms or s; B, kB, MB or GB;
// thousands or millions) and ratios get a fixed 0..1 axis.
enum class AxisUnit { Plain, Ratio, Micros, Bytes };

struct ChartSpec {
  QString id;  // stable name, used for export file names ("latency")
  QString title;
  QString yLabel;
  QList<LineSpec> lines;
  double tMin = 0, tMax = 0;  // the time span of every run in the set: shared by all charts of a view
  AxisUnit unit = AxisUnit::Plain;
  QList<ChartMarker> markers;  // the faults of the runs (events.jsonl), drawn as vertical lines
  QStringList zeroThroughout;  // labels of columns not drawn because they are 0 in every interval of every run
};

struct ColumnDef {
  QString column;
  QString label;
};
struct ChartDef {
  QString id, title, yLabel;
  QList<ColumnDef> columns;
  AxisUnit unit = AxisUnit::Plain;
  // Counts of rare things (error kinds, failures): a column that is 0 throughout is named in the title instead of
  // drawn, so the legend lists only what happened (14 flat lines of two runs made it unreadable).
  bool dropZeroLines = false;
};

// The value axis for values up to `maxAbs`: divide by `divisor`, title it `title` ("ms", "k req / s").
struct AxisScale {
  double divisor = 1;
  QString title;
};
AxisScale chooseAxisScale(AxisUnit unit, const QString& yLabel, double maxAbs);

// A round tick step (1, 2 or 5 x 10^k) giving about six to ten ticks over `span`: 90 s gives 10 s.
double niceTickStep(double span);

// The fault markers of every run of the set, in time order, each once.
QList<ChartMarker> setMarkers(const RunSet& runs);

// The charts of the time-series view, in order: request rate, hit ratio, latency, origin load,
// origin concurrency, errors by kind.
QList<ChartDef> timeSeriesCharts();

// One line per (run, column) that exists in that run's series.csv; absent columns draw nothing.
ChartSpec buildChart(const ChartDef& def, const RunSet& runs);

// Per-node charts of the primary run: one line per node for `<node>.<metric>`.
ChartSpec buildNodeChart(const QString& metric, const QString& title, const QString& yLabel, const RunSet& runs,
                         AxisUnit unit = AxisUnit::Plain);

// Points of one numeric column against t_s, split at NaN cells.
QList<QList<QPointF>> columnSegments(const cachelab::results::Series& series, const std::string& column);

// The time span of all runs ([0, last t_s]; 0..1 when there are no rows).
std::pair<double, double> timeSpan(const RunSet& runs);

}  // namespace cachelab::gui
