#pragma once
// Export of what a chart shows: the picture (PNG, SVG through QSvgGenerator) and its data (CSV).
#include <QString>

#include "model/chart_model.hpp"

class QWidget;

namespace cachelab::gui {

// Each returns false and fills `error` with a sentence naming the file when writing fails.
bool exportPng(QWidget* widget, const QString& path, QString* error);
bool exportSvg(QWidget* widget, const QString& path, const QString& title, QString* error);
bool exportCsv(const ChartSpec& spec, const QString& path, QString* error);

// The CSV text of a chart: a `t_s` column and one column per line, rows in time order, an empty cell where
// a line has no value (values printed exactly as read, shortest round-trip form).
QString chartCsv(const ChartSpec& spec);

}  // namespace cachelab::gui
