// GoogleTest main for the dashboard tests: one QApplication for all of them, offscreen unless the caller
// chose a platform, and QSettings in Qt's test location so tests never touch the user's settings.
#include <QApplication>
#include <QStandardPaths>

#include <gtest/gtest.h>

#include "app/theme.hpp"

int main(int argc, char** argv) {
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  QStandardPaths::setTestModeEnabled(true);
  QApplication app(argc, argv);
  QApplication::setOrganizationName("cachelab-tests");
  QApplication::setApplicationName("cachelab-gui-tests");
  cachelab::gui::applyTheme(app, cachelab::gui::Theme::Light);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
