#pragma once
// Light and dark: one Fusion palette each, and the colours the custom-painted views use, chosen to read on
// both backgrounds. Charts follow with Qt Charts' own light/dark theme.
#include <string>

#include <QChart>
#include <QColor>

class QApplication;

namespace cachelab::gui {

enum class Theme { Light, Dark };

void applyTheme(QApplication& app, Theme theme);
// The theme the application palette currently shows (dark when the window colour is dark).
Theme currentTheme();
QChart::ChartTheme chartTheme();

QColor seriesColor(int index);               // distinct colours for lines and slot owners
QColor roleColor(const std::string& role);   // master / replica / down / other
QColor eventColor(const std::string& type);  // marker colour of an event type
QColor faultColor(const QString& action);    // fault markers on charts: node faults red, recoveries blue, others purple
QColor passColor(bool pass);

}  // namespace cachelab::gui
