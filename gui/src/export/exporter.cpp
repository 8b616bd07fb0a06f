#include "export/exporter.hpp"

#include <map>

#include <QFile>
#include <QPainter>
#include <QPixmap>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QWidget>

#include "app/format.hpp"

namespace cachelab::gui {

bool exportPng(QWidget* widget, const QString& path, QString* error) {
  const QPixmap pixmap = widget->grab();
  if (pixmap.isNull() || !pixmap.save(path, "PNG")) {
    if (error) *error = "Could not write the PNG file " + path + ".";
    return false;
  }
  return true;
}

bool exportSvg(QWidget* widget, const QString& path, const QString& title, QString* error) {
  QSvgGenerator gen;
  gen.setFileName(path);
  gen.setSize(widget->size());
  gen.setViewBox(QRect(QPoint(0, 0), widget->size()));
  gen.setTitle(title);
  gen.setDescription("Exported by cachelab-gui");
  QPainter painter;
  if (!painter.begin(&gen)) {
    if (error) *error = "Could not write the SVG file " + path + ".";
    return false;
  }
  widget->render(&painter);
  painter.end();
  if (!QFile::exists(path)) {
    if (error) *error = "Could not write the SVG file " + path + ".";
    return false;
  }
  return true;
}

QString chartCsv(const ChartSpec& spec) {
  // Lines of two runs need not share time stamps: rows are the union of them.
  std::map<double, QStringList> rows;
  const auto n = spec.lines.size();
  for (qsizetype i = 0; i < n; ++i)
    for (const auto& p : spec.lines[i].points()) {
      auto& row = rows[p.x()];
      if (row.isEmpty())
        for (qsizetype k = 0; k < n; ++k) row.append(QString());
      row[i] = formatNumber(p.y());
    }
  QString out = "t_s";
  for (const auto& l : spec.lines) out += "," + QString(l.name).replace(',', ';');
  out += "\n";
  for (const auto& [t, cells] : rows) {
    out += formatNumber(t);
    for (const auto& c : cells) out += "," + c;
    out += "\n";
  }
  return out;
}

bool exportCsv(const ChartSpec& spec, const QString& path, QString* error) {
  QSaveFile f(path);  // atomic, like the results files themselves
  if (f.open(QIODevice::WriteOnly | QIODevice::Text)) {
    f.write(chartCsv(spec).toUtf8());
    if (f.commit()) return true;
  }
  if (error) *error = "Could not write the CSV file " + path + ": " + f.errorString();
  return false;
}

}  // namespace cachelab::gui
