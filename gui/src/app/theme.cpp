#include "app/theme.hpp"

#include <QApplication>
#include <QPalette>
#include <QStyle>
#include <QStyleFactory>

namespace cachelab::gui {

void applyTheme(QApplication& app, Theme theme) {
  // Fusion draws the palette faithfully on every platform (native styles may ignore a dark palette).
  app.setStyle(QStyleFactory::create("Fusion"));
  QPalette p;
  if (theme == Theme::Dark) {
    p.setColor(QPalette::Window, QColor(37, 37, 38));
    p.setColor(QPalette::WindowText, QColor(230, 230, 230));
    p.setColor(QPalette::Base, QColor(30, 30, 30));
    p.setColor(QPalette::AlternateBase, QColor(45, 45, 48));
    p.setColor(QPalette::ToolTipBase, QColor(50, 50, 52));
    p.setColor(QPalette::ToolTipText, QColor(230, 230, 230));
    p.setColor(QPalette::Text, QColor(230, 230, 230));
    p.setColor(QPalette::Button, QColor(50, 50, 52));
    p.setColor(QPalette::ButtonText, QColor(230, 230, 230));
    p.setColor(QPalette::Highlight, QColor(42, 130, 218));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(150, 150, 150));
    p.setColor(QPalette::Mid, QColor(90, 90, 90));
  } else {
    p = app.style()->standardPalette();
  }
  app.setPalette(p);
}

Theme currentTheme() {
  return QApplication::palette().color(QPalette::Window).lightness() < 128 ? Theme::Dark : Theme::Light;
}

QChart::ChartTheme chartTheme() {
  return currentTheme() == Theme::Dark ? QChart::ChartThemeDark : QChart::ChartThemeLight;
}

QColor seriesColor(int index) {
  // Okabe-Ito-like set: distinguishable for colour-blind readers, mid lightness so both themes work.
  static const QColor colours[] = {QColor(0, 114, 178),   QColor(230, 159, 0),   QColor(0, 158, 115),
                                   QColor(204, 121, 167), QColor(86, 180, 233),  QColor(213, 94, 0),
                                   QColor(160, 160, 40),  QColor(120, 110, 200), QColor(150, 150, 150)};
  const int n = static_cast<int>(sizeof colours / sizeof colours[0]);
  return colours[((index % n) + n) % n];
}

QColor roleColor(const std::string& role) {
  if (role == "master") return QColor(0, 114, 178);
  if (role == "replica") return QColor(86, 180, 233);
  if (role == "down") return QColor(213, 94, 0);
  return QColor(150, 150, 150);
}

QColor eventColor(const std::string& type) {
  if (type == "kill" || type == "node_down") return QColor(213, 94, 0);
  if (type == "pfail") return QColor(230, 159, 0);
  if (type == "fail") return QColor(204, 40, 40);
  if (type == "election_started") return QColor(204, 121, 167);
  if (type == "promoted") return QColor(0, 158, 115);
  if (type == "restart" || type == "node_up") return QColor(86, 180, 233);
  return QColor(150, 150, 150);
}

QColor faultColor(const QString& action) {
  if (action == "kill" || action == "pause" || action == "partition" || action == "client_crash" ||
      action == "client_pause" || action == "remove_node")
    return QColor(213, 60, 40);
  if (action == "restart" || action == "resume" || action == "heal") return QColor(0, 114, 178);
  return QColor(150, 90, 180);
}

QColor passColor(bool pass) { return pass ? QColor(0, 158, 115) : QColor(213, 60, 40); }

}  // namespace cachelab::gui
